"""Best times on the demo: the heatmap, then the queue taking the best slots from it."""

from __future__ import annotations

from playwright.sync_api import expect

from parvis.publishing.models import QueueSlot


def test_the_heatmap_and_the_queue_s_suggestion(logged_in_page, live_server, demo):
    page = logged_in_page
    page.get_by_test_id("switch-language-en").click()
    page.goto(f"{live_server.url}/w/{demo.workspace_slug}/analytics/best-times/")
    expect(page.get_by_role("heading", name="Best times to post")).to_be_visible()
    expect(page.get_by_test_id("not-enough")).to_have_count(0)
    expect(page.get_by_test_id("top-slots").locator("li")).to_have_count(5)
    expect(page.get_by_test_id("top-slots")).to_contain_text("Tuesday from 12:00 to 13:00")
    page.screenshot(path="test-results/best-times.png", full_page=True)
    page.get_by_label("Channel").select_option(label="La Mie Dorée · Sandbox · X")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("history-used")).to_contain_text("History used:")

    page.goto(f"{live_server.url}/w/{demo.workspace_slug}/settings/queue/")
    section = page.get_by_test_id("queue-channel").filter(has_text="Sandbox · X")
    suggestion = section.get_by_test_id("queue-suggestion")  # loaded from analytics by htmx
    expect(suggestion).to_have_attribute("data-source", "channel")
    expect(suggestion).to_contain_text("The best times of this channel's own history")
    page.screenshot(path="test-results/best-times-queue.png", full_page=True)
    suggestion.get_by_role("button", name="Use suggested times").click()
    expect(page.get_by_test_id("message")).to_contain_text("Times added to La Mie Dorée")
    x_slots = QueueSlot.objects.filter(channel__network="sandbox_x")
    assert x_slots.count() == 3
    expect(
        page.get_by_test_id("queue-channel")
        .filter(has_text="Sandbox · X")
        .get_by_test_id("queue-slot")
    ).to_have_count(3)
