"""The media library in the browser: upload, attach in the composer with a description,
publish to a Sandbox channel, see the image on the network's page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from parvis.networks.sandbox.models import SandboxPost
from tests.browser.test_publishing_flow import run_the_worker_once
from tests.publishing.media_files import image_bytes


def test_an_uploaded_image_goes_out_with_its_description(logged_in_page, live_server, tmp_path):
    page = logged_in_page
    page.get_by_test_id("switch-language-en").click()
    photo = tmp_path / "eclairs.jpg"
    photo.write_bytes(image_bytes(1080, 1350))

    page.get_by_role("link", name="Media").click()
    page.get_by_label("Add images or videos").set_input_files(str(photo))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_test_id("message")).to_contain_text("1 file added.")
    card = re.compile(r"eclairs\.jpg.*Image · 1080\u00d71350 \(4:5\)", re.S)
    expect(page.get_by_test_id("media-card")).to_contain_text(card)

    page.get_by_role("link", name="Compose").click()
    page.get_by_label("Text", exact=True).fill("Nos éclairs au café sont de retour ☕")
    page.get_by_role("checkbox", name="La Mie Dorée · Sandbox · Instagram").check()
    expect(page.get_by_test_id("checks")).to_contain_text("needs an image or a video")
    page.get_by_test_id("pick-shared").click()
    page.get_by_role("button", name="Add eclairs.jpg").click()
    expect(page.get_by_test_id("chosen-media")).to_have_count(1)
    expect(page.get_by_test_id("checks")).not_to_contain_text("needs an image or a video")
    page.get_by_test_id("media-list-shared").get_by_label("Description (alt text)").fill(
        "Trois éclairs au café sur un plateau"
    )
    page.get_by_label("Publish now").check()
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_test_id("post-status")).to_have_text("Scheduled")
    expect(page.get_by_test_id("post-media")).to_contain_text("Trois éclairs au café")

    run_the_worker_once()
    page.reload()
    expect(page.get_by_test_id("post-status")).to_have_text("Published")
    link = page.get_by_test_id("published-link").get_attribute("href")
    page.goto(live_server.url + "/sandbox/" + link.split("/sandbox/", 1)[1])
    image = page.get_by_test_id("sandbox-media").get_by_role("img")
    expect(image).to_have_attribute("alt", "Trois éclairs au café sur un plateau")
    assert image.evaluate("img => img.naturalWidth") == 1080  # the file itself is served
    assert SandboxPost.objects.get(text__startswith="Nos éclairs").media.count() == 1
