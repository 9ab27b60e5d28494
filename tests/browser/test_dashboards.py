"""The demo's Analytics page in Chromium: charts drawn under the CSP, tables beside them."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_overview_draws_its_charts_from_the_demo_figures(logged_in_page, live_server, demo):
    page = logged_in_page
    refused: list[str] = []
    page.on("console", lambda message: message.type == "error" and refused.append(message.text))
    page.goto(f"{live_server.url}/w/{demo.workspace_slug}/analytics/")
    expect(page.get_by_test_id("card-followers").get_by_test_id("value")).not_to_have_text("\u2013")
    canvas = page.locator("canvas[data-chart='chart-engagements']")
    expect(canvas).to_be_visible()
    # Chart.js has drawn: the canvas holds pixels that are not blank.
    drawn = canvas.evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v !== 0)"
    )
    assert drawn
    page.locator("figure details summary").first.click()
    expect(page.get_by_test_id("chart-table-chart-engagements")).to_be_visible()
    page.locator("#range-key").select_option("7")
    page.get_by_test_id("range").locator("button[type=submit]").click()
    page.wait_for_url("**range=7**")
    expect(page.locator("[data-testid=card-engagements] [data-testid=delta]")).to_be_visible()
    assert refused == []
    page.screenshot(path="/tmp/dashboards-overview.png", full_page=True)
