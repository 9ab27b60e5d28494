"""Comments on a Page's posts: polling with a cursor, the feed webhook, answering,
hiding and deleting; and the Page's figures."""

from __future__ import annotations

import json

import pytest

from parvis.networks.base import InteractionKind, PermanentError, PublishRequest


def publish(page, text: str) -> str:
    request = PublishRequest(text=text, idempotency_key=text)
    return page.call("publish", page.channel, request).remote_id


def comment(page, on: str, message: str, name: str = "Camille Martin") -> dict:
    body = {"on": on, "message": message, "from": {"id": "5550001", "name": name}}
    response = page.server.http.post("/_test/fb/comment", json=body)
    response.raise_for_status()
    return response.json()


def test_polling_finds_comments_and_replies_once(page):
    post_id = publish(page, "Open on Sunday?")
    first = comment(page, post_id, "Yes please!")
    batch = page.call("fetch_interactions", page.channel)
    (item,) = batch.items
    assert (item.remote_id, item.kind, item.text) == (
        first["id"],
        InteractionKind.COMMENT,
        "Yes please!",
    )
    assert (item.author_id, item.author_name, item.post_remote_id) == (
        "5550001",
        "Camille Martin",
        post_id,
    )
    # Our own answer is not an interaction; a reply to it is, once.
    page.call("reply", page.channel, to_remote_id=first["id"], text="Thanks!", idempotency_key="r")
    page.server.http.post("/_test/fb/clock", json={"epoch": item.created_at.timestamp() + 5})
    try:
        second = comment(page, first["id"], "Great", name="Léa")
        again = page.call("fetch_interactions", page.channel, cursor=batch.cursor)
    finally:
        page.server.http.post("/_test/fb/clock", json={"epoch": 0})
    (reply,) = again.items
    assert (reply.remote_id, reply.kind, reply.in_reply_to_id) == (
        second["id"],
        InteractionKind.REPLY,
        first["id"],
    )
    assert page.call("fetch_interactions", page.channel, cursor=again.cursor).items == ()


def test_reply_hide_and_delete_a_comment(page):
    post_id = publish(page, "New bread")
    made = comment(page, post_id, "Spam spam")
    answer = page.call(
        "reply", page.channel, to_remote_id=made["id"], text="Hello", idempotency_key="x"
    )
    state = page.server.get("/_test/fb/posts", page_id=page.channel.external_id)["posts"][0]
    replies = [c for c in state["comments"] if c["parent_id"] == made["id"]]
    assert [(c["id"], c["message"]) for c in replies] == [(answer.remote_id, "Hello")]
    page.call("hide_interaction", page.channel, made["id"], hidden=True)
    rows = page.server.get("/_test/fb/posts", page_id=page.channel.external_id)["posts"][0]
    assert next(c for c in rows["comments"] if c["id"] == made["id"])["hidden"] is True
    page.call("hide_interaction", page.channel, made["id"], hidden=False)
    page.call("delete_interaction", page.channel, made["id"])
    rows = page.server.get("/_test/fb/posts", page_id=page.channel.external_id)["posts"][0]
    assert all(c["id"] != made["id"] for c in rows["comments"])
    with pytest.raises(PermanentError):
        page.call("delete_interaction", page.channel, made["id"])


def test_a_signed_feed_delivery_becomes_an_interaction(page, facebook):
    post_id = publish(page, "Webhooks")
    made = comment(page, post_id, "Pushed to you")
    sent = page.server.webhook(made["webhook"])
    body = sent["body"].encode()
    assert facebook.webhook_verify(sent["headers"], body)
    assert not facebook.webhook_verify(sent["headers"], body.replace(b"Pushed", b"Pulled"))
    forged = page.server.webhook(made["webhook"], secret="not-the-app-secret")
    assert not facebook.webhook_verify(forged["headers"], forged["body"].encode())
    (item,) = facebook.webhook_items(body)
    assert item.channel_external_id == page.channel.external_id
    assert (item.interaction.remote_id, item.interaction.text) == (made["id"], "Pushed to you")
    assert item.interaction.kind == InteractionKind.COMMENT
    # The Page's own comments, other fields and other objects are left out.
    own = json.loads(body)
    own["entry"][0]["changes"][0]["value"]["from"]["id"] = page.channel.external_id
    assert facebook.webhook_items(json.dumps(own).encode()) == []
    assert facebook.webhook_items(b'{"object":"instagram","entry":[]}') == ()


