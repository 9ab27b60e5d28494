"""The publishing engine against the Sandbox network: exactly once, whatever happens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from parvis.channels.actions import channel_connect
from parvis.channels.models import ChannelStatus
from parvis.channels.selectors import channel_ref
from parvis.engine.runner import claim, run_once
from parvis.networks import registry
from parvis.networks.base import PublishRequest
from parvis.networks.sandbox.models import SandboxAccount, SandboxPost
from parvis.publishing.actions import post_schedule
from parvis.publishing.models import Delivery, Post
from parvis.publishing.states import MAX_ATTEMPTS
from tests import factories

pytestmark = pytest.mark.django_db


def sandbox_channel(workspace, key="sandbox_x", name="La Mie Dorée"):
    return factories.make_sandbox_channel(workspace, key, name)


@pytest.fixture
def delivery(workspace):
    channel = sandbox_channel(workspace)
    post = Post.objects.create(
        workspace=workspace, text="Galette des rois : précommandes ouvertes !"
    )
    (delivery,) = post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=None)
    return delivery


def run_until_settled(rounds=6):
    for _ in range(rounds):
        Delivery.objects.update(next_attempt_at=timezone.now())  # skip the waits
        run_once(Delivery)


def test_a_due_post_is_published_once_with_its_link(delivery):
    run_until_settled()
    delivery.refresh_from_db()
    assert delivery.state == "published"
    post = SandboxPost.objects.get()
    assert (delivery.remote_id, post.text) == (post.remote_id, delivery.post.text)
    assert delivery.url.endswith(f"/sandbox/sandbox_x/{post.remote_id}/")
    assert delivery.attempt_started_at is None and delivery.last_error == ""


def test_a_future_post_waits_for_its_time(workspace):
    channel = sandbox_channel(workspace)
    post = Post.objects.create(workspace=workspace, text="Plus tard")
    post_schedule(
        post=post, at=timezone.now() + timedelta(hours=1), channels=[channel], acting_user=None
    )
    assert run_once(Delivery) == 0
    assert not SandboxPost.objects.exists()


def test_a_lost_answer_is_verified_not_published_again(delivery, settings):
    settings.PARVIS_SANDBOX_LOST_RESPONSE_RATE = 1.0
    run_once(Delivery)  # the post is made, the answer is lost
    delivery.refresh_from_db()
    assert delivery.state == "verifying" and "did not answer" in delivery.last_error
    settings.PARVIS_SANDBOX_LOST_RESPONSE_RATE = 0.0
    run_until_settled()
    delivery.refresh_from_db()
    assert delivery.state == "published"
    assert SandboxPost.objects.count() == 1


def test_a_worker_that_dies_mid_publish_never_causes_a_duplicate(delivery):
    (claimed,) = claim(Delivery)
    # The dying worker had committed its attempt and reached the network...
    Delivery.objects.filter(pk=claimed.pk).update(
        state="publishing", attempt_started_at=timezone.now()
    )
    network = registry.get("sandbox_x")
    async_to_sync(network.publish)(
        channel_ref(channel=claimed.channel),
        PublishRequest(text=claimed.post.text, idempotency_key=claimed.idempotency_key),
    )
    # ...then died. Its lease expires; another worker takes over.
    Delivery.objects.filter(pk=claimed.pk).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    run_until_settled()
    delivery.refresh_from_db()
    assert delivery.state == "published"
    assert SandboxPost.objects.count() == 1
    assert delivery.remote_id == SandboxPost.objects.get().remote_id


def test_transient_errors_are_retried_then_given_up_with_a_reason(delivery, settings):
    settings.PARVIS_SANDBOX_FAILURE_RATE = 1.0
    run_once(Delivery)
    run_once(Delivery)
    delivery.refresh_from_db()
    assert delivery.state == "retrying" and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now()
    assert "temporarily unavailable" in delivery.last_error
    run_until_settled(rounds=3 * MAX_ATTEMPTS)
    delivery.refresh_from_db()
    assert delivery.state == "failed"
    assert f"gave up after {MAX_ATTEMPTS} attempts" in delivery.last_error
    assert not SandboxPost.objects.exists()


def test_a_rate_limit_is_honoured(delivery, settings):
    settings.PARVIS_SANDBOX_RATE_LIMIT_RATE = 1.0
    run_once(Delivery)
    before = timezone.now()
    run_once(Delivery)
    delivery.refresh_from_db()
    assert delivery.state == "retrying"
    assert delivery.next_attempt_at >= before + timedelta(seconds=59)
    assert run_once(Delivery) == 0  # nothing is tried before the network's time


def test_an_expired_token_holds_the_delivery_and_flags_the_channel(delivery):
    SandboxAccount.objects.update(token_revoked=True)
    run_until_settled()
    delivery.refresh_from_db()
    delivery.channel.refresh_from_db()
    assert delivery.state == "needs_attention" and "reconnect" in delivery.last_error
    assert delivery.channel.status == ChannelStatus.NEEDS_RECONNECT
    assert not SandboxPost.objects.exists()


def test_a_post_the_network_refuses_fails_with_the_reason(workspace):
    channel = sandbox_channel(workspace, key="sandbox_instagram")
    post = Post.objects.create(workspace=workspace, text="Sans image")
    post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=None)
    run_until_settled()
    delivery = Delivery.objects.get()
    assert delivery.state == "failed"
    assert "image or a video" in delivery.last_error


def test_the_post_follows_its_deliveries(workspace):
    x, facebook = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_facebook")
    post = Post.objects.create(workspace=workspace, text="Nouvelle boutique à Part-Dieu")
    post_schedule(post=post, at=timezone.now(), channels=[x, facebook], acting_user=None)
    SandboxAccount.objects.filter(network_key="sandbox_facebook").update(token_revoked=True)
    run_until_settled()
    post.refresh_from_db()
    assert post.status == "needs_attention"
    assert sorted(post.deliveries.values_list("state", flat=True)) == [
        "needs_attention",
        "published",
    ]


def test_reconnecting_the_channel_releases_held_deliveries(
    delivery, django_capture_on_commit_callbacks
):
    SandboxAccount.objects.update(token_revoked=True)
    run_until_settled()
    network = registry.get("sandbox_x")
    (account,) = async_to_sync(network.connect_finish)(
        params={"external_id": delivery.channel.external_id}, state={}, redirect_uri=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        channel_connect(
            workspace=delivery.workspace, network_key="sandbox_x", account=account, acting_user=None
        )
    delivery.refresh_from_db()
    assert delivery.state == "publishing"
    run_until_settled()
    delivery.refresh_from_db()
    assert delivery.state == "published" and SandboxPost.objects.count() == 1
    assert Post.objects.get().status == "published"


def test_a_token_the_keys_cannot_read_holds_the_delivery_with_a_clear_reason(delivery, settings):
    settings.PARVIS_ENCRYPTION_KEYS = ["a-key-that-did-not-encrypt-it"]
    run_until_settled()
    delivery.refresh_from_db()
    assert delivery.state == "needs_attention"
    assert "encryption keys" in delivery.last_error
    assert delivery.attempt_started_at is None  # nothing was sent
    assert not SandboxPost.objects.exists()


def test_one_unreadable_token_in_a_batch_holds_only_its_own_delivery(workspace):
    from django.db import connection

    from parvis.channels.models import Credential

    readable, broken = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_facebook")
    with connection.cursor() as cursor:  # as if encrypted with a key Parvis no longer has
        cursor.execute(
            f"UPDATE {Credential._meta.db_table} SET access_token = %s WHERE channel_id = %s",
            ["gAAAAAB-not-a-token-any-key-can-read", broken.pk],
        )
    for channel in (readable, broken):
        post = Post.objects.create(workspace=workspace, text=f"Pour {channel.network}")
        post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=None)
    assert run_once(Delivery) == 2  # one batch: the credentials are loaded together
    states = dict(Delivery.objects.values_list("channel__network", "state"))
    assert states == {"sandbox_x": "published", "sandbox_facebook": "needs_attention"}
