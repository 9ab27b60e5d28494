from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from parvis.networks import registry
from parvis.networks.base import (
    AuthExpired,
    ChannelRef,
    InteractionKind,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
    UnknownOutcome,
)
from parvis.networks.sandbox import conditions
from parvis.networks.sandbox.audience import simulate_audience
from parvis.networks.sandbox.models import SandboxAccount, SandboxInteraction, SandboxPost

pytestmark = pytest.mark.django_db
x = registry.get("sandbox_x")
instagram = registry.get("sandbox_instagram")


def connect(network, name="La Mie Dorée") -> ChannelRef:
    (account,) = async_to_sync(network.connect_finish)(
        params={"account_name": name}, state={}, redirect_uri=""
    )
    return ChannelRef(external_id=account.external_id, access_token=account.access_token)


def publish(channel, text="Bonjour Lyon", key="delivery-1", network=x):
    request = PublishRequest(text=text, idempotency_key=key)
    return async_to_sync(network.publish)(channel, request)


def published_ago(channel, **age) -> str:
    """Publish, then move the post back in time so the audience has reacted."""
    result = publish(channel)
    SandboxPost.objects.filter(remote_id=result.remote_id).update(
        published_at=timezone.now() - timedelta(**age)
    )
    simulate_audience()
    return result.remote_id


def test_connecting_needs_a_name():
    assert x.connect_start(redirect_uri="").form_fields == ("account_name",)
    with pytest.raises(PermanentError, match="name"):
        async_to_sync(x.connect_finish)(params={"account_name": "  "}, state={}, redirect_uri="")
    channel = connect(x)
    account = SandboxAccount.objects.get(external_id=channel.external_id)
    assert account.name == "La Mie Dorée" and account.network_key == "sandbox_x"


def test_publishing_twice_makes_two_posts_as_on_the_real_networks():
    channel = connect(x)
    first = publish(channel)
    again = publish(channel)
    assert first.remote_id != again.remote_id
    assert SandboxPost.objects.count() == 2  # no idempotency: the engine must verify
    assert first.url.endswith(f"/sandbox/sandbox_x/{first.remote_id}/")


def test_a_text_that_breaks_the_rules_is_refused_with_the_reason():
    channel = connect(instagram)
    with pytest.raises(PermanentError) as refused:
        publish(channel, text="Sans image", network=instagram)
    assert "image" in str(refused.value.user_message)
    assert SandboxPost.objects.count() == 0


def test_find_published_after_an_unknown_outcome(settings):
    channel = connect(x)
    settings.PARVIS_SANDBOX_LOST_RESPONSE_RATE = 1.0
    request = PublishRequest(text="Galette des rois", idempotency_key="d-7")
    started = timezone.now()
    with pytest.raises(UnknownOutcome):
        async_to_sync(x.publish)(channel, request)
    settings.PARVIS_SANDBOX_LOST_RESPONSE_RATE = 0.0
    found = async_to_sync(x.find_published)(channel, request, since=started)
    assert found is not None and SandboxPost.objects.get().remote_id == found.remote_id
    missing = PublishRequest(text="Jamais envoyé", idempotency_key="d-8")
    assert async_to_sync(x.find_published)(channel, missing, since=started) is None


def test_delete_then_find_no_longer_sees_the_post():
    channel = connect(x)
    result = publish(channel)
    async_to_sync(x.delete)(channel, result.remote_id)
    request = PublishRequest(text="Bonjour Lyon", idempotency_key="delivery-1")
    assert async_to_sync(x.find_published)(channel, request, since=timezone.now()) is None
    with pytest.raises(PermanentError):
        async_to_sync(x.delete)(channel, "nope")


def test_a_revoked_token_means_reconnect():
    channel = connect(x)
    async_to_sync(x.check_health)(channel)
    SandboxAccount.objects.update(token_revoked=True)
    with pytest.raises(AuthExpired, match="reconnect"):
        async_to_sync(x.check_health)(channel)
    with pytest.raises(AuthExpired):
        publish(channel)


def test_simulated_errors_and_rate_limits_when_turned_on(settings):
    channel = connect(x)
    conditions.seed(42)
    settings.PARVIS_SANDBOX_FAILURE_RATE = 1.0
    with pytest.raises(TransientError, match="temporarily unavailable"):
        publish(channel)
    settings.PARVIS_SANDBOX_FAILURE_RATE = 0.0
    settings.PARVIS_SANDBOX_RATE_LIMIT_RATE = 1.0
    with pytest.raises(RateLimited) as limited:
        publish(channel)
    assert limited.value.retry_at > timezone.now()
    assert SandboxPost.objects.count() == 0  # nothing was published by a refused call


def test_the_audience_reacts_over_time_in_french_and_english():
    channel = connect(x)
    result = publish(channel)
    post = SandboxPost.objects.get(remote_id=result.remote_id)
    post.published_at = timezone.now() - timedelta(days=2)
    post.save(update_fields=["published_at"])
    SandboxPost.objects.bulk_create(
        SandboxPost(
            account=post.account,
            remote_id=f"old{i}",
            text="Ancien",
            published_at=timezone.now() - timedelta(days=1, hours=i),
        )
        for i in range(12)
    )
    half_hour = post.published_at + timedelta(minutes=30)
    simulate_audience(now=half_hour)
    early = SandboxInteraction.objects.filter(post=post).count()
    assert SandboxInteraction.objects.filter(post=post, created_at__gt=half_hour).count() == 0
    later = simulate_audience()
    assert later > 0
    assert simulate_audience() == 0  # idempotent
    on_post = SandboxInteraction.objects.filter(post=post)
    assert on_post.filter(kind="reaction").exists()
    assert on_post.filter(kind="comment").exclude(text="").exists()
    languages = set(
        SandboxInteraction.objects.exclude(language="").values_list("language", flat=True)
    )
    assert languages == {"fr", "en"}
    assert early < on_post.count()  # more reactions arrived after the first half hour


def test_interactions_are_paged_with_a_cursor():
    channel = connect(x)
    remote_id = published_ago(channel, days=1)
    first = async_to_sync(x.fetch_interactions)(channel)
    assert first.items and all(i.post_remote_id in ("", remote_id) for i in first.items)
    assert {i.kind for i in first.items} <= set(InteractionKind)
    again = async_to_sync(x.fetch_interactions)(channel, cursor=first.cursor)
    assert again.items == ()
    assert again.cursor == first.cursor


def test_reply_goes_out_as_a_post_and_metrics_follow_reactions():
    channel = connect(x)
    remote_id = published_ago(channel, hours=30)
    comment = SandboxInteraction.objects.filter(kind="comment").first()
    answer = async_to_sync(x.reply)(
        channel, to_remote_id=comment.remote_id, text="Merci !", idempotency_key="r-1"
    )
    assert SandboxPost.objects.get(remote_id=answer.remote_id).reply_to_id == comment.remote_id
    samples = async_to_sync(x.fetch_metrics)(channel, remote_ids=[remote_id])
    figures = {(s.name, s.remote_id): s.value for s in samples}
    assert figures[("followers", "")] >= 1200
    likes = SandboxInteraction.objects.filter(post__remote_id=remote_id, kind="reaction")
    assert figures[("likes", remote_id)] == likes.count()
    assert figures[("views", remote_id)] >= figures[("reach", remote_id)] > 0
