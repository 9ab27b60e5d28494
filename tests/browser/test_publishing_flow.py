"""The issue's "done when", as a new user tries it: review, approve, publish, follow the link."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit, urlunsplit

from django.utils import timezone
from playwright.sync_api import expect

from parvis.engine.runner import run_once
from parvis.links.models import ShortLink
from parvis.networks.sandbox.models import SandboxPost
from parvis.publishing.models import Delivery, Post


def run_the_worker_once() -> None:
    """What `parvis worker` does each turn; in a thread, away from Playwright's event loop."""
    worker = threading.Thread(target=run_once, args=(Delivery,))
    worker.start()
    worker.join()


def on_this_server(page, url: str) -> str:
    """A Sandbox post's address on the test's server (links are built from PARVIS_BASE_URL)."""
    here = urlsplit(page.url)
    return urlunsplit((here.scheme, here.netloc, urlsplit(url).path, "", ""))


def test_a_submitted_post_is_approved_published_and_links_to_the_network(logged_in_page):
    page = logged_in_page
    page.get_by_test_id("switch-language-en").click()
    # Julie (a contributor) submitted a post: the owner sees it waiting.
    expect(page.get_by_test_id("review-count")).to_have_text("1")
    page.get_by_role("link", name="To review").click()
    page.get_by_test_id("review-queue").get_by_role("link").first.click()
    expect(page.get_by_test_id("post-status")).to_have_text("In review")
    expect(page.get_by_test_id("post-text")).to_contain_text("ma baguette au soleil")
    page.get_by_label("Comment").fill("Bravo Julie, on y va !")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("post-status")).to_have_text("Scheduled")
    expect(page.get_by_test_id("history")).to_contain_text("approved it")
    expect(page.get_by_test_id("history")).to_contain_text("Bravo Julie")

    # A new post for the brand's Facebook Page and X account, published now.
    page.get_by_role("link", name="Compose").click()
    page.get_by_label("Text", exact=True).fill("Fournée spéciale ce soir : pain aux figues 🍞")
    page.get_by_role("checkbox", name="La Mie Dorée · Sandbox · Facebook Page").check()
    page.get_by_role("checkbox", name="La Mie Dorée · Sandbox · X").check()
    expect(page.get_by_test_id("checks")).to_contain_text("Sandbox · X")
    page.get_by_text("Adapt the text for a channel").click()
    page.get_by_label("Text for La Mie Dorée · Sandbox · X").fill(
        "Ce soir : pain aux figues 🍞 #boulangerie"
    )
    page.get_by_label("Publish now").check()
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_test_id("post-status")).to_have_text("Scheduled")
    run_the_worker_once()
    page.reload()
    expect(page.get_by_test_id("post-status")).to_have_text("Published")
    links = page.get_by_test_id("published-link")
    expect(links).to_have_count(2)
    post = Post.objects.get(text__startswith="Fournée spéciale")
    on_network = dict(
        SandboxPost.objects.filter(published_at__gte=post.created_at).values_list(
            "account__network_key", "text"
        )
    )
    assert on_network == {  # once per channel, each with its own text
        "sandbox_facebook": post.text,
        "sandbox_x": "Ce soir : pain aux figues 🍞 #boulangerie",
    }
    on_x = Delivery.objects.get(post=post, channel__network="sandbox_x")
    page.goto(on_this_server(page, on_x.url))  # the link opens a new tab
    expect(page.get_by_test_id("sandbox-post")).to_contain_text("Ce soir : pain aux figues")


def test_a_post_that_cannot_go_out_says_why(logged_in_page):
    page = logged_in_page
    page.get_by_test_id("switch-language-en").click()
    page.get_by_role("link", name="Compose").click()
    page.get_by_label("Text", exact=True).fill("Une photo de nos éclairs ? Bientôt !")
    page.get_by_role("checkbox", name="La Mie Dorée · Sandbox · Instagram").check()
    expect(page.get_by_test_id("checks")).to_contain_text("needs an image or a video")
    # What is typed is kept as a draft a moment later, whatever happens next.
    expect(page.get_by_test_id("autosave-status")).to_contain_text("Draft saved at")
    page.get_by_label("Publish now").check()
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("needs an image or a video")
    expect(page.get_by_label("Text", exact=True)).to_have_value(
        "Une photo de nos éclairs ? Bientôt !"
    )
    (kept,) = Post.objects.filter(text__startswith="Une photo de nos éclairs")
    assert kept.status == "draft" and not kept.deliveries.exists()  # kept, not sent


def test_a_thread_and_a_first_comment_follow_the_post_on_the_network(logged_in_page):
    page = logged_in_page
    page.get_by_test_id("switch-language-en").click()
    page.get_by_role("link", name="Compose").click()
    page.get_by_label("Text", exact=True).fill("1/ Notre galette des rois arrive 👑")
    page.get_by_label("Link", exact=True).fill("https://lamiedoree.example/galette")
    page.get_by_role("checkbox", name="La Mie Dorée · Sandbox · Facebook Page").check()
    page.get_by_role("checkbox", name="La Mie Dorée · Sandbox · X").check()
    page.get_by_text("Continue as a thread").click()
    page.get_by_label("Thread part 2").fill("2/ Frangipane maison, beurre AOP.")
    page.get_by_test_id("add-thread-part").click()
    page.get_by_label("Next thread part").fill("3/ En boutique dès le 2 janvier.")
    page.get_by_label("First comment").fill("Quelle fève aimeriez-vous trouver ?")
    checks = page.get_by_test_id("part-checks")
    expect(checks).to_contain_text("thread part 3")
    expect(checks).to_contain_text("first comment")
    page.get_by_label("Publish now").check()
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_test_id("post-parts")).to_contain_text("Frangipane maison")
    for _turn in range(4):  # the post, then each part once the one before it is out
        run_the_worker_once()
        Delivery.objects.filter(state="waiting").update(next_attempt_at=timezone.now())
    page.reload()
    expect(page.get_by_test_id("post-status")).to_have_text("Published")
    expect(page.get_by_test_id("delivery-part")).to_have_count(3)
    expect(page.get_by_test_id("published-link")).to_have_count(5)
    # On Facebook, the page comments under a link card; on X, the thread answers the post.
    post = Post.objects.get(text__startswith="1/ Notre galette")
    on_facebook = Delivery.objects.get(post=post, position=0, channel__network="sandbox_facebook")
    expect(
        page.locator(f'[data-testid="published-link"][href="{on_facebook.url}"]')
    ).to_be_visible()
    page.goto(on_this_server(page, on_facebook.url))  # the link opens a new tab
    # The network got the channel's short link, which leads to the address with its UTM.
    short_facebook = ShortLink.objects.get(post=post, channel=on_facebook.channel)
    expect(page.get_by_test_id("sandbox-link-card")).to_contain_text(short_facebook.short_url)
    assert short_facebook.destination.startswith("https://lamiedoree.example/galette?utm_")
    expect(page.get_by_test_id("sandbox-answers")).to_contain_text("Quelle fève")
    main_x = Delivery.objects.get(post=post, position=0, channel__network="sandbox_x")
    first = SandboxPost.objects.get(reply_to_id=main_x.remote_id)
    second = SandboxPost.objects.get(reply_to_id=first.remote_id)
    assert (first.text, second.text) == (
        "2/ Frangipane maison, beurre AOP.",
        "3/ En boutique dès le 2 janvier.",
    )
    short_x = ShortLink.objects.get(post=post, channel=main_x.channel)
    assert SandboxPost.objects.get(remote_id=main_x.remote_id).text.endswith(short_x.short_url)