def test_the_subscription_handshake(facebook, meta_server):
    params = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "42"}
    assert facebook.webhook_challenge(params) == "42"
    assert facebook.webhook_challenge({**params, "hub.verify_token": "nope"}) is None


def test_page_and_post_figures_under_parvis_names(page):
    post_id = publish(page, "Counted")
    comment(page, post_id, "one")
    page_id = page.channel.external_id
    insights = {
        page_id: {
            "page_follows": 420,
            "page_media_view": 9000,
            "page_total_media_view_unique": 3100,
        },
        post_id: {
            "post_media_view": 800,
            "post_total_media_view_unique": 610,
            "post_reactions_by_type_total": {"like": 30, "love": 4},
            "post_clicks": 12,
        },
    }
    for object_id, values in insights.items():
        body = {"object_id": object_id, "values": values}
        page.server.http.post("/_test/fb/insights", json=body).raise_for_status()
    samples = page.call("fetch_metrics", page.channel, remote_ids=[post_id])
    account = {s.name: s.value for s in samples if not s.remote_id}
    post = {s.name: s.value for s in samples if s.remote_id == post_id}
    assert account == {"followers": 420, "views": 9000, "reach": 3100, "engagements": 0}
    assert post == {
        "views": 800,
        "reach": 610,
        "likes": 34,
        "clicks": 12,
        "comments": 1,
        "shares": 0,
    }


def test_a_retired_metric_name_is_a_clear_refusal(page, settings):
    settings.PARVIS_FACEBOOK_PAGE_METRICS = {"page_impressions": "views"}
    with pytest.raises(PermanentError, match="valid insights metric"):
        page.call("fetch_metrics", page.channel)


def test_two_comments_in_the_same_second_are_both_found_once(page):
    post_id = publish(page, "Same second")
    page.server.http.post("/_test/fb/clock", json={"epoch": 1_900_000_000})
    try:
        first = comment(page, post_id, "First")
        batch = page.call("fetch_interactions", page.channel)
        second = comment(page, post_id, "Second, same second")
        again = page.call("fetch_interactions", page.channel, cursor=batch.cursor)
        last = page.call("fetch_interactions", page.channel, cursor=again.cursor)
    finally:
        page.server.http.post("/_test/fb/clock", json={"epoch": 0})
    assert [i.remote_id for i in batch.items] == [first["id"]]
    assert [i.remote_id for i in again.items] == [second["id"]]
    assert last.items == ()


def test_a_retired_metric_is_left_out_and_the_others_still_come(page, settings):
    settings.PARVIS_FACEBOOK_PAGE_METRICS = {
        "page_impressions": "views",
        "page_follows": "followers",
    }
    page.server.http.post(
        "/_test/fb/insights",
        json={"object_id": page.channel.external_id, "values": {"page_follows": 77}},
    )
    samples = page.call("fetch_metrics", page.channel)
    assert [(s.name, s.value, s.remote_id) for s in samples] == [("followers", 77, "")]


def test_the_page_likes_and_unlikes_a_comment(page):
    post_id = publish(page, "Fresh brioche")
    made = comment(page, post_id, "Looks delicious")

    def liked() -> bool:
        rows = page.server.get("/_test/fb/posts", page_id=page.channel.external_id)["posts"][0]
        return next(c for c in rows["comments"] if c["id"] == made["id"])["liked"]

    page.call("like_interaction", page.channel, made["id"], liked=True)
    assert liked() is True
    page.call("like_interaction", page.channel, made["id"], liked=True)  # again: still liked
    assert liked() is True
    page.call("like_interaction", page.channel, made["id"], liked=False)
    assert liked() is False
    calls = [
        (r["method"], r["path"])
        for r in page.server.get("/_test/requests")["requests"]
        if r["path"].endswith("/likes")
    ]
    assert calls[-2:] == [("POST", f"/{made['id']}/likes"), ("DELETE", f"/{made['id']}/likes")]
    page.call("delete_interaction", page.channel, made["id"])
    with pytest.raises(PermanentError):
        page.call("like_interaction", page.channel, made["id"], liked=True)
