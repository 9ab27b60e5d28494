"""X is a built-in network: offered on the connect page, greyed until the app is set up."""

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


def test_x_is_built_in_and_offered(fresh_registry, settings):
    settings.PARVIS_PREVIEW_NETWORKS = []
    assert isinstance(registry.get("x"), X)
    assert {"x", "sandbox_x"} <= {n.key for n in registry.all_networks()}


def test_naming_x_as_a_preview_network_is_harmless(fresh_registry, settings, caplog):
    settings.PARVIS_PREVIEW_NETWORKS = ["x"]
    assert isinstance(registry.get("x"), X)
    assert "x" in {n.key for n in registry.all_networks()}
    assert "not a preview network" not in caplog.text


def _connect_page(client, workspace) -> str:
    response = client.get(reverse("channels:connect", args=[workspace.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_client_id_x_is_greyed_with_the_reason(
    fresh_registry, settings, logged_in_client, workspace
):
    settings.PARVIS_X_CLIENT_ID = ""
    page = _connect_page(logged_in_client, workspace)
    link = reverse("channels:connect_network", args=[workspace.slug, "x"])
    assert link not in page
    assert 'data-network="x"' in page and "PARVIS_X_CLIENT_ID" in page
    response = logged_in_client.get(link, follow=True)
    assert "PARVIS_X_CLIENT_ID" in response.content.decode()


def test_with_a_client_id_x_can_be_connected(fresh_registry, settings, logged_in_client, workspace):
    settings.PARVIS_X_CLIENT_ID = "abc"
    settings.PARVIS_X_AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
    page = _connect_page(logged_in_client, workspace)
    link = reverse("channels:connect_network", args=[workspace.slug, "x"])
    assert link in page
    response = logged_in_client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith("https://x.com/i/oauth2/authorize?")
    assert (
        "redirect_uri=http%3A%2F%2Ftestserver%2Fconnect%2Fcallback%2Fx%2F" in response["Location"]
    )


def test_an_unknown_preview_key_is_ignored(fresh_registry, settings):
    settings.PARVIS_PREVIEW_NETWORKS = ["myspace"]
    assert {n.key for n in registry.all_networks()} >= {"sandbox_x"}
    with pytest.raises(registry.UnknownNetwork):
        registry.get("myspace")
