"""X is a preview network: it serves channels when enabled, and is never offered to connect."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parvis.networks import registry
from parvis.networks.x.network import X


@pytest.fixture
def fresh_registry(monkeypatch):
    monkeypatch.setattr(registry, "_networks", {})
    monkeypatch.setattr(registry, "_preview_keys", set())
    monkeypatch.setattr(registry, "_loaded", False)


def test_x_is_unknown_unless_enabled(fresh_registry, settings):
    settings.PARVIS_PREVIEW_NETWORKS = []
    with pytest.raises(registry.UnknownNetwork):
        registry.get("x")


def test_enabled_x_serves_channels_but_is_not_offered_to_connect(fresh_registry, settings):
    settings.PARVIS_PREVIEW_NETWORKS = ["x"]
    assert isinstance(registry.get("x"), X)
    offered = {n.key for n in registry.all_networks()}
    assert "x" not in offered
    assert "sandbox_x" in offered


def test_the_connect_page_does_not_offer_x(fresh_registry, settings, logged_in_client, workspace):
    settings.PARVIS_PREVIEW_NETWORKS = ["x"]
    response = logged_in_client.get(reverse("channels:connect", args=[workspace.slug]))
    assert response.status_code == 200
    page = response.content.decode()

    def link(key: str) -> str:
        return reverse("channels:connect_network", args=[workspace.slug, key])

    assert link("sandbox_x") in page
    assert link("x") not in page


def test_an_unknown_preview_key_is_ignored(fresh_registry, settings):
    settings.PARVIS_PREVIEW_NETWORKS = ["myspace"]
    assert {n.key for n in registry.all_networks()} >= {"sandbox_x"}
    with pytest.raises(registry.UnknownNetwork):
        registry.get("myspace")
