"""Issue 5's "done when", in a real browser, the local servers standing in for the networks.

Camille connects her brand's Facebook Page, Instagram account and X account from the
Connect page (each network's consent page sends her back), publishes to all three
(Facebook text and photos, an Instagram carousel and a reel, an X thread with an
image), receives comments and mentions (Facebook's also as a signed webhook),
answers one per network from the inbox, sees the figures on the post pages and in
Settings -> Channels, and reads each network's real reason when a post fails.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from parvis.accounts.models import Workspace
from parvis.analytics.actions import collections_ensure
from parvis.analytics.models import MetricsCollection
from parvis.channels.models import Channel
from parvis.engine.runner import run_once
from parvis.inbox.actions import pollings_ensure
from parvis.inbox.models import InboundEvent, InboxPolling, Message, Reply
from parvis.networks import registry
from parvis.publishing.models import Delivery, Post
from tests.networks.x.conftest import XServer
from tests.publishing.media_files import image_bytes, video_bytes
from tests.servers.instagram.client import (
    IG_APP_ID,
    IG_APP_SECRET,
    InstagramServer,
    running_instagram_server,
)
from tests.servers.meta.client import APP_ID, APP_SECRET, MetaServer, running_meta_server
from tests.servers.process import start_server, stop_server

WORKSPACE = "cafe-lumiere"  # the demo's second workspace: no channel yet
X_USER = "8400000001"


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[MetaServer, InstagramServer, XServer]]:
    process, port = start_server("tests.servers.x", "--latency-ms", "0", "--seed", "5")
    x = XServer(process, port)
    try:
        with running_meta_server() as meta, running_instagram_server() as instagram:
            yield meta, instagram, x
    finally:
        x.http.close()
        stop_server(process)


async def _no_wait(_seconds: float) -> None:
    return None


@pytest.fixture
def networks(servers, settings, live_server, monkeypatch):
    """Parvis's three apps set up, each pointing at its local server."""
    meta, instagram, x = servers
    meta.reset()
    settings.PARVIS_BASE_URL = live_server.url  # Instagram downloads the files from here
    settings.PARVIS_META_APP_ID = APP_ID
    settings.PARVIS_META_APP_SECRET = APP_SECRET
    settings.PARVIS_META_GRAPH_URL = meta.base_url
    settings.PARVIS_META_DIALOG_URL = meta.base_url
    settings.PARVIS_META_CONFIG_ID = "1234567890"
    settings.PARVIS_META_WEBHOOK_VERIFY_TOKEN = "verify-me"
    settings.PARVIS_INSTAGRAM_APP_ID = IG_APP_ID
    settings.PARVIS_INSTAGRAM_APP_SECRET = IG_APP_SECRET
    settings.PARVIS_INSTAGRAM_GRAPH_URL = instagram.base_url
    settings.PARVIS_INSTAGRAM_API_URL = instagram.base_url
    settings.PARVIS_INSTAGRAM_AUTHORIZE_URL = instagram.base_url
    settings.PARVIS_X_CLIENT_ID = "parvis-test-client"
    settings.PARVIS_X_CLIENT_SECRET = "parvis-test-secret"
    settings.PARVIS_X_AUTHORIZE_URL = f"{x.base_url}/i/oauth2/authorize"
    settings.PARVIS_X_API_BASE_URL = x.base_url
    instagram.control(config={"fetch_media": True})
    monkeypatch.setattr(registry.get("instagram_login"), "poll_delays", (0.05,) * 20)
    monkeypatch.setattr(registry.get("x"), "_sleep", _no_wait)
    return meta, instagram, x


def work(*models, rounds: int = 1) -> None:
    """What `parvis worker` does, a few turns, in a thread away from Playwright's loop;
    between turns, whatever waits (retries, thread parts, polls) is due at once."""
    for _round in range(rounds):
        for model in models:
            model.objects.exclude(state__in=["published", "failed", "done", "sent"]).update(
                next_attempt_at=timezone.now()
            )
            worker = threading.Thread(target=run_once, args=(model,))
            worker.start()
            worker.join()


def run_periodic_jobs() -> None:
    """The worker's periodic jobs that give new channels their rows: a polling of the
    inbox and a collection of figures each (called directly: ``periodic.run_due`` keeps
    its own clock, shared with other tests)."""
    worker = threading.Thread(target=lambda: (pollings_ensure(), collections_ensure()))
    worker.start()
    worker.join()


