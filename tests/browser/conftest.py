"""Browser tests: Playwright drives Debian's Chromium against a live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parvis.web.demo import demo_load

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"

# Playwright's sync API runs an event loop in this thread; Django's ORM is used
# from it only by fixtures, between page actions.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run scripts/install-test-deps (make test does).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def demo(transactional_db, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("PARVIS_DEMO_PASSWORD", "pain-au-levain")
    return demo_load()


@pytest.fixture
def logged_in_page(page, live_server, demo, request):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(demo.email)
    page.get_by_label("Password").fill(demo.password)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url("**/calendar/")
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
