"""Production safety: settings refuse to start without a real SECRET_KEY."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PARVIS_"))}
    environment.pop("SECRET_KEY", None)
    environment.update(env)
    code = "import config.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECRET_KEY[:4])"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_production_without_secret_key_refuses_to_start_with_a_clear_message():
    result = _load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is missing or is a default value" in result.stderr


def test_production_with_a_default_key_refuses_too():
    result = _load_settings(SECRET_KEY="change-me")
    assert result.returncode != 0


def test_production_defaults_are_safe():
    result = _load_settings(SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["False", "True"]  # DEBUG off, secure cookies


def test_debug_mode_generates_and_keeps_a_key(tmp_path):
    first = _load_settings(PARVIS_DEBUG="true", PARVIS_DATA_DIR=str(tmp_path))
    second = _load_settings(PARVIS_DEBUG="true", PARVIS_DATA_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "secret_key").exists()
    assert first.stdout == second.stdout
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
