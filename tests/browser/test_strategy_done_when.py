"""Issue 7's "done when", in one go, as a new user would try it on the demo.

Camille, the demo's manager, reads real figures from the Sandbox activity on the
Analytics overview and on one channel's dashboard, sees a goal's progress, posts
an address with a campaign on a Sandbox channel and follows its short link (302 to
the address with UTM parameters, the click counted), then downloads the last four
weeks as a PDF report.
"""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from parvis.links import redirect
from parvis.links.models import Click, ShortLink
from parvis.publishing.models import Post
from tests.browser.test_publishing_flow import run_the_worker_once

SHOP = "https://lamiedoree.example/galettes"
TEXT = f"Nos galettes des rois sont en boutique : {SHOP}"
# A person's browser: headless Chromium names itself "HeadlessChrome", which the
# redirect rightly counts as a robot.
DESKTOP_CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
PARIS = ZoneInfo("Europe/Paris")
STATUS_WORDS = re.compile(r"^(On track|Behind|Reached)$")
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "user_agent": DESKTOP_CHROME}


@pytest.fixture(autouse=True)
def _fresh_code_cache():
    redirect.forget_cached()
    yield
    redirect.forget_cached()


def expect_drawn(page: Page, chart: str) -> None:
    """Chart.js has drawn this chart: its canvas soon holds pixels that are not blank."""
    canvas = page.locator(f"canvas[data-chart='{chart}']")
    expect(canvas).to_be_visible()
    page.wait_for_function(
        """(name) => {
            const c = document.querySelector(`canvas[data-chart='${name}']`);
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            return data.some((v) => v !== 0);
        }""",
        arg=chart,
        timeout=5000,
    )


def figure_of(page: Page, card: str) -> int:
    text = page.get_by_test_id(f"card-{card}").get_by_test_id("value").inner_text()
    digits = "".join(ch for ch in text if ch.isdigit())
    assert digits, f"{card} shows no figure: {text!r}"
    return int(digits)


def test_figures_goals_a_counted_short_link_and_a_pdf_report(
    logged_in_page, live_server, demo, settings, tmp_path
):
    page = logged_in_page
    settings.PARVIS_SHORT_LINK_BASE_URL = f"{live_server.url}/l/"
    page.get_by_test_id("switch-language-en").click()
    workspace = f"{live_server.url}/w/{demo.workspace_slug}"

    # --- Analytics: real figures from the Sandbox, charts drawn ------------------------
    page.get_by_role("link", name="Analytics").first.click()
    expect(page.get_by_test_id("dashboard-heading")).to_be_visible()
    for card in ("followers", "reach", "engagements"):
        assert figure_of(page, card) > 0
    expect_drawn(page, "chart-engagements")
    page.get_by_role("button", name="One channel").click()
    page.get_by_role("link", name="La Mie Dorée · Sandbox · X").click()
    page.wait_for_url("**/analytics/channel/**")
    expect(page.get_by_test_id("dashboard-heading")).to_contain_text("La Mie Dorée")
    assert figure_of(page, "followers") > 0
    expect_drawn(page, "chart-engagements")

    # --- Goals: a progress bar and a status in words -----------------------------------
    page.goto(f"{workspace}/goals/")
    measured = page.get_by_test_id("goals").locator(
        "[data-testid=goal][data-status=on_track], [data-testid=goal][data-status=behind],"
        " [data-testid=goal][data-status=reached]"
    )
    goal = measured.filter(has_text="12 posts").first
    expect(goal.get_by_role("progressbar")).to_be_visible()
    assert int(goal.get_by_role("progressbar").get_attribute("aria-valuenow")) > 0
    expect(goal.get_by_test_id("goal-status")).to_have_text(STATUS_WORDS)
    expect(goal.get_by_test_id("goal-explanation")).not_to_be_empty()

    # --- A post with an address and a campaign, published now on a Sandbox channel -----
    page.get_by_role("link", name="Compose").click()
    page.get_by_label("Text", exact=True).fill(TEXT)
    page.get_by_role("checkbox", name="La Mie Dorée · Sandbox · X").check()
    page.get_by_test_id("campaign-select").select_option(label="Automne gourmand")
    page.get_by_label("Publish now").check()
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_test_id("post-status")).to_have_text("Scheduled")
    post = Post.objects.get(text=TEXT)
    run_the_worker_once()
    page.reload()
    expect(page.get_by_test_id("post-status")).to_have_text("Published")
    link = ShortLink.objects.get(post=post)
    short = page.get_by_test_id("short-links").get_by_text(link.short_url)
    expect(short).to_be_visible()
    expect(page.get_by_test_id("short-link-clicks")).to_have_text("0 clicks")

    # --- Following the short link: 302 to the shop with UTM parameters, counted --------
    # Playwright does not intercept the hop a redirect makes, so the short link's request
    # goes to Parvis from the route (with the browser's headers) and the browser is then
    # sent on to the answer's Location, where the shop's site is played locally.
    hops: list[tuple[int, str]] = []

    def through_parvis(route: Route) -> None:
        answer = route.fetch(max_redirects=0)
        hops.append((answer.status, answer.headers.get("location", "")))
        follow = f'<meta http-equiv="refresh" content="0;url={answer.headers.get("location")}">'
        route.fulfill(status=200, content_type="text/html", body=follow)

    def shop(route: Route) -> None:  # the shop's site, without going out to the network
        route.fulfill(status=200, content_type="text/html", body="<h1>Galettes</h1>")

    page.route(link.short_url, through_parvis)
    page.route("https://lamiedoree.example/**", shop)
    page.goto(link.short_url)
    expect(page.get_by_role("heading", name="Galettes")).to_be_visible()
    ((status, location),) = hops
    assert status == 302
    assert page.url == location
    assert location.startswith(SHOP + "?")
    assert parse_qs(urlsplit(location).query) == {
        "utm_source": ["x"],
        "utm_medium": ["social"],
        "utm_campaign": ["automne-gourmand"],
    }
    page.unroute_all()
    assert Click.objects.filter(link=link, is_bot=False).count() == 1

    page.goto(f"{workspace}/links/")
    row = page.get_by_test_id("link-row").filter(has_text=link.code)
    expect(row.get_by_test_id("link-total-clicks")).to_have_text("1")
    expect(row).to_contain_text("Automne gourmand")
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    expect(page.get_by_test_id("short-link-clicks")).to_have_text("1 click")

    # --- The PDF report of the last four weeks -----------------------------------------
    page.goto(f"{workspace}/analytics/")
    page.get_by_test_id("analytics-more").get_by_role("link", name="Reports").click()
    today = timezone.localdate(timezone=PARIS)  # the workspace's day
    since = today - timedelta(days=27)
    page.locator("#report-since").fill(since.isoformat())
    page.locator("#report-until").fill(today.isoformat())
    with page.expect_download() as waiting:
        page.get_by_test_id("download-pdf").click()
    assert waiting.value.suggested_filename == f"la-mie-doree-{since}-{today}.pdf"
    pdf = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [page_text for page_text in text.split("\f") if page_text.strip()]
    assert len(pages) >= 3  # a cover, then the figures, charts and tables
    assert "La Mie Dorée" in pages[0]
    # In the workspace's language (French), though the manager reads Parvis in English.
    assert "RAPPORT DE COMMUNITY MANAGEMENT" in pages[0]
    for heading in ("Audience", "Engagement", "Meilleures publications", "Réactivité"):
        assert heading in text
    RESULTS.mkdir(exist_ok=True)  # the pages as images, for a person to look at
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf), str(RESULTS / "strategy-report")], check=True
    )
