"""A hashtag group made in the settings, inserted in the composer with the keyboard."""

from __future__ import annotations

from playwright.sync_api import expect

from parvis.publishing.models import Post


def test_a_hashtag_group_goes_in_at_the_cursor_and_the_previews_follow(
    logged_in_page, live_server, demo
):
    page = logged_in_page
    page.get_by_test_id("switch-language-en").click()
    page.goto(f"{live_server.url}/w/{demo.workspace_slug}/settings/")
    page.get_by_role("link", name="Snippets and hashtags").click()
    page.get_by_label("Hashtag group").check()
    page.get_by_label("Name").fill("Pains")
    page.get_by_label("Text").fill("#levain #boulangerie\n#lyon")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("hashtag-groups")).to_contain_text("#levain #boulangerie #lyon")
    expect(page.get_by_test_id("hashtag-count")).to_have_text("3 hashtags")

    page.get_by_role("link", name="Compose").click()
    page.get_by_role("checkbox", name="La Mie Dorée · Sandbox · Instagram").check()
    text = page.get_by_label("Text", exact=True)
    text.fill("Pain au levain du jour")
    preview = page.get_by_test_id("preview").filter(has_text="Instagram")
    expect(preview.get_by_test_id("preview-text")).to_have_text("Pain au levain du jour")
    text.press("End")

    # The menu, with the keyboard only: open it, go down to the group, Enter.
    page.get_by_test_id("hashtags-menu").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("button", name="Pains")).to_be_focused()
    page.keyboard.press("Enter")

    expect(text).to_have_value("Pain au levain du jour #levain #boulangerie #lyon")
    expect(text).to_be_focused()
    expect(page.get_by_test_id("checks")).to_contain_text("49 / 2200")
    expect(preview.locator(".preview-hashtag")).to_have_text(["#levain", "#boulangerie", "#lyon"])
    # The draft is saved with the inserted text, as if it had been typed.
    wanted = "Pain au levain du jour #levain #boulangerie #lyon"
    for _ in range(50):
        if Post.objects.filter(text=wanted, status="draft").exists():
            break
        page.wait_for_timeout(100)
    assert Post.objects.filter(text=wanted, status="draft").exists()

    # In a channel's own text, at the cursor (here in the middle), with the mouse.
    page.get_by_role("checkbox", name="La Mie Dorée · Sandbox · X").check()
    page.get_by_text("Adapt the text for a channel").click()
    variant = page.get_by_label("Text for La Mie Dorée · Sandbox · X")
    variant.fill("Levain. À demain !")
    variant.press("Home")
    for _ in range(len("Levain.")):
        variant.press("ArrowRight")
    page.get_by_test_id("hashtags-menu").click()
    page.get_by_role("button", name="Pains").click()
    expect(variant).to_have_value("Levain. #levain #boulangerie #lyon À demain !")
    expect(text).to_have_value(wanted)
    x_preview = page.get_by_test_id("preview").filter(has_text="its own text")
    expect(x_preview.get_by_test_id("preview-text")).to_have_text(
        "Levain. #levain #boulangerie #lyon À demain !"
    )
