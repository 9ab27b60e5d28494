"""The X connector's media, quotes, conversations and figures against the X test server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from asgiref.sync import async_to_sync

from parvis.networks.base import (
    AuthExpired,
    ChannelRef,
    InteractionKind,
    MediaItem,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
    UnknownOutcome,
)
from parvis.networks.x import media as x_media
from parvis.networks.x.network import X
from tests.networks.x.conftest import XServer


async def _no_wait(seconds: float) -> None:
    return None


@pytest.fixture
def x(x_server: XServer) -> X:
    return X(base_url=x_server.base_url, sleep=_no_wait)


def _file(tmp_path, name: str, size: int) -> str:
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * (size // 256) + b"\0" * (size % 256))
    return str(path)


def test_an_image_with_alt_text_is_uploaded_then_attached(x, x_server, tmp_path):
    channel = x_server.new_channel(username="photos")
    image = MediaItem(_file(tmp_path, "pain.jpg", 5000), "image/jpeg", alt_text="Un pain doré")
    request = PublishRequest(text="Le pain du jour", idempotency_key="k", media=(image,))
    result = async_to_sync(x.publish)(channel, request)
    (tweet,) = x_server.tweets(channel.external_id)
    assert tweet["id"] == result.remote_id
    counters = x_server.stats()["counters"]
    assert counters["POST /2/media/metadata"] >= 1


def test_a_large_video_goes_in_chunks_and_waits_for_processing(x, x_server, tmp_path, monkeypatch):
    monkeypatch.setattr(x_media, "CHUNK_BYTES", 4096)
    waits: list[float] = []

    async def note(seconds: float) -> None:
        waits.append(seconds)

    network = X(base_url=x_server.base_url, sleep=note)
    channel = x_server.new_channel()
    video = MediaItem(_file(tmp_path, "v.mp4", 10_000), "video/mp4", duration_s=5)
    request = PublishRequest(text="Notre atelier en vidéo", idempotency_key="k", media=(video,))
    result = async_to_sync(network.publish)(channel, request)
    assert result.remote_id
    assert waits == [1.0, 1.0, 1.0]  # pending, then in_progress twice, as X suggested
    assert x_server.stats()["counters"]["GET /2/media/upload"] >= 3


def test_a_video_x_cannot_process_is_refused_with_x_reason(x, x_limits, tmp_path):
    x_limits.configure(processing_fails=True)
    channel = x_limits.new_channel()
    video = MediaItem(_file(tmp_path, "v.mp4", 3000), "video/mp4")
    request = PublishRequest(text="Vidéo cassée", idempotency_key="k", media=(video,))
    with pytest.raises(PermanentError, match="could not process this video: Unsupported video"):
        async_to_sync(x.publish)(channel, request)
    assert x_limits.tweets(channel.external_id) == []


def test_media_breaking_x_rules_is_refused_before_any_upload(x, x_server, tmp_path):
    channel = x_server.new_channel()
    image = MediaItem(_file(tmp_path, "a.png", 300), "image/png")
    video = MediaItem(_file(tmp_path, "v.mp4", 300), "video/mp4")
    request = PublishRequest(text="Mélange", idempotency_key="k", media=(image, video))

    def uploads() -> int:
        return x_server.stats()["counters"].get("POST /2/media/upload/initialize", 0)

    before = uploads()
    with pytest.raises(PermanentError, match="images and videos"):
        async_to_sync(x.publish)(channel, request)
    assert uploads() == before
    assert x_server.tweets(channel.external_id) == []


def test_a_thread_with_an_image_and_a_quote(x, x_server, tmp_path):
    channel = x_server.new_channel()
    image = MediaItem(_file(tmp_path, "a.png", 800), "image/png")
    first = async_to_sync(x.publish)(
        channel, PublishRequest(text="1/2 Ouverture", idempotency_key="a", media=(image,))
    )
    second = async_to_sync(x.publish)(
        channel,
        PublishRequest(
            text="2/2 Lundi", idempotency_key="b", reply_to_id=first.remote_id, part="thread"
        ),
    )
    quote = async_to_sync(x.publish)(
        channel,
        PublishRequest(
            text="On en parle", idempotency_key="c", options={"quote_tweet_id": first.remote_id}
        ),
    )
    rows = {t["id"]: t for t in x_server.tweets(channel.external_id)}
    assert rows[second.remote_id]["in_reply_to_id"] == first.remote_id
    assert quote.remote_id in rows


def test_mentions_and_replies_become_interactions_newer_than_the_cursor(x, x_server):
    brand = x_server.new_channel(username="fournilcursor")
    fan = x_server.new_channel(username="gourmande")
    post = async_to_sync(x.publish)(brand, PublishRequest(text="Croissants !", idempotency_key="k"))
    reply_id = x_server.post_as(fan, "J'arrive", reply_to=post.remote_id)
    mention_id = x_server.post_as(fan, "Le meilleur pain : @fournilcursor")
    page = async_to_sync(x.fetch_interactions)(brand)
    by_id = {i.remote_id: i for i in page.items}
    assert set(by_id) == {reply_id, mention_id}
    reply, mention = by_id[reply_id], by_id[mention_id]
    assert reply.kind == InteractionKind.REPLY and reply.post_remote_id == post.remote_id
    assert mention.kind == InteractionKind.MENTION and mention.post_remote_id == ""
    assert (mention.author_handle, mention.author_id) == ("@gourmande", fan.external_id)
    assert mention.url == f"https://x.com/gourmande/status/{mention_id}"
    assert mention.created_at <= datetime.now(UTC)
    assert page.cursor == mention_id
    assert async_to_sync(x.fetch_interactions)(brand, cursor=page.cursor).items == ()
    later = x_server.post_as(fan, "@fournilcursor encore !")
    newer = async_to_sync(x.fetch_interactions)(brand, cursor=page.cursor)
    assert [i.remote_id for i in newer.items] == [later] and newer.cursor == later


def test_many_mentions_are_read_across_pages(x, x_server):
    brand = x_server.new_channel(username="populaire")
    fan = x_server.new_channel()
    made = [x_server.post_as(fan, f"@populaire n°{n}") for n in range(105)]
    page = async_to_sync(x.fetch_interactions)(brand)
    assert {i.remote_id for i in page.items} == set(made)
    assert page.cursor == made[-1]


def test_reply_hide_and_delete_from_parvis(x, x_server):
    brand = x_server.new_channel(username="atelier")
    fan = x_server.new_channel(username="client")
    post = async_to_sync(x.publish)(brand, PublishRequest(text="Nouveauté", idempotency_key="k"))
    theirs = x_server.post_as(fan, "Pas terrible", reply_to=post.remote_id)
    answer = async_to_sync(x.reply)(
        brand, to_remote_id=theirs, text="Merci de votre avis", idempotency_key="r"
    )
    rows = {t["id"]: t for t in x_server.tweets(brand.external_id)}
    assert rows[answer.remote_id]["in_reply_to_id"] == theirs
    async_to_sync(x.hide_interaction)(brand, theirs, hidden=True)
    async_to_sync(x.hide_interaction)(brand, theirs, hidden=False)
    elsewhere = x_server.post_as(fan, "@atelier ailleurs")
    with pytest.raises(PermanentError, match="only the replies to its own posts"):
        async_to_sync(x.hide_interaction)(brand, elsewhere, hidden=True)
    with pytest.raises(PermanentError, match="own posts: hide the reply instead"):
        async_to_sync(x.delete_interaction)(brand, theirs)
    async_to_sync(x.delete_interaction)(brand, answer.remote_id)
    assert [t["deleted"] for t in x_server.tweets(brand.external_id, "Merci de votre avis")] == [
        True
    ]


def test_the_account_likes_and_unlikes_a_post(x, x_server):
    brand = x_server.new_channel(username="fournil")
    fan = x_server.new_channel(username="gourmand")
    theirs = x_server.post_as(fan, "@fournil quel pain !")

    def liked_by() -> list[str]:
        return next(t for t in x_server.tweets(fan.external_id) if t["id"] == theirs)["liked_by"]

    async_to_sync(x.like_interaction)(brand, theirs, liked=True)
    async_to_sync(x.like_interaction)(brand, theirs, liked=True)  # again: still liked once
    assert liked_by() == [brand.external_id]
    async_to_sync(x.like_interaction)(brand, theirs, liked=False)
    assert liked_by() == []
    with pytest.raises(PermanentError, match="X does not find it"):
        async_to_sync(x.like_interaction)(brand, "1999", liked=True)


def test_a_token_without_the_like_scope_asks_to_reconnect(x, x_server):
    fan = x_server.new_channel(username="gourmande")
    theirs = x_server.post_as(fan, "Bravo")
    body = {
        "token": "user-before-likes",
        "user_id": "880000000000071",
        "scopes": ["tweet.read", "users.read"],
    }
    x_server.http.post("/_test/tokens", json=body).raise_for_status()
    old = ChannelRef(external_id="880000000000071", access_token="user-before-likes")
    with pytest.raises(PermanentError, match="reconnect the channel so that Parvis may like"):
        async_to_sync(x.like_interaction)(old, theirs, liked=True)


def test_metrics_map_x_public_figures_onto_parvis_names(x, x_server):
    brand = x_server.new_channel()
    post = async_to_sync(x.publish)(brand, PublishRequest(text="Chiffres", idempotency_key="k"))
    x_server.set_metrics(
        tweet=post.remote_id,
        impression_count=900,
        like_count=40,
        reply_count=5,
        retweet_count=7,
        quote_count=2,
        bookmark_count=3,
    )
    x_server.set_metrics(user=brand.external_id, followers_count=1234)
    samples = async_to_sync(x.fetch_metrics)(brand, remote_ids=[post.remote_id, post.remote_id])
    figures = {(s.remote_id, s.name): s.value for s in samples}
    assert figures == {
        ("", "followers"): 1234,
        (post.remote_id, "views"): 900,
        (post.remote_id, "likes"): 40,
        (post.remote_id, "comments"): 5,
        (post.remote_id, "shares"): 7,
        (post.remote_id, "quotes"): 2,
        (post.remote_id, "saves"): 3,
    }


def test_a_monthly_usage_cap_holds_the_app_until_next_month(x, x_server):
    channel = x_server.new_channel()
    x_server.queue("usage-capped", path="/2/tweets")
    with pytest.raises(RateLimited) as caught:
        async_to_sync(x.publish)(channel, PublishRequest(text="Plafond", idempotency_key="k"))
    error = caught.value
    assert error.scope == "app" and "monthly allowance" in str(error.user_message)
    assert error.retry_at.day == 1 and error.retry_at > datetime.now(UTC)


def test_errors_while_uploading_or_reading_are_never_unknown_outcomes(x, x_server, tmp_path):
    channel = x_server.new_channel()
    image = MediaItem(_file(tmp_path, "a.png", 800), "image/png")
    x_server.queue("drop", path="/2/media/upload")
    with pytest.raises(TransientError) as caught:
        async_to_sync(x.publish)(
            channel, PublishRequest(text="Coupé", idempotency_key="k", media=(image,))
        )
    assert not isinstance(caught.value, UnknownOutcome)
    x_server.queue("401", path=f"/2/users/{channel.external_id}/mentions")
    with pytest.raises(AuthExpired):
        async_to_sync(x.fetch_interactions)(channel)
    x_server.queue("429", path="/2/users/me")
    with pytest.raises(RateLimited) as limited:
        async_to_sync(x.fetch_metrics)(channel)
    assert limited.value.scope == "channel" and limited.value.retry_at > datetime.now(UTC)
    assert x_server.tweets(channel.external_id) == []


def test_a_post_with_media_is_found_after_a_lost_answer(x, x_server, tmp_path):
    """X gives such a post back with the media's t.co link after the text."""
    channel = x_server.new_channel()
    image = MediaItem(_file(tmp_path, "a.png", 800), "image/png")
    request = PublishRequest(text="Perdu puis retrouvé", idempotency_key="k", media=(image,))
    since = datetime.now(UTC)
    x_server.queue("lost", path="/2/tweets")
    with pytest.raises(UnknownOutcome):
        async_to_sync(x.publish)(channel, request)
    (tweet,) = x_server.tweets(channel.external_id)
    assert tweet["shown"].startswith("Perdu puis retrouvé https://t.co/")
    found = async_to_sync(x.find_published)(channel, request, since=since)
    assert found is not None and found.remote_id == tweet["id"]