def answer(page: Page, live_server, comment: str, text: str) -> None:
    """Open the conversation that shows this comment in the inbox and answer it."""
    page.goto(f"{live_server.url}/w/{WORKSPACE}/inbox/")
    page.get_by_test_id("conversation-row").filter(has_text=comment).get_by_role("link").click()
    expect(page.get_by_test_id("thread")).to_contain_text(comment)
    page.get_by_test_id("reply-text").fill(text)
    page.get_by_test_id("send-reply").click()
    expect(page.get_by_test_id("reply-state").last).to_have_text("Sending…")


def figure(page: Page, channel: Channel, name: str):
    """One figure shown beside a published post, for one channel."""
    figures = page.locator(f'[data-testid="post-figures"] dl[data-channel="{channel.pk}"]')
    return figures.locator(f'div.col:has(dt[data-name="{name}"]) dd')


def connect(page: Page, live_server, network: str) -> None:
    page.goto(f"{live_server.url}/w/{WORKSPACE}/channels/")
    page.get_by_test_id("connect-channel").click()
    page.locator(f'a[data-network="{network}"]').click()


def compose(page: Page, live_server, text: str, channel: str, files: list[str], **extra) -> Post:
    page.goto(f"{live_server.url}/w/{WORKSPACE}/compose/")
    page.get_by_label("Text", exact=True).fill(text)
    if channel:
        page.get_by_role("checkbox", name=re.compile(channel)).check()
    else:  # every channel
        for box in page.locator('input[name="channels"]').all():
            box.check()
    for count, name in enumerate(files, start=1):
        page.get_by_test_id("pick-shared").click()
        page.get_by_role("button", name=f"Add {name}").click()
        expect(page.get_by_test_id("chosen-media")).to_have_count(count)  # swapped in
    for number, part in enumerate(extra.get("thread", []), start=2):
        if number == 2:
            page.get_by_text("Continue as a thread").click()
            page.get_by_label("Thread part 2").fill(part)
        else:
            page.get_by_test_id("add-thread-part").click()
            page.get_by_label("Next thread part").fill(part)
    page.get_by_label("Publish now").check()
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_test_id("post-status")).to_have_text("Scheduled")
    return Post.objects.filter(text=text).latest("pk")


