"""Publishing to Instagram against the Instagram test server: containers, quota, errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from parvis.networks.base import (
    AuthExpired,
    MediaItem,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
    UnknownOutcome,
)

PHOTO = MediaItem(
    "/tmp/p.jpg", "image/jpeg", width=1080, height=1350, url="https://parvis.test/m/p.jpg"
)
CLIP = MediaItem(
    "/tmp/c.mp4",
    "video/mp4",
    width=1080,
    height=1920,
    duration_s=12,
    url="https://parvis.test/m/c.mp4",
)


def publish(network, channel, text="Brioche du jour", media=(PHOTO,), key="k1", **values):
    request = PublishRequest(text=text, idempotency_key=key, media=tuple(media), **values)
    return async_to_sync(network.publish)(channel, request)


def test_an_image_goes_through_a_container_then_media_publish(instagram, ig_server, sleeps):
    channel = ig_server.channel()
    result = publish(instagram, channel, "La brioche est sortie du four #boulangerie")
    state = ig_server.state(channel.external_id)
    (media,) = state["media"]
    assert result.remote_id == media["id"]
    assert result.url == media["permalink"] and "/p/" in result.url
    assert media["caption"] == "La brioche est sortie du four #boulangerie"
    (container,) = state["containers"]
    assert container["status_code"] == "PUBLISHED"
    assert container["media_url"] == PHOTO.url
    assert sleeps.waits == [1]  # one IN_PROGRESS read, then FINISHED
    assert state["quota_usage"] == 1


def test_the_quota_is_read_before_publishing(instagram, ig_server):
    channel = ig_server.channel()
    publish(instagram, channel)
    asked = [r["path"] for r in ig_server.state(channel.external_id)["requests"]]
    quota = asked.index(f"{channel.external_id}/content_publishing_limit")
    assert quota < asked.index(f"{channel.external_id}/media")


def test_a_carousel_makes_one_container_per_item_then_the_carousel(instagram, ig_server):
    channel = ig_server.channel()
    result = publish(instagram, channel, "Trois viennoiseries", media=(PHOTO, CLIP, PHOTO))
    state = ig_server.state(channel.external_id)
    (media,) = state["media"]
    assert media["id"] == result.remote_id and media["media_type"] == "CAROUSEL_ALBUM"
    children = [c for c in state["containers"] if c["is_carousel_item"]]
    assert [c["media_type"] for c in children] == ["IMAGE", "VIDEO", "IMAGE"]
    assert all(c["caption"] == "" for c in children)
    (carousel,) = [c for c in state["containers"] if c["media_type"] == "CAROUSEL"]
    assert carousel["children"] == [c["id"] for c in children]
    assert carousel["caption"] == "Trois viennoiseries"


def test_a_video_is_a_reel_and_takes_several_reads(instagram, ig_server, sleeps):
    channel = ig_server.channel()
    result = publish(instagram, channel, "Le pétrin en action", media=(CLIP,))
    (container,) = ig_server.state(channel.external_id)["containers"]
    assert container["media_type"] == "REELS" and container["media_url"] == CLIP.url
    assert "/reel/" in result.url
    assert sleeps.waits == [1, 2, 3]  # growing waits while IN_PROGRESS


def test_a_container_in_error_fails_with_instagram_reason(instagram, ig_server):
    channel = ig_server.channel()
    ig_server.control(container_fates=["ERROR"])
    with pytest.raises(PermanentError) as caught:
        publish(instagram, channel, media=(CLIP,))
    assert "MP4" in str(caught.value.user_message)
    assert "2207026" in caught.value.detail
    assert ig_server.state(channel.external_id)["media"] == []


def test_an_expired_container_fails_and_says_to_publish_again(instagram, ig_server):
    channel = ig_server.channel()
    ig_server.control(container_fates=["EXPIRED"])
    with pytest.raises(PermanentError, match="within 24 hours"):
        publish(instagram, channel)


def test_a_container_still_processing_after_every_read_is_tried_again_later(instagram, ig_server):
    channel = ig_server.channel()
    ig_server.control(config={"video_reads": 50})
    with pytest.raises(TransientError, match="still processing"):
        publish(instagram, channel, media=(CLIP,))
    assert ig_server.state(channel.external_id)["media"] == []


def test_a_full_quota_waits_until_the_oldest_post_leaves_the_24_hours(instagram, ig_server):
    channel = ig_server.channel()
    ig_server.control(config={"quota_total": 2})
    publish(instagram, channel, "un", key="a")
    first = ig_server.state(channel.external_id)["media"][0]
    publish(instagram, channel, "deux", key="b")
    with pytest.raises(RateLimited) as caught:
        publish(instagram, channel, "trois", key="c")
    error = caught.value
    assert error.scope == "channel"
    assert "2 posts allowed through apps in 24 hours" in str(error.user_message)
    made = timezone.datetime.strptime(first["timestamp"], "%Y-%m-%dT%H:%M:%S%z")
    assert error.retry_at == made + timedelta(hours=24)
    assert len(ig_server.state(channel.external_id)["media"]) == 2


def test_the_quota_frees_as_the_window_rolls(instagram, ig_server):
    channel = ig_server.channel()
    ig_server.control(config={"quota_total": 1})
    publish(instagram, channel, "un", key="a")
    ig_server.control(advance_seconds=24 * 3600 + 5)
    try:
        publish(instagram, channel, "deux", key="b")
    finally:
        ig_server.control(advance_seconds=-(24 * 3600 + 5))
    assert len(ig_server.state(channel.external_id)["media"]) == 2


def test_media_without_a_public_address_is_refused_before_any_call(instagram, ig_server):
    channel = ig_server.channel()
    local = MediaItem("/tmp/p.jpg", "image/jpeg", width=1080, height=1080)
    with pytest.raises(PermanentError, match="PARVIS_BASE_URL"):
        publish(instagram, channel, media=(local,))
    assert ig_server.state(channel.external_id)["containers"] == []


def test_a_post_without_media_is_refused(instagram, ig_server):
    with pytest.raises(PermanentError, match="image or a video"):
        publish(instagram, ig_server.channel(), media=())


def test_the_first_comment_goes_under_the_post(instagram, ig_server):
    channel = ig_server.channel()
    post = publish(instagram, channel)
    comment = publish(
        instagram, channel, "Lien en bio !", media=(), part="comment", reply_to_id=post.remote_id
    )
    (row,) = ig_server.state(channel.external_id)["comments"]
    assert row["id"] == comment.remote_id and row["media_id"] == post.remote_id
    assert row["text"] == "Lien en bio !"


def test_a_lost_publish_answer_is_verified_by_container_then_caption(instagram, ig_server):
    channel = ig_server.channel()
    since = timezone.now()
    ig_server.control(faults=["lost"], path="media_publish")
    with pytest.raises(UnknownOutcome):
        publish(instagram, channel, "Perdu puis retrouvé", key="lost-1")
    request = PublishRequest(text="Perdu puis retrouvé", idempotency_key="lost-1", media=(PHOTO,))
    found = async_to_sync(instagram.find_published)(channel, request, since=since)
    (media,) = ig_server.state(channel.external_id)["media"]
    assert found is not None and found.remote_id == media["id"]


def test_find_published_answers_none_when_the_container_was_never_published(instagram, ig_server):
    channel = ig_server.channel()
    ig_server.control(faults=["503"], path="media_publish")
    with pytest.raises(TransientError):
        publish(instagram, channel, "Jamais parti", key="never")
    request = PublishRequest(text="Jamais parti", idempotency_key="never", media=(PHOTO,))
    since = timezone.now() - timedelta(minutes=5)
    assert async_to_sync(instagram.find_published)(channel, request, since=since) is None


def test_deleting_a_post_is_refused_clearly(instagram, ig_server):
    with pytest.raises(PermanentError, match="delete it in the Instagram app"):
        async_to_sync(instagram.delete)(ig_server.channel(), "123")


def test_a_revoked_token_needs_a_reconnect(instagram, ig_server):
    channel = ig_server.channel()
    ig_server.control(revoke=channel.access_token)
    with pytest.raises(AuthExpired):
        publish(instagram, channel)
    with pytest.raises(AuthExpired):
        async_to_sync(instagram.check_health)(channel)


def test_an_app_rate_limit_is_held_for_the_app(instagram, ig_server):
    channel = ig_server.channel()
    ig_server.control(faults=["rate_limit"], path="content_publishing_limit")
    with pytest.raises(RateLimited) as caught:
        publish(instagram, channel)
    assert caught.value.scope == "app"


def test_instagram_fetches_the_media_from_its_address(instagram, ig_server):
    ig_server.control(config={"fetch_media": True})
    channel = ig_server.channel()
    unreachable = MediaItem(
        "/tmp/p.jpg", "image/jpeg", width=1080, height=1080, url="http://127.0.0.1:9/p.jpg"
    )
    with pytest.raises(PermanentError, match="could not download the file from Parvis"):
        publish(instagram, channel, media=(unreachable,))


def test_a_lost_first_comment_is_found_again_instead_of_posted_twice(instagram, ig_server):
    channel = ig_server.channel()
    post = publish(instagram, channel)
    values = {"media": (), "part": "comment", "reply_to_id": post.remote_id}
    ig_server.control(faults=["lost"], path=f"/{post.remote_id}/comments")
    with pytest.raises(UnknownOutcome):
        publish(instagram, channel, "Lien en bio", key="c1", **values)
    request = PublishRequest(text="Lien en bio", idempotency_key="c1", **values)
    since = timezone.now() - timedelta(minutes=1)
    found = async_to_sync(instagram.find_published)(channel, request, since=since)
    (row,) = ig_server.state(channel.external_id)["comments"]
    assert found is not None and found.remote_id == row["id"]
