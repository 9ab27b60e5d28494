"""A brand connects an X account through Parvis's own pages, publishes a thread with an
image through the engine, reads mentions, answers, hides a reply and sees its figures.

Parvis's views run through Django's test client; X is the test server in its own
process (the browser's trip to X's consent page is made with httpx).
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from parvis.analytics.actions import collections_ensure
from parvis.analytics.models import MetricsCollection
from parvis.analytics.snapshots import MetricSnapshot
from parvis.channels.models import Channel, ChannelStatus
from parvis.channels.refreshing import credentials_refresh_due
from parvis.channels.selectors import channel_ref
from parvis.engine.runner import run_once
from parvis.networks import registry
from parvis.networks.base import InteractionKind
from parvis.publishing import actions
from parvis.publishing.media import MediaChoice
from parvis.publishing.models import Delivery
from parvis.publishing.uploads import media_upload
from tests.networks.x.conftest import XServer
from tests.networks.x.test_x_media_and_conversations import _no_wait
from tests.publishing.media_files import image_bytes
from tests.publishing.test_media_library import upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def x_ready(x_app: XServer, x_registered, monkeypatch) -> XServer:
    monkeypatch.setattr(registry.get("x"), "_sleep", _no_wait)
    return x_app


def connect_through_parvis(client, workspace, server: XServer, user_id: str, username: str):
    start = client.get(f"/w/{workspace.slug}/channels/connect/x/")
    assert start.status_code == 302 and start["Location"].startswith(server.base_url)
    server.consent(user_id, username=username)
    consent = server.http.get(start["Location"].removeprefix(server.base_url))
    assert consent.status_code == 302
    back = urlsplit(consent.headers["location"])
    assert back.path == "/connect/callback/x/"  # the one address the X app registers
    return client.get(f"{back.path}?{back.query}", follow=True)


def test_connect_publish_a_thread_with_an_image_read_answer_hide_and_measure(
    logged_in_client, workspace, user, x_ready
):
    server = x_ready
    page = connect_through_parvis(logged_in_client, workspace, server, "8300000001", "fournil")
    assert "Connected: fournil" in page.content.decode()
    channel = Channel.objects.get(workspace=workspace, network="x")
    assert (channel.external_id, channel.options) == ("8300000001", {"username": "fournil"})
    credential = channel.credential
    assert credential.refresh_token and credential.expires_at > timezone.now()

    # A thread with an image, through the publishing engine.
    asset = media_upload(
        workspace=workspace,
        upload=upload("pain.jpg", image_bytes(800, 1000), "image/jpeg"),
        acting_user=user,
    )
    post = actions.post_draft(
        workspace=workspace,
        text="1/2 Notre nouvelle boutique ouvre lundi.",
        thread_parts=["2/2 Rue de la République, à Lyon."],
        channels=[channel],
        acting_user=user,
        media=MediaChoice(shared=[asset]),
    )
    actions.post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=user)
    for _round in range(6):
        run_once(Delivery)
    deliveries = list(Delivery.objects.filter(post=post).order_by("position"))
    assert [d.state for d in deliveries] == ["published", "published"], [
        d.last_error for d in deliveries
    ]
    tweets = {t["id"]: t for t in server.tweets("8300000001")}
    first, second = (tweets[d.remote_id] for d in deliveries)
    assert len(first["media_keys"]) == 1 and second["media_keys"] == []
    assert second["in_reply_to_id"] == first["id"]

    # Someone answers, someone mentions the brand: Parvis reads both, answers, hides one.
    fan = server.new_channel(username="gourmande")
    their_reply = server.post_as(fan, "J'y serai !", reply_to=first["id"])
    mention = server.post_as(fan, "Vivement lundi @fournil")
    network, ref = registry.get("x"), channel_ref(channel=Channel.objects.get(pk=channel.pk))
    page = async_to_sync(network.fetch_interactions)(ref)
    kinds = {i.remote_id: i.kind for i in page.items}
    assert kinds == {their_reply: InteractionKind.REPLY, mention: InteractionKind.MENTION}
    answer = async_to_sync(network.reply)(
        ref, to_remote_id=mention, text="À lundi !", idempotency_key="answer-1"
    )
    async_to_sync(network.hide_interaction)(ref, their_reply, hidden=True)
    rows = {t["id"]: t for t in server.tweets("")}
    assert rows[answer.remote_id]["in_reply_to_id"] == mention
    assert rows[their_reply]["hidden"] is True

    # Figures, through the analytics collection.
    server.set_metrics(tweet=first["id"], impression_count=321, like_count=12, bookmark_count=2)
    server.set_metrics(user="8300000001", followers_count=77)
    collections_ensure()
    run_once(MetricsCollection)
    figures = {
        (s.remote_id, s.name): s.value for s in MetricSnapshot.objects.filter(channel=channel)
    }
    assert figures[("", "followers")] == 77
    assert figures[(first["id"], "views")] == 321
    assert figures[(first["id"], "likes")] == 12
    assert figures[(first["id"], "saves")] == 2
    assert figures[(first["id"], "comments")] == 2  # the thread's second part, and the fan


def test_refusing_on_x_consent_page_connects_nothing(logged_in_client, workspace, x_ready):
    start = logged_in_client.get(f"/w/{workspace.slug}/channels/connect/x/")
    x_ready.consent("8300000002", answer="deny")
    consent = x_ready.http.get(start["Location"].removeprefix(x_ready.base_url))
    back = urlsplit(consent.headers["location"])
    page = logged_in_client.get(f"{back.path}?{back.query}", follow=True)
    assert "X did not grant access (access_denied)" in page.content.decode()
    assert not Channel.objects.filter(network="x").exists()


def test_the_worker_renews_x_tokens_before_they_expire_and_keeps_the_newest(
    logged_in_client, workspace, x_ready
):
    server = x_ready
    connect_through_parvis(logged_in_client, workspace, server, "8300000003", "renouveau")
    channel = Channel.objects.get(workspace=workspace, network="x")
    first = channel.credential
    assert credentials_refresh_due() == 0  # two hours left: not yet
    later = first.expires_at - timedelta(minutes=10)
    assert credentials_refresh_due(now=later) == 1
    renewed = Channel.objects.get(pk=channel.pk).credential
    assert renewed.refresh_token != first.refresh_token
    assert renewed.access_token != first.access_token
    async_to_sync(registry.get("x").check_health)(channel_ref(channel=renewed.channel))

    # The refresh token is spent elsewhere (say, a restored backup): X refuses it.
    form = {"grant_type": "refresh_token", "refresh_token": renewed.refresh_token}
    server.http.post(
        "/2/oauth2/token", data=form, auth=("parvis-test-client", "parvis-test-secret")
    ).raise_for_status()
    assert credentials_refresh_due(now=renewed.expires_at - timedelta(minutes=10)) == 0
    channel = Channel.objects.get(pk=channel.pk)
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert "reconnect the channel" in channel.status_reason

    # Reconnecting through the same pages gives the channel working tokens again.
    connect_through_parvis(logged_in_client, workspace, server, "8300000003", "renouveau")
    channel = Channel.objects.get(pk=channel.pk)
    assert channel.status != ChannelStatus.NEEDS_RECONNECT
    async_to_sync(registry.get("x").check_health)(channel_ref(channel=channel))
