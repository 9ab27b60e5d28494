"""A connected Facebook Page on the Meta test server, for the connector's tests."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from asgiref.sync import async_to_sync

from parvis.channels.models import Channel
from parvis.networks import registry
from parvis.networks.base import ChannelRef
from parvis.networks.facebook.network import Facebook

REDIRECT = "https://parvis.test/connect/callback/facebook/"


@dataclass
class ConnectedPage:
    network: Facebook
    channel: ChannelRef
    server: object

    def call(self, method: str, *args, **kwargs):
        return async_to_sync(getattr(self.network, method))(*args, **kwargs)


def consent_params(url: str) -> dict[str, str]:
    """Follow the login dialog as the browser would; the callback's parameters."""
    response = httpx.get(url, follow_redirects=False)
    assert response.status_code == 302, response.text
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


@pytest.fixture
def facebook() -> Facebook:
    network = registry.get("facebook")
    assert isinstance(network, Facebook)
    return network


@pytest.fixture
def page(meta_server, facebook) -> ConnectedPage:
    meta_server.add_person("Ana Dupont", [{"name": "Boulangerie Test", "followers": 420}])
    start = facebook.connect_start(redirect_uri=REDIRECT)
    params = consent_params(start.authorize_url)
    (account,) = async_to_sync(facebook.connect_finish)(
        params=params, state=start.state, redirect_uri=REDIRECT
    )
    channel = ChannelRef(account.external_id, account.access_token, account.options)
    return ConnectedPage(facebook, channel, meta_server)


def through_consent(client, start) -> str:
    """Follow Meta's dialog and the shared callback; the page Parvis ends on."""
    assert start.status_code == 302, start.content
    dialog = httpx.get(start["Location"], follow_redirects=False)
    back = urlsplit(dialog.headers["location"])
    assert back.path == "/connect/callback/facebook/"
    onward = client.get(f"{back.path}?{back.query}")
    return client.get(onward["Location"], follow=True).content.decode()


def connect_page(client, workspace, meta_server, name: str = "Boulangerie Test") -> Channel:
    """Through Parvis's views: the connect button, Meta's dialog, the shared callback."""
    meta_server.add_person("Ana Dupont", [{"name": name, "followers": 420}])
    start = client.get(f"/w/{workspace.slug}/channels/connect/facebook/")
    assert start["Location"].startswith(meta_server.base_url)
    assert f"Connected: {name}." in through_consent(client, start)
    return Channel.objects.get(workspace=workspace, network="facebook", name=name)


@pytest.fixture
def channel(logged_in_client, workspace, meta_server) -> Channel:
    return connect_page(logged_in_client, workspace, meta_server)
