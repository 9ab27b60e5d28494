from __future__ import annotations

import pytest

from parvis.networks import registry
from parvis.networks.base import Network


def test_the_three_sandbox_flavours_are_registered_and_labelled():
    keys = {n.key for n in registry.all_networks()}
    assert {"sandbox_facebook", "sandbox_instagram", "sandbox_x"} <= keys
    for key in ("sandbox_facebook", "sandbox_instagram", "sandbox_x"):
        network = registry.get(key)
        assert isinstance(network, Network)
        assert network.is_simulated
        assert str(network.name).startswith("Sandbox")


def test_an_unknown_network_is_a_clear_error():
    with pytest.raises(registry.UnknownNetwork):
        registry.get("myspace")


def test_each_flavour_measures_text_with_the_rules_of_its_network():
    x = registry.get("sandbox_x").measure_text("a" * 281)
    assert (x.length, x.limit, x.valid) == (281, 280, False)
    assert x.problems[0].code == "too_long"
    url = "https://example.org/" + "x" * 200
    assert registry.get("sandbox_x").measure_text(url).length == 23  # t.co counting
    instagram = registry.get("sandbox_instagram").measure_text("Bonjour")
    assert not instagram.valid and instagram.problems[0].code == "media_required"
    assert registry.get("sandbox_instagram").measure_text("Bonjour", media_count=1).valid
    assert registry.get("sandbox_facebook").measure_text("é" * 5000).valid
