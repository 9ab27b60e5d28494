from __future__ import annotations

import pytest
from django.urls import reverse

from parvis.accounts.roles import Role
from parvis.channels.models import Channel, ChannelStatus, Credential
from parvis.core.audit import AuditEvent
from parvis.networks import registry
from parvis.networks.base import ConnectStart
from parvis.networks.sandbox.models import SandboxAccount
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, workspace, **kwargs):
    return reverse(f"channels:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def connect(client, workspace, name="La Mie Dorée", network="sandbox_x"):
    return client.post(url("connect_network", workspace, network=network), {"account_name": name})


def test_connecting_a_sandbox_channel_end_to_end(logged_in_client, workspace):
    picker = logged_in_client.get(url("connect", workspace))
    assert b"Sandbox" in picker.content
    response = connect(logged_in_client, workspace)
    assert response.status_code == 302
    channel = Channel.objects.get(workspace=workspace)
    assert (channel.network, channel.name, channel.status) == (
        "sandbox_x",
        "La Mie Dorée",
        "healthy",
    )
    assert (
        Credential.objects.get(channel=channel).access_token == SandboxAccount.objects.get().token
    )
    assert AuditEvent.objects.filter(verb="channel.connected", workspace=workspace).exists()
    listing = logged_in_client.get(url("list", workspace)).content.decode()
    assert "La Mie Dorée" in listing and "sandbox-badge" in listing


def test_a_bad_name_is_refused_with_the_reason_and_kept(logged_in_client, workspace):
    response = connect(logged_in_client, workspace, name="x" * 61)
    assert response.status_code == 400
    assert "at most 60 characters" in response.content.decode()
    assert "x" * 61 in response.content.decode()  # what was typed is not lost
    assert not Channel.objects.exists()


def test_an_expired_token_shows_needs_reconnect_then_reconnect_heals(logged_in_client, workspace):
    connect(logged_in_client, workspace)
    channel = Channel.objects.get()
    logged_in_client.post(url("simulate_expiry", workspace, channel_id=channel.pk))
    response = logged_in_client.post(
        url("check", workspace, channel_id=channel.pk), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b'data-testid="channel-row"' in response.content  # an htmx fragment, not a page
    assert b"<html" not in response.content
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert "reconnect" in channel.status_reason
    logged_in_client.post(url("reconnect", workspace, channel_id=channel.pk))
    logged_in_client.post(url("check", workspace, channel_id=channel.pk))
    channel.refresh_from_db()
    assert (channel.status, channel.status_reason) == (ChannelStatus.HEALTHY, "")
    assert Channel.objects.count() == 1  # the same channel, not a new one


def test_a_network_error_during_a_check_is_shown_as_error(logged_in_client, workspace, settings):
    connect(logged_in_client, workspace)
    channel = Channel.objects.get()
    settings.PARVIS_SANDBOX_FAILURE_RATE = 1.0
    logged_in_client.post(url("check", workspace, channel_id=channel.pk))
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ERROR
    assert "temporarily unavailable" in channel.status_reason


def test_disconnect_asks_first_then_forgets_the_tokens(logged_in_client, workspace):
    connect(logged_in_client, workspace)
    channel = Channel.objects.get()
    confirm = logged_in_client.get(url("disconnect", workspace, channel_id=channel.pk))
    assert b"Disconnect" in confirm.content and Channel.objects.exists()
    logged_in_client.post(url("disconnect", workspace, channel_id=channel.pk))
    assert not Channel.objects.exists() and not Credential.objects.exists()
    assert AuditEvent.objects.filter(verb="channel.disconnected").exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_admins_and_owners_manage_channels(client, workspace, role):
    owner_client = client
    member = factories.make_member(workspace, role)
    channel = Channel.objects.create(
        workspace=workspace, network="sandbox_x", external_id="e", name="X"
    )
    owner_client.force_login(member.user)
    listing = owner_client.get(url("list", workspace))
    assert listing.status_code == 200 and b"Check now" not in listing.content
    assert connect(owner_client, workspace).status_code == 403
    assert owner_client.post(url("disconnect", workspace, channel_id=channel.pk)).status_code == 403
    assert Channel.objects.count() == 1


def test_another_workspaces_channel_is_not_found(logged_in_client, workspace):
    other = factories.make_workspace("Autre")
    foreign = Channel.objects.create(
        workspace=other, network="sandbox_x", external_id="f", name="F"
    )
    for name in ("check", "reconnect", "disconnect", "simulate_expiry"):
        assert logged_in_client.post(url(name, workspace, channel_id=foreign.pk)).status_code == 404
    assert Channel.objects.filter(pk=foreign.pk).exists()


def test_an_unknown_network_is_not_found(logged_in_client, workspace):
    assert (
        logged_in_client.get(url("connect_network", workspace, network="myspace")).status_code
        == 404
    )


def test_an_expired_oauth_attempt_says_so(logged_in_client, workspace):
    response = logged_in_client.get(url("callback", workspace, network="sandbox_x"), follow=True)
    assert "expired" in response.content.decode()
    assert not Channel.objects.exists()


def test_a_network_the_installation_has_not_set_up_says_what_is_missing(
    logged_in_client, workspace, monkeypatch
):
    network = registry.get("sandbox_x")
    missing = "Set PARVIS_EXAMPLE_CLIENT_ID to connect this network."
    monkeypatch.setattr(network, "setup_problem", lambda: missing)
    page = logged_in_client.get(f"/w/{workspace.slug}/channels/connect/")
    text = page.content.decode()
    assert missing in text and "Not set up" in text
    connect_url = f"/w/{workspace.slug}/channels/connect/sandbox_x/"
    assert connect_url not in text  # no button that would only fail
    assert f"/w/{workspace.slug}/channels/connect/sandbox_facebook/" in text
    response = logged_in_client.get(connect_url, follow=True)
    assert missing in response.content.decode()
    assert not Channel.objects.exists()


def test_every_workspace_shares_one_redirect_address_per_network(
    logged_in_client, workspace, monkeypatch
):
    """The network's app registers one redirect address for the installation; the
    person lands back in the workspace where they began."""
    network = registry.get("sandbox_x")
    seen: dict = {}
    real_finish = network.connect_finish

    def start(*, redirect_uri):
        seen["start"] = redirect_uri
        return ConnectStart(authorize_url="https://consent.example/authorize", state={"n": "42"})

    async def finish(*, params, state, redirect_uri):
        seen["finish"] = (params, state, redirect_uri)
        return await real_finish(
            params={"account_name": "Cave Saint-Roch"}, state={}, redirect_uri=""
        )

    monkeypatch.setattr(network, "connect_start", start)
    monkeypatch.setattr(network, "connect_finish", finish)
    consent = logged_in_client.get(url("connect_network", workspace, network="sandbox_x"))
    assert consent.status_code == 302 and consent["Location"].startswith("https://consent.")
    assert seen["start"] == "http://testserver/connect/callback/sandbox_x/"
    back = logged_in_client.get("/connect/callback/sandbox_x/?code=c0de&state=42")
    assert back.status_code == 302
    assert back["Location"] == (
        f"/w/{workspace.slug}/channels/callback/sandbox_x/?code=c0de&state=42"
    )
    done = logged_in_client.get(back["Location"], follow=True)
    assert "Connected: Cave Saint-Roch." in done.content.decode()
    params, state, redirect_uri = seen["finish"]
    assert params["code"] == "c0de" and state == {"n": "42"}
    assert redirect_uri == seen["start"]  # the token exchange names the same address
    assert Channel.objects.get(workspace=workspace).name == "Cave Saint-Roch"


def test_a_redirect_with_no_attempt_under_way_says_it_expired(logged_in_client, workspace):
    response = logged_in_client.get("/connect/callback/sandbox_x/?code=x", follow=True)
    assert "expired" in response.content.decode()
    assert not Channel.objects.exists()
