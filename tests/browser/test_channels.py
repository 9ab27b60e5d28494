"""Connecting a Sandbox channel as a community manager would."""

from __future__ import annotations

from playwright.sync_api import expect

RESULTS_SHOT = "test-results/channels.png"


def test_connect_a_sandbox_channel_and_check_it(logged_in_page, live_server):
    page = logged_in_page
    page.get_by_test_id("switch-language-en").click()
    page.goto(f"{live_server.url}/w/cafe-lumiere/settings/")
    page.get_by_role("link", name="Channels").click()
    expect(page.get_by_text("No channel is connected to this workspace yet.")).to_be_visible()
    page.get_by_test_id("connect-channel").click()
    page.get_by_role("link", name="Sandbox · Instagram").click()
    page.get_by_label("Account name").fill("Café Lumière")
    page.get_by_role("button", name="Connect", exact=True).click()
    expect(page.get_by_test_id("message")).to_contain_text("Connected: Café Lumière")
    row = page.get_by_test_id("channel-row")
    expect(row).to_contain_text("Sandbox · Instagram")
    expect(row.locator(".sandbox-badge")).to_be_visible()
    expect(row.get_by_test_id("channel-status")).to_contain_text("Healthy")
    row.get_by_role("button", name="Simulate an expired token").click()
    page.get_by_test_id("channel-row").get_by_role("button", name="Check now").click()
    # htmx swaps the row in place
    expect(page.get_by_test_id("channel-status")).to_contain_text("Needs reconnect")
    page.screenshot(path=RESULTS_SHOT, full_page=True)
    page.get_by_role("button", name="Reconnect").click()
    page.get_by_role("button", name="Check now").click()
    expect(page.get_by_test_id("channel-status")).to_contain_text("Healthy")