def test_three_networks_connect_publish_converse_measure_and_fail_with_reasons(
    logged_in_page, live_server, networks, tmp_path: Path
):
    meta, instagram, x = networks
    page = logged_in_page
    page.get_by_test_id("switch-language-en").click()
    # This brand's team works in English: the reasons Parvis stores are in its language.
    Workspace.objects.filter(slug=WORKSPACE).update(language="en")

    # --- Connect: Facebook Login for Business, Instagram Login, X OAuth 2.0 -------------
    person = meta.add_person("Camille Roux", [{"name": "Café Lumière", "followers": 310}])
    page_id = person["pages"][0]["id"]
    meta.consent(person["id"], page_ids=[page_id])
    connect(page, live_server, "facebook")
    expect(page.get_by_test_id("message")).to_contain_text("Connected: Café Lumière.")

    account = instagram.add_account("cafelumiere", "Café Lumière Insta")
    instagram.control(consent=[account["id"]])
    connect(page, live_server, "instagram_login")
    expect(page.get_by_test_id("message")).to_contain_text("Connected: Café Lumière Insta")

    connect(page, live_server, "x")
    expect(page.get_by_role("heading")).to_contain_text("access your X account")
    page.locator('input[name="user_id"]').fill(X_USER)
    page.locator('input[name="username"]').fill("cafelumiere")
    page.get_by_role("button", name="Authorize app").click()
    expect(page.get_by_test_id("message")).to_contain_text("Connected:")
    expect(page.get_by_test_id("channel-row")).to_have_count(3)
    expect(page.get_by_test_id("channel-list")).to_contain_text("Café Lumière Insta @cafelumiere")
    expect(page.get_by_test_id("channel-list")).to_contain_text("cafelumiere @cafelumiere")  # X
    channels = {c.network: c for c in Channel.objects.filter(workspace__slug=WORKSPACE)}
    assert set(channels) == {"facebook", "instagram_login", "x"}
    assert channels["facebook"].external_id == page_id
    assert channels["instagram_login"].external_id == account["id"]
    assert channels["x"].external_id == X_USER

    # --- Upload photos and a short video to the media library ---------------------------
    files = {
        "croissants.jpg": image_bytes(1080, 1080),
        "comptoir.jpg": image_bytes(1080, 1350),
        "terrasse.jpg": image_bytes(1200, 1200),
        "latte.mp4": video_bytes(360, 640, 3.5),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    page.goto(f"{live_server.url}/w/{WORKSPACE}/media/")
    page.get_by_label("Add images or videos").set_input_files(
        [str(tmp_path / name) for name in files]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_test_id("message")).to_contain_text("4 files added.")

    # --- Publish: Facebook text + photos, Instagram carousel and reel, X thread + image -
    facebook_post = compose(
        page,
        live_server,
        "Trois nouveautés ce matin au Café Lumière ☕",
        "Café Lumière · Facebook",
        ["croissants.jpg", "comptoir.jpg", "terrasse.jpg"],
    )
    carousel_post = compose(
        page,
        live_server,
        "Nos croissants et notre comptoir 🥐",
        "Café Lumière Insta",
        ["croissants.jpg", "comptoir.jpg"],
    )
    reel_post = compose(
        page, live_server, "Le latte art de Théo", "Café Lumière Insta", ["latte.mp4"]
    )
    thread_post = compose(
        page,
        live_server,
        "1/2 La terrasse du Café Lumière rouvre samedi ☀️",
        " · X$",
        ["terrasse.jpg"],
        thread=["2/2 Brunch de 10 h à 15 h, réservations par message."],
    )
    work(Delivery, rounds=4)
    published = {}
    for post in (facebook_post, carousel_post, reel_post, thread_post):
        page.goto(f"{live_server.url}{post.get_absolute_url()}")
        expect(page.get_by_test_id("post-status")).to_have_text("Published")
        deliveries = list(post.deliveries.order_by("position"))
        assert all(d.state == "published" for d in deliveries), [
            (d.state, d.last_error) for d in deliveries
        ]
        expect(page.get_by_test_id("published-link")).to_have_count(len(deliveries))
        for delivery in deliveries:
            expect(
                page.locator(f'[data-testid="published-link"][href="{delivery.url}"]')
            ).to_have_count(1)
        published[post.pk] = deliveries

    (on_facebook,) = published[facebook_post.pk]
    (made,) = meta.get("/_test/fb/posts", page_id=page_id)["posts"]
    assert made["id"] == on_facebook.remote_id and len(made["photos"]) == 3
    assert made["message"] == facebook_post.text

    (carousel,) = published[carousel_post.pk]
    (reel,) = published[reel_post.pk]
    media = {m["id"]: m for m in instagram.state(account["id"])["media"]}
    assert media[carousel.remote_id]["media_type"] == "CAROUSEL_ALBUM"
    assert len(media[carousel.remote_id]["children"]) == 2
    assert media[reel.remote_id]["media_type"] == "VIDEO"
    assert media[reel.remote_id]["media_product_type"] == "REELS"

    first_tweet, second_tweet = published[thread_post.pk]
    tweets = {t["id"]: t for t in x.tweets(X_USER)}
    assert len(tweets[first_tweet.remote_id]["media_keys"]) == 1
    assert tweets[second_tweet.remote_id]["in_reply_to_id"] == first_tweet.remote_id
    assert tweets[second_tweet.remote_id]["text"].startswith("2/2 Brunch")

    # --- Comments and mentions arrive ---------------------------------------------------
    # Facebook: Meta checks the webhook address once, then signs each delivery.
    challenge = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "42"}
    handshake = httpx.get(f"{live_server.url}/hooks/facebook/", params=challenge)
    assert (handshake.status_code, handshake.text) == (200, "42")
    asked = meta.http.post(
        "/_test/fb/comment",
        json={"on": on_facebook.remote_id, "message": "Vous faites des cafés à emporter ?"},
    ).json()
    hook = meta.webhook(asked["webhook"], url=f"{live_server.url}/hooks/facebook/")
    assert hook["status"] == 200
    forged = meta.webhook(asked["webhook"], url=f"{live_server.url}/hooks/facebook/", secret="x")
    assert forged["status"] == 403
    work(InboundEvent)
    assert Message.objects.filter(remote_id=asked["id"]).count() == 1  # from the webhook
    # Instagram: a comment on the carousel and a mention in someone's caption.
    on_carousel = instagram.comment(
        carousel.remote_id, "Le comptoir est magnifique !", username="lea.dupont"
    )
    instagram.mention(account["id"], "Meilleur latte de Lyon chez @cafelumiere")
    # X: an answer to the thread and a mention.
    fan = x.new_channel(username="gourmande")
    x_reply = x.post_as(fan, "On réserve pour 4 !", reply_to=first_tweet.remote_id)
    x.post_as(fan, "Vivement samedi @cafelumiere")
    run_periodic_jobs()
    work(InboxPolling)
    assert Message.objects.filter(remote_id=asked["id"]).count() == 1  # polled, not doubled

    page.goto(f"{live_server.url}/w/{WORKSPACE}/inbox/")
    rows = page.get_by_test_id("conversation-row")
    for text in (
        "Vous faites des cafés à emporter ?",
        "Le comptoir est magnifique !",
        "Meilleur latte de Lyon",
        "On réserve pour 4 !",
        "Vivement samedi @cafelumiere",
    ):
        expect(rows.filter(has_text=text)).to_have_count(1)
    # Instagram names who tagged the brand by username alone: that person, not the brand.
    expect(rows.filter(has_text="Meilleur latte de Lyon")).to_contain_text("boulangerie.voisine")

    # --- Answer one per network from the inbox ------------------------------------------
    answer(page, live_server, "Vous faites des cafés à emporter ?", "Oui, tous nos cafés !")
    answer(page, live_server, "Le comptoir est magnifique !", "Merci Léa !")
    answer(page, live_server, "On réserve pour 4 !", "C'est noté, à samedi !")
    work(Reply, rounds=2)
    answers = Reply.objects.filter(workspace__slug=WORKSPACE)
    assert sorted(answers.values_list("state", flat=True)) == ["sent"] * 3
    page.reload()
    expect(page.get_by_test_id("reply-state").last).to_have_text("Sent")

    fb_comments = meta.get("/_test/fb/posts", page_id=page_id)["posts"][0]["comments"]
    assert [c["message"] for c in fb_comments if c.get("parent_id") == asked["id"]] == [
        "Oui, tous nos cafés !"
    ]
    ig_comments = instagram.state(account["id"])["comments"]
    assert [c["text"] for c in ig_comments if c["parent_id"] == on_carousel["id"]] == [
        "Merci Léa !"
    ]
    answers = [t for t in x.tweets(X_USER) if t.get("in_reply_to_id") == x_reply]
    assert [t["text"] for t in answers] == ["C'est noté, à samedi !"]

    # --- Figures: collected by the worker, shown beside the posts and on the channels ---
    meta.http.post(
        "/_test/fb/insights", json={"object_id": page_id, "values": {"page_follows": 312}}
    )
    meta.http.post(
        "/_test/fb/insights",
        json={"object_id": on_facebook.remote_id, "values": {"post_media_view": 480}},
    )
    x.set_metrics(tweet=first_tweet.remote_id, impression_count=321, like_count=12)
    x.set_metrics(user=X_USER, followers_count=77)
    run_periodic_jobs()
    work(MetricsCollection)
    for post, channel, name, value in (
        (facebook_post, channels["facebook"], "views", "480"),
        (facebook_post, channels["facebook"], "comments", "2"),  # the question, the answer
        (carousel_post, channels["instagram_login"], "views", "840"),
        (reel_post, channels["instagram_login"], "likes", "57"),
        (thread_post, channels["x"], "views", "321"),
        (thread_post, channels["x"], "likes", "12"),
    ):
        page.goto(f"{live_server.url}{post.get_absolute_url()}")
        expect(figure(page, channel, name)).to_have_text(value)
    page.goto(f"{live_server.url}/w/{WORKSPACE}/channels/")
    followers = page.get_by_test_id("channel-figures")
    for network, value in (("facebook", "312"), ("instagram_login", "1,200"), ("x", "77")):
        row = followers.locator(f'tr[data-channel="{channels[network].pk}"]')
        expect(row.locator('[data-name="followers"]')).to_have_text(value)
        expect(row.locator('[data-name="followers-change"]')).to_have_text("—")  # once so far

    # --- Each network refuses a post: the post's page says why, in the network's terms --
    meta.queue({"code": 368}, path=f"/{page_id}/")  # blocked for a policy
    instagram.control(container_fates=["ERROR"])  # the container ends in ERROR
    failing = compose(
        page,
        live_server,
        thread_post.text,  # X already has it: 403 duplicate content
        "",
        ["latte.mp4"],
    )
    work(Delivery, rounds=3)
    page.goto(f"{live_server.url}{failing.get_absolute_url()}")
    reasons = page.get_by_test_id("delivery-reason")
    expect(reasons).to_have_count(3)
    for text in (
        "Facebook has temporarily blocked this account from posting for a policy",
        "Instagram does not accept this video's format",
        "X refuses duplicate content: this account has already posted this text.",
    ):
        expect(reasons.filter(has_text=text)).to_have_count(1)
    assert sorted(failing.deliveries.values_list("state", flat=True)) == ["failed"] * 3
    assert len(x.tweets(X_USER, text=thread_post.text)) == 1  # not posted twice
