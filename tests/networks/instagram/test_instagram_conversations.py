"""Comments, replies, mentions, webhooks and figures against the Instagram test server."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync

from parvis.networks.base import InteractionKind, PermanentError
from tests.networks.instagram.test_instagram_publishing import publish


@pytest.fixture
def posted(instagram, ig_server):
    channel = ig_server.channel()
    return channel, publish(instagram, channel, "Nouvelle tarte aux pommes")


def test_comments_and_replies_arrive_newest_last_and_the_cursor_moves_on(
    instagram, ig_server, posted
):
    channel, post = posted
    first = ig_server.comment(post.remote_id, "Miam !", username="lea.dupont")
    ig_server.comment(post.remote_id, "Moi aussi", username="tom", parent_id=first["id"])
    page = async_to_sync(instagram.fetch_interactions)(channel)
    kinds = [(i.kind, i.text, i.author_handle) for i in page.items]
    assert kinds == [
        (InteractionKind.COMMENT, "Miam !", "@lea.dupont"),
        (InteractionKind.REPLY, "Moi aussi", "@tom"),
    ]
    assert page.items[0].post_remote_id == post.remote_id
    assert page.items[0].url == post.url
    assert page.items[1].in_reply_to_id == first["id"]
    again = async_to_sync(instagram.fetch_interactions)(channel, cursor=page.cursor)
    assert again.items == ()


def test_mentions_arrive_with_the_posts_that_tag_the_account(instagram, ig_server, posted):
    channel, _post = posted
    ig_server.mention(channel.external_id, "Merci @lamiedoree pour le pain !")
    page = async_to_sync(instagram.fetch_interactions)(channel)
    (mention,) = [i for i in page.items if i.kind == InteractionKind.MENTION]
    assert mention.text == "Merci @lamiedoree pour le pain !"
    assert mention.author_handle == "@boulangerie.voisine"


def test_a_reply_goes_under_the_comment_and_the_brand_own_answers_are_not_fetched(
    instagram, ig_server, posted
):
    channel, post = posted
    comment = ig_server.comment(post.remote_id, "Vous ouvrez dimanche ?")
    answer = async_to_sync(instagram.reply)(
        channel, to_remote_id=comment["id"], text="Oui, de 8 h à 13 h !", idempotency_key="r"
    )
    rows = {c["id"]: c for c in ig_server.state(channel.external_id)["comments"]}
    assert rows[answer.remote_id]["parent_id"] == comment["id"]
    assert rows[answer.remote_id]["text"] == "Oui, de 8 h à 13 h !"
    texts = [i.text for i in async_to_sync(instagram.fetch_interactions)(channel).items]
    assert texts == ["Vous ouvrez dimanche ?"]


def test_an_answer_to_a_reply_goes_under_its_top_comment(instagram, ig_server, posted):
    channel, post = posted
    top = ig_server.comment(post.remote_id, "Question")
    nested = ig_server.comment(post.remote_id, "Pareil", parent_id=top["id"])
    answer = async_to_sync(instagram.reply)(
        channel, to_remote_id=nested["id"], text="Réponse", idempotency_key="r"
    )
    rows = {c["id"]: c for c in ig_server.state(channel.external_id)["comments"]}
    assert rows[answer.remote_id]["parent_id"] == top["id"]


def test_hide_show_and_delete_a_comment(instagram, ig_server, posted):
    channel, post = posted
    comment = ig_server.comment(post.remote_id, "Spam spam")

    def row():
        found = ig_server.state(channel.external_id)["comments"]
        return next(c for c in found if c["id"] == comment["id"])

    async_to_sync(instagram.hide_interaction)(channel, comment["id"], hidden=True)
    assert row()["hidden"] is True
    async_to_sync(instagram.hide_interaction)(channel, comment["id"], hidden=False)
    assert row()["hidden"] is False
    async_to_sync(instagram.delete_interaction)(channel, comment["id"])
    assert row()["deleted"] is True


def test_the_brand_cannot_hide_its_own_comment_and_hears_why(instagram, ig_server, posted):
    channel, post = posted
    own = publish(
        instagram, channel, "À vous !", media=(), part="comment", reply_to_id=post.remote_id
    )
    with pytest.raises(PermanentError, match="cannot hide your own comment"):
        async_to_sync(instagram.hide_interaction)(channel, own.remote_id, hidden=True)


def test_a_signed_webhook_delivery_is_verified_and_read(instagram, ig_server, posted):
    channel, post = posted
    sent = ig_server.comment(post.remote_id, "Trop bon", username="lea.dupont")
    body = sent["webhook_body"].encode()
    headers = {"X-Hub-Signature-256": sent["signature"]}
    assert instagram.webhook_verify(headers, body)
    assert not instagram.webhook_verify(headers, body + b" ")
    assert not instagram.webhook_verify({"X-Hub-Signature-256": "sha256=00"}, body)
    (item,) = instagram.webhook_items(body)
    assert item.channel_external_id == channel.external_id
    assert item.interaction.remote_id == sent["id"]
    assert item.interaction.text == "Trop bon"
    assert item.interaction.post_remote_id == post.remote_id


def test_webhook_mentions_and_the_brand_own_comments(instagram):
    delivery = {
        "object": "instagram",
        "entry": [
            {
                "id": "17841400000000001",
                "time": 1,
                "changes": [
                    {"field": "mentions", "value": {"media_id": "m1", "comment_id": "c9"}},
                    {
                        "field": "comments",
                        "value": {"from": {"id": "17841400000000001"}, "id": "c1", "text": "x"},
                    },
                ],
            }
        ],
    }
    (item,) = instagram.webhook_items(json.dumps(delivery).encode())
    assert item.interaction.kind == InteractionKind.MENTION
    assert (item.interaction.remote_id, item.interaction.post_remote_id) == ("c9", "m1")
    assert instagram.webhook_items(b"not json") == []


def test_the_subscription_handshake(instagram):
    ok = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    assert instagram.webhook_challenge(ok) == "1158201444"
    assert instagram.webhook_challenge({**ok, "hub.verify_token": "wrong"}) is None


def test_figures_use_parvis_names(instagram, ig_server, posted):
    channel, post = posted
    samples = async_to_sync(instagram.fetch_metrics)(channel, remote_ids=[post.remote_id])
    account = {s.name: s.value for s in samples if not s.remote_id}
    assert account == {"followers": 1200, "views": 5400, "reach": 3100}
    figures = {s.name: s.value for s in samples if s.remote_id == post.remote_id}
    assert figures == {
        "views": 840,
        "reach": 610,
        "likes": 57,
        "comments": 0,
        "shares": 4,
        "saves": 9,
        "engagements": 70,
    }


def test_a_retired_metric_name_is_refused_by_the_server(instagram, ig_server, posted, monkeypatch):
    channel, post = posted
    monkeypatch.setattr("parvis.networks.instagram.metrics.MEDIA_METRICS", {"impressions": "views"})
    samples = async_to_sync(instagram.fetch_metrics)(channel, remote_ids=[post.remote_id])
    assert [s for s in samples if s.remote_id] == []  # logged and skipped, account kept


def test_comments_made_between_two_readings_are_each_read_once(instagram, ig_server, posted):
    channel, post = posted
    first = ig_server.comment(post.remote_id, "Premier", username="lea.dupont")
    page = async_to_sync(instagram.fetch_interactions)(channel)
    second = ig_server.comment(post.remote_id, "Deuxième, dans la foulée", username="tom")
    again = async_to_sync(instagram.fetch_interactions)(channel, cursor=page.cursor)
    last = async_to_sync(instagram.fetch_interactions)(channel, cursor=again.cursor)
    assert [i.remote_id for i in page.items if i.remote_id == first["id"]] == [first["id"]]
    assert [i.remote_id for i in again.items] == [second["id"]]
    assert last.items == ()
