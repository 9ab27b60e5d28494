"""A brand connects its Facebook Page through Parvis's own pages, publishes text with
three photos and a first comment, receives comments (polled and by a signed webhook),
answers, hides one, and sees its figures; every Graph error reaches the person."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parvis.analytics.actions import collections_ensure
from parvis.analytics.models import MetricsCollection, MetricSnapshot
from parvis.channels.models import ChannelStatus
from parvis.channels.selectors import channel_ref
from parvis.engine.runner import run_once
from parvis.inbox.models import InboundEvent, Message
from parvis.networks import registry
from parvis.publishing.actions import post_schedule
from parvis.publishing.media_models import PostMedia
from parvis.publishing.models import Delivery, Post
from parvis.publishing.uploads import media_upload
from tests.publishing.media_files import image_bytes

pytestmark = pytest.mark.django_db


def schedule(workspace, user, channel, text: str, photos: int = 0, first_comment: str = ""):
    post = Post.objects.create(workspace=workspace, text=text, first_comment=first_comment)
    for position in range(photos):
        upload = SimpleUploadedFile(f"p{position}.jpg", image_bytes(1080, 1080), "image/jpeg")
        asset = media_upload(workspace=workspace, upload=upload, acting_user=user)
        PostMedia.objects.create(post=post, asset=asset, position=position)
    post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=None)
    for _round in range(3):
        run_once(Delivery)
    return post


def test_connect_publish_converse_and_measure(
    channel, workspace, user, meta_server, logged_in_client
):
    client = logged_in_client
    network = registry.get("facebook")
    page_id = channel.external_id
    assert channel.name == "Boulangerie Test" and channel.credential.expires_at is None
    post = schedule(workspace, user, channel, "Three breads today", 3, "Open 7am to 1pm")
    main, comment = Delivery.objects.filter(post=post).order_by("position")
    assert (main.state, comment.state) == ("published", "published"), main.last_error
    (made,) = meta_server.get("/_test/fb/posts", page_id=page_id)["posts"]
    assert made["id"] == main.remote_id and len(made["photos"]) == 3
    assert [c["message"] for c in made["comments"]] == ["Open 7am to 1pm"]

    # A comment arrives: polling finds it...
    ref = channel_ref(channel=channel)
    arrived = meta_server.http.post(
        "/_test/fb/comment", json={"on": main.remote_id, "message": "Gluten-free?"}
    ).json()
    found = async_to_sync(network.fetch_interactions)(ref)
    assert [i.text for i in found.items] == ["Gluten-free?"]
    # ...and Meta pushes it, signed, to Parvis's public address, after the handshake.
    handshake = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "7"}
    assert client.get("/hooks/facebook/", handshake).content == b"7"
    sent = meta_server.webhook(arrived["webhook"])
    signature = sent["headers"]["X-Hub-Signature-256"]
    body = sent["body"].encode()
    assert network.webhook_verify(sent["headers"], body)
    forged = body.replace(b"Gluten-free?", b"Free bread?")
    for wrong in (forged, body + b" "):
        refused = client.post(
            "/hooks/facebook/", wrong, "application/json", HTTP_X_HUB_SIGNATURE_256=signature
        )
        assert refused.status_code == 403
    answered = client.post(
        "/hooks/facebook/", body, "application/json", HTTP_X_HUB_SIGNATURE_256=signature
    )
    assert answered.status_code == 200
    (pushed,) = network.webhook_items(InboundEvent.objects.get(network="facebook").body)
    assert pushed.channel_external_id == page_id and pushed.interaction.remote_id == arrived["id"]
    run_once(InboundEvent)
    message = Message.objects.get(channel=channel, remote_id=arrived["id"])
    assert message.text == "Gluten-free?"

    # Parvis answers and hides it.
    answer = async_to_sync(network.reply)(
        ref, to_remote_id=arrived["id"], text="Not yet, sorry!", idempotency_key="a1"
    )
    async_to_sync(network.hide_interaction)(ref, arrived["id"], hidden=True)
    comments = meta_server.get("/_test/fb/posts", page_id=page_id)["posts"][0]["comments"]
    by_id = {c["id"]: c for c in comments}
    assert by_id[answer.remote_id]["parent_id"] == arrived["id"]
    assert by_id[arrived["id"]]["hidden"] is True

    # Figures, collected by the analytics job under Parvis's names.
    meta_server.http.post(
        "/_test/fb/insights", json={"object_id": page_id, "values": {"page_follows": 421}}
    )
    collections_ensure()
    MetricsCollection.objects.update(next_attempt_at=timezone.now())
    run_once(MetricsCollection)
    figures = dict(
        MetricSnapshot.objects.filter(channel=channel, remote_id="").values_list("name", "value")
    )
    assert figures["followers"] == 421
    post_figures = MetricSnapshot.objects.filter(channel=channel, remote_id=main.remote_id)
    assert {"views", "reach", "likes", "clicks", "comments", "shares"} <= set(
        post_figures.values_list("name", flat=True)
    )


PUBLISHING_ERRORS = [
    # (fault, delivery state, what the person reads)
    ({"code": 1}, "retrying", "Facebook is having temporary trouble: Parvis will try again."),
    ({"code": 2}, "retrying", "Facebook is having temporary trouble: Parvis will try again."),
    ({"code": 4}, "retrying", "Parvis has reached Facebook's limit for all its accounts"),
    ({"code": 17}, "retrying", "Facebook asks Parvis to slow down on this account"),
    ({"code": 32}, "retrying", "Facebook asks Parvis to slow down on this account"),
    ({"code": 613}, "retrying", "it resumes in about 60 minutes"),
    ({"code": 80001}, "retrying", "Facebook asks Parvis to slow down on this account"),
    ({"code": 368}, "failed", "temporarily blocked this account from posting for a policy"),
    ({"code": 506}, "failed", "Facebook refuses a duplicate post: change the text"),
    ({"code": 190}, "needs_attention", "Facebook no longer accepts this channel's access"),
    *[
        ({"code": 190, "subcode": sub}, "needs_attention", reason)
        for sub, reason in [
            (458, "the app was removed"),
            (459, "log in on facebook.com and confirm"),
            (460, "password of the Facebook account"),
            (461, "ended the session"),
            (462, "ended the session"),
            (463, "the access expired"),
            (464, "is not confirmed yet"),
            (465, "ended the session"),
            (466, "ended the session"),
            (467, "no longer valid"),
        ]
    ],
    ({"action": "lost"}, "published", ""),  # verified in published_posts, not sent again
]


@pytest.mark.parametrize(("fault", "state", "message"), PUBLISHING_ERRORS)
def test_each_graph_error_reaches_the_person(
    channel, workspace, user, meta_server, fault, state, message
):
    meta_server.queue(fault, path=f"/{channel.external_id}/feed")
    post = Post.objects.create(workspace=workspace, text=f"Error {json.dumps(fault)}")
    (delivery,) = post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=None)
    for _round in range(3):
        run_once(Delivery)
    delivery.refresh_from_db()
    assert delivery.state == state
    assert message in delivery.last_error
    if state == "needs_attention":
        channel.refresh_from_db()
        assert channel.status == ChannelStatus.NEEDS_RECONNECT
        assert message in channel.status_reason
    if fault.get("action") == "lost":
        posts = meta_server.get("/_test/fb/posts", page_id=channel.external_id)["posts"]
        assert [p["id"] for p in posts] == [delivery.remote_id]
