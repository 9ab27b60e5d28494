"""Tokens renewed before they expire, once, and a channel that says when only a reconnect helps.

The Sandbox network's tokens behave like X's: two hours, renewed with a refresh token
that the network replaces each time (an old one is refused).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.utils import timezone

from parvis.channels.models import ChannelStatus, Credential
from parvis.channels.refreshing import LEASE, credential_refresh, credentials_refresh_due
from parvis.core.audit import AuditEvent
from parvis.engine.runner import run_once
from parvis.networks import registry
from parvis.networks.sandbox.models import SandboxAccount, SandboxPost
from parvis.publishing.actions import post_schedule
from parvis.publishing.models import Delivery, Post
from tests import factories
from tests.concurrency import in_threads, slowed

pytestmark = pytest.mark.django_db


def sandbox_channel(workspace, key="sandbox_x", name="Fromagerie Lenoir"):
    return factories.make_sandbox_channel(workspace, key, name)


def expire_soon(channel, minutes=5):
    """The token now expires in ``minutes`` (on the network and in Parvis)."""
    at = timezone.now() + timedelta(minutes=minutes)
    SandboxAccount.objects.filter(external_id=channel.external_id).update(token_expires_at=at)
    Credential.objects.filter(channel=channel).update(expires_at=at)


def test_a_token_far_from_expiry_is_left_alone(workspace):
    channel = sandbox_channel(workspace)
    before = Credential.objects.get(channel=channel).access_token
    assert credentials_refresh_due() == 0
    assert Credential.objects.get(channel=channel).access_token == before


def test_a_token_about_to_expire_is_renewed_with_the_newest_refresh_token(workspace):
    channel = sandbox_channel(workspace)
    old = Credential.objects.get(channel=channel)
    expire_soon(channel)
    assert credentials_refresh_due() == 1
    new = Credential.objects.get(channel=channel)
    account = SandboxAccount.objects.get(external_id=channel.external_id)
    assert new.access_token == account.token != old.access_token
    assert new.refresh_token == account.refresh_token != old.refresh_token
    assert new.expires_at > timezone.now() + timedelta(hours=1)
    assert new.obtained_at > old.obtained_at
    assert new.refresh_lease_until is None
    assert async_to_sync(registry.get("sandbox_x").check_health)(_ref(channel)) is None


def _ref(channel):
    from parvis.channels.selectors import channel_ref

    channel.refresh_from_db()
    return channel_ref(channel=channel)


@pytest.mark.django_db(transaction=True)
def test_two_workers_renew_a_token_once(workspace, monkeypatch):
    """The refresh token is spent once: the second worker, arriving while the first
    waits for the network, must not spend it again (the network would refuse it)."""
    network = registry.get("sandbox_x")
    monkeypatch.setattr(network, "_renew", slowed(network._renew, 0.5))
    channel = sandbox_channel(workspace)
    expire_soon(channel)
    credential_id = Credential.objects.get(channel=channel).pk
    renewed: list[bool] = []

    def worker() -> None:
        try:
            renewed.append(credential_refresh(credential_id=credential_id))
        finally:
            connection.close()

    in_threads(worker, count=2)
    assert sorted(renewed) == [False, True]
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.HEALTHY


def test_a_refused_renewal_marks_the_channel_for_reconnect_with_the_reason(workspace):
    channel = sandbox_channel(workspace)
    expire_soon(channel)
    SandboxAccount.objects.filter(external_id=channel.external_id).update(refresh_token="spent")
    assert credentials_refresh_due() == 0
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert "reconnect the channel" in channel.status_reason
    assert AuditEvent.objects.filter(verb="channel.token_refresh_refused").count() == 1
    # A channel that needs reconnecting is not tried again and again.
    assert credentials_refresh_due() == 0
    assert Credential.objects.get(channel=channel).refresh_failed_at is not None


def test_a_network_down_while_renewing_is_tried_again_later_not_at_once(workspace, settings):
    channel = sandbox_channel(workspace)
    expire_soon(channel)
    settings.PARVIS_SANDBOX_FAILURE_RATE = 1.0
    assert credentials_refresh_due() == 0
    credential = Credential.objects.get(channel=channel)
    assert credential.refresh_lease_until > timezone.now() + LEASE
    settings.PARVIS_SANDBOX_FAILURE_RATE = 0.0
    assert credentials_refresh_due() == 0  # still waiting
    assert credentials_refresh_due(now=credential.refresh_lease_until + timedelta(seconds=1)) == 1
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.HEALTHY


def test_a_post_refused_for_an_expired_token_goes_out_once_the_token_is_renewed(workspace):
    channel = sandbox_channel(workspace)
    # The token expired an hour ago: the worker was stopped, nothing renewed it.
    old_issue = timezone.now() - timedelta(hours=3)
    Credential.objects.filter(channel=channel).update(obtained_at=old_issue)
    SandboxAccount.objects.filter(external_id=channel.external_id).update(
        token_expires_at=timezone.now() - timedelta(hours=1)
    )
    post = Post.objects.create(workspace=workspace, text="Comté 24 mois : arrivage !")
    (delivery,) = post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=None)
    run_once(Delivery)
    delivery.refresh_from_db()
    assert delivery.state == "retrying" and "renews it" in delivery.last_error
    assert Credential.objects.get(channel=channel).refresh_requested_at is not None
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.HEALTHY  # not "needs reconnect": renewing helps

    assert credentials_refresh_due() == 1
    Delivery.objects.update(next_attempt_at=timezone.now())
    run_once(Delivery)
    delivery.refresh_from_db()
    assert delivery.state == "published"
    assert SandboxPost.objects.filter(text=post.text).count() == 1


def test_a_freshly_renewed_token_that_is_refused_asks_for_a_reconnect(workspace):
    channel = sandbox_channel(workspace)  # its token was issued just now
    SandboxAccount.objects.filter(external_id=channel.external_id).update(token_revoked=True)
    post = Post.objects.create(workspace=workspace, text="Tomme de Savoie")
    (delivery,) = post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=None)
    run_once(Delivery)
    delivery.refresh_from_db()
    assert delivery.state == "needs_attention"
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert Credential.objects.get(channel=channel).refresh_requested_at is None
