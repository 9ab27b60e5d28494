"""Issue 4's "done when", in one go, as a new team would try it.

Julie, a contributor, composes a post with a photo and a link for the brand's
Sandbox Facebook Page, Instagram account and X account, for a time a little
ahead, and submits it. Camille, the owner, approves it. The worker publishes it
when its time comes (not before), on each network once, and the post's page
links to each.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import expect

from parvis.accounts.models import User
from parvis.networks.sandbox.models import SandboxPost
from parvis.publishing.models import Delivery, Post
from tests.browser.test_publishing_flow import on_this_server, run_the_worker_once
from tests.publishing.media_files import image_bytes

TEXT = "Nouveau : la tarte aux pralines roses, fierté lyonnaise 🌸"
LINK = "https://lamiedoree.example/pralines"


def log_in(page, live_server, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url("**/calendar/")


def test_a_contributor_s_post_to_three_networks_is_approved_and_published_on_time(
    page, live_server, demo, tmp_path
):
    julie = User.objects.get(email="julie@parvis.local")
    julie.set_password("tarte-aux-pralines")
    julie.save(update_fields=["password"])
    log_in(page, live_server, julie.email, "tarte-aux-pralines")
    page.get_by_test_id("switch-language-en").click()

    photo = tmp_path / "pralines.jpg"
    photo.write_bytes(image_bytes(1080, 1080))
    page.get_by_role("link", name="Media").click()
    page.get_by_label("Add images or videos").set_input_files(str(photo))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_test_id("message")).to_contain_text("1 file added.")

    page.get_by_role("link", name="Compose").click()
    page.get_by_label("Text", exact=True).fill(TEXT)
    page.get_by_label("Link", exact=True).fill(LINK)
    for network in ("Facebook Page", "Instagram", "X"):
        page.get_by_role("checkbox", name=f"La Mie Dorée · Sandbox · {network}").check()
    page.get_by_test_id("pick-shared").click()
    page.get_by_role("button", name="Add pralines.jpg").click()
    page.get_by_test_id("media-list-shared").get_by_label("Description (alt text)").fill(
        "Une tarte aux pralines roses sur un comptoir en bois"
    )
    expect(page.get_by_test_id("checks")).not_to_contain_text("needs an image or a video")
    expect(page.get_by_test_id("link-left-out")).to_contain_text("La Mie Dorée")  # Instagram
    paris = ZoneInfo("Europe/Paris")  # the workspace's zone, in which the form reads times
    at = timezone.localtime(timezone.now() + timedelta(minutes=3), paris)
    page.get_by_label("Schedule", exact=True).check()
    page.get_by_label("Date and time").fill(at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_test_id("submit-for-review").click()
    expect(page.get_by_test_id("post-status")).to_have_text("In review")

    # Camille, the owner, approves it at the proposed time.
    page.context.clear_cookies()  # Julie's session ends
    log_in(page, live_server, demo.email, demo.password)
    page.get_by_test_id("switch-language-en").click()
    page.get_by_role("link", name="To review").click()
    page.get_by_test_id("review-queue").get_by_role("link", name="tarte aux pralines").click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("post-status")).to_have_text("Scheduled")

    post = Post.objects.get(text=TEXT)
    run_the_worker_once()  # before its time: nothing goes out
    assert not SandboxPost.objects.filter(text__startswith=TEXT).exists()
    Delivery.objects.filter(post=post).update(next_attempt_at=timezone.now())  # its time comes
    run_the_worker_once()
    page.reload()
    expect(page.get_by_test_id("post-status")).to_have_text("Published")
    expect(page.get_by_test_id("published-link")).to_have_count(3)
    on_networks = SandboxPost.objects.filter(text__startswith=TEXT)
    assert sorted(on_networks.values_list("account__network_key", flat=True)) == [
        "sandbox_facebook",
        "sandbox_instagram",
        "sandbox_x",
    ]  # once on each
    assert all(p.media.count() == 1 for p in on_networks)
    instagram = Delivery.objects.get(post=post, channel__network="sandbox_instagram")
    page.goto(on_this_server(page, instagram.url))
    expect(page.get_by_test_id("sandbox-media").get_by_role("img")).to_have_attribute(
        "alt", "Une tarte aux pralines roses sur un comptoir en bois"
    )
