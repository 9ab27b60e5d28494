from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_secret


def test_booleans_accept_common_spellings(monkeypatch):
    for raw, expected in [("true", True), ("1", True), ("Yes", True), ("off", False), ("", False)]:
        monkeypatch.setenv("PARVIS_X", raw)
        assert env_bool("PARVIS_X") is expected


def test_a_bad_boolean_says_which_variable(monkeypatch):
    monkeypatch.setenv("PARVIS_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="PARVIS_X"):
        env_bool("PARVIS_X")


def test_integers_and_lists(monkeypatch):
    monkeypatch.setenv("PARVIS_N", "42")
    monkeypatch.setenv("PARVIS_L", " a.example , b.example,,")
    assert env_int("PARVIS_N", 1) == 42
    assert env_int("PARVIS_MISSING", 7) == 7
    assert env_list("PARVIS_L") == ["a.example", "b.example"]
    monkeypatch.setenv("PARVIS_N", "forty")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("PARVIS_N", 1)


def test_secrets_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-the-file\n")
    monkeypatch.setenv("PARVIS_S", "from-the-variable")
    assert env_secret("PARVIS_S") == "from-the-variable"
    monkeypatch.setenv("PARVIS_S_FILE", str(secret))
    assert env_secret("PARVIS_S") == "from-the-file"
    monkeypatch.setenv("PARVIS_S_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_secret("PARVIS_S")
