"""Instagram as a brand uses it through Parvis, the Instagram test server standing in:
connect with Instagram Login (and through a Facebook Page), publish an image, a
carousel and a reel whose files Instagram downloads from Parvis, a first comment, a
comment that arrives, an answer, hiding it, the figures, and a full quota's message."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse
from django.utils import timezone

from parvis.analytics.actions import collections_ensure
from parvis.analytics.models import MetricsCollection, MetricSnapshot
from parvis.channels.models import Channel, Credential
from parvis.channels.refreshing import credentials_refresh_due
from parvis.channels.selectors import channel_ref
from parvis.engine.runner import run_once
from parvis.networks import registry
from parvis.publishing import actions
from parvis.publishing.media import MediaChoice
from parvis.publishing.models import Delivery
from tests.publishing.media_files import image_bytes, video_bytes
from tests.publishing.test_media_library import make_asset

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch):
    """The registered connectors read containers again without waiting seconds."""
    for key in ("instagram", "instagram_login"):
        monkeypatch.setattr(registry.get(key), "poll_delays", (0.01,) * 8)


@pytest.fixture
def served(live_server, ig_server, settings):
    """Parvis answers on a real port, and Instagram downloads the files from it."""
    settings.PARVIS_BASE_URL = live_server.url
    ig_server.control(config={"fetch_media": True})
    return ig_server


def connect(client, workspace, network: str) -> Channel:
    """Through Parvis's pages and the test server's consent page, as a browser would."""
    start = client.get(f"/w/{workspace.slug}/channels/connect/{network}/")
    assert start.status_code == 302
    consent = httpx.get(start["Location"])  # the network's page: it sends people back
    assert consent.status_code == 302
    back = urlsplit(consent.headers["location"])
    assert back.path == f"/connect/callback/{network}/"  # the one address the app registers
    done = client.get(f"{back.path}?{back.query}", follow=True)  # the #_ stays in the browser
    assert "Connected:" in done.content.decode()
    return Channel.objects.get(workspace=workspace, network=network)


def schedule(workspace, user, channel, text, assets, first_comment=""):
    post = actions.post_draft(
        workspace=workspace,
        text=text,
        channels=[channel],
        acting_user=user,
        media=MediaChoice(shared=list(assets)),
        first_comment=first_comment,
    )
    actions.post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=user)
    return post


def publish_post(workspace, user, channel, text, assets, first_comment=""):
    post = schedule(workspace, user, channel, text, assets, first_comment)
    for _ in range(4):
        Delivery.objects.exclude(state__in=["published", "failed"]).update(
            next_attempt_at=timezone.now()
        )
        run_once(Delivery)
    return list(Delivery.objects.filter(post=post).order_by("position"))


def test_a_brand_connects_publishes_answers_and_measures(
    logged_in_client, workspace, user, served, settings
):
    account = served.add_account("lamiedoree", "La Mie Dorée")
    served.control(consent=[account["id"]])
    channel = connect(logged_in_client, workspace, "instagram_login")
    assert (channel.external_id, channel.handle) == (account["id"], "@lamiedoree")
    credential = Credential.objects.get(channel=channel)
    assert credential.expires_at - timezone.now() > timedelta(days=59)  # the 60-day token
    assert "instagram_business_content_publish" in credential.scopes

    photo = make_asset(workspace, user, "brioche.jpg", image_bytes(1080, 1350))
    other = make_asset(workspace, user, "tarte.jpg", image_bytes(1080, 1080))
    clip = make_asset(workspace, user, "petrin.mp4", video_bytes(360, 640, 3.5))

    (image, comment) = publish_post(
        workspace, user, channel, "La brioche du jour", [photo], first_comment="Lien en bio"
    )
    assert (image.state, comment.state) == ("published", "published"), image.last_error
    (carousel,) = publish_post(workspace, user, channel, "Deux douceurs", [photo, other])
    (reel,) = publish_post(workspace, user, channel, "Le pétrin", [clip])
    assert carousel.state == reel.state == "published", (carousel.last_error, reel.last_error)
    state = served.state(account["id"])
    kinds = {m["id"]: m["media_type"] for m in state["media"]}
    assert kinds == {
        image.remote_id: "IMAGE",
        carousel.remote_id: "CAROUSEL_ALBUM",
        reel.remote_id: "VIDEO",
    }
    urls = [c["media_url"] for c in state["containers"] if c["media_url"]]
    assert all(u.startswith(f"{settings.PARVIS_BASE_URL}/media/public/") for u in urls)
    first = next(c for c in state["comments"] if c["id"] == comment.remote_id)
    assert (first["text"], first["media_id"]) == ("Lien en bio", image.remote_id)

    # A follower comments; Parvis reads it, answers and hides another.
    network, ref = registry.get("instagram_login"), channel_ref(channel=channel)
    asked = served.comment(image.remote_id, "Vous livrez ?", username="lea.dupont")
    rude = served.comment(image.remote_id, "Nul", username="troll")
    page = async_to_sync(network.fetch_interactions)(ref)
    assert [i.text for i in page.items] == ["Vous livrez ?", "Nul"]
    async_to_sync(network.reply)(
        ref, to_remote_id=asked["id"], text="Oui, dans tout Lyon !", idempotency_key="r1"
    )
    async_to_sync(network.hide_interaction)(ref, rude["id"], hidden=True)
    rows = {c["id"]: c for c in served.state(account["id"])["comments"]}
    assert rows[rude["id"]]["hidden"] is True
    assert any(c["parent_id"] == asked["id"] for c in rows.values())

    # The hourly figures, under Parvis's names.
    collections_ensure()
    MetricsCollection.objects.update(next_attempt_at=timezone.now())
    run_once(MetricsCollection)
    saved = {(s.name, s.remote_id) for s in MetricSnapshot.objects.filter(channel=channel)}
    assert ("followers", "") in saved
    assert ("saves", image.remote_id) in saved


def test_a_full_quota_tells_the_team_when_the_post_goes_out(
    logged_in_client, workspace, user, served
):
    account = served.add_account("cavesaintroch")
    served.control(consent=[account["id"]])
    channel = connect(logged_in_client, workspace, "instagram_login")
    served.control(config={"quota_total": 1})
    photo = make_asset(workspace, user, "vin.jpg", image_bytes(1080, 1080))
    (first,) = publish_post(workspace, user, channel, "Le vin du mois", [photo])
    assert first.state == "published"
    post = schedule(workspace, user, channel, "Et un autre", [photo])
    run_once(Delivery)
    second = Delivery.objects.get(post=post)
    second.refresh_from_db()
    assert second.state == "retrying"
    assert "1 posts allowed through apps in 24 hours" in second.last_error
    assert second.next_attempt_at > timezone.now() + timedelta(hours=23)
    page = logged_in_client.get(reverse("publishing:post", args=[workspace.slug, post.pk]))
    assert "allowed through apps in 24 hours" in page.content.decode()


def test_connecting_through_a_facebook_page(logged_in_client, workspace, ig_server):
    account = ig_server.add_account("fromagerielenoir", "Fromagerie Lenoir")
    ig_server.control(consent=[account["id"]])
    channel = connect(logged_in_client, workspace, "instagram")
    assert channel.external_id == account["id"]
    assert channel.options["page_id"] == account["page_id"]
    credential = Credential.objects.get(channel=channel)
    assert credential.expires_at is None  # a Page token does not expire
    ref = channel_ref(channel=channel)
    assert async_to_sync(registry.get("instagram").check_health)(ref) is None


def test_a_refused_consent_connects_nothing(logged_in_client, workspace, ig_server):
    ig_server.control(consent=[])
    start = logged_in_client.get(f"/w/{workspace.slug}/channels/connect/instagram_login/")
    back = urlsplit(httpx.get(start["Location"]).headers["location"])
    done = logged_in_client.get(f"{back.path}?{back.query}", follow=True)
    assert "did not grant access (The user denied your request.)" in done.content.decode()
    assert not Channel.objects.exists()


def test_the_60_day_token_is_renewed_once_a_day_old_and_before_expiry(
    logged_in_client, workspace, ig_server
):
    account = ig_server.add_account("epicerie")
    ig_server.control(consent=[account["id"]])
    channel = connect(logged_in_client, workspace, "instagram_login")
    before = Credential.objects.get(channel=channel)
    assert credentials_refresh_due() == 0  # fresh: nothing to do
    # 35 days on, 25 left: renewed, for 60 days from now (Instagram wants it 24 h old).
    Credential.objects.filter(pk=before.pk).update(
        obtained_at=timezone.now() - timedelta(days=35),
        expires_at=timezone.now() + timedelta(days=25),
    )
    ig_server.control(advance_seconds=2 * 86400)
    try:
        assert credentials_refresh_due() == 1
    finally:
        ig_server.control(advance_seconds=-2 * 86400)
    after = Credential.objects.get(channel=channel)
    assert after.access_token != before.access_token
    assert after.expires_at > timezone.now() + timedelta(days=59)


def test_a_token_less_than_a_day_old_is_not_due(instagram_login):
    from parvis.networks.base import Tokens

    now = timezone.now()
    young = Tokens("t", expires_at=now + timedelta(days=20), obtained_at=now - timedelta(hours=2))
    old = Tokens("t", expires_at=now + timedelta(days=20), obtained_at=now - timedelta(days=40))
    fresh = Tokens("t", expires_at=now + timedelta(days=59), obtained_at=now - timedelta(days=1))
    assert not instagram_login.refresh_due(young, now=now)
    assert instagram_login.refresh_due(old, now=now)
    assert not instagram_login.refresh_due(fresh, now=now)
