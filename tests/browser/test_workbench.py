"""The foundation as a person meets it, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_logging_in_opens_the_calendar_with_the_demo_posts(logged_in_page):
    page = logged_in_page
    expect(page.get_by_test_id("current-workspace")).to_have_text("La Mie Dorée")
    events = page.locator(".fc-event")
    expect(events.first).to_be_visible()
    assert events.count() >= 5
    expect(page.locator(".fc-event").filter(has_text="Galette des rois")).to_have_count(1)


def test_switching_to_french_and_back(logged_in_page):
    page = logged_in_page
    # The demo's community manager prefers French.
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    nav = page.get_by_role("navigation", name=re.compile("Main|Principal"))
    expect(nav.get_by_role("link", name="Calendrier")).to_be_visible()
    page.get_by_test_id("switch-language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav.get_by_role("link", name="Calendar")).to_be_visible()
    expect(page.get_by_role("heading", name="Editorial calendar")).to_be_visible()
    page.reload()  # the choice is kept on the person
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_test_id("switch-language-fr").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Calendrier éditorial")).to_be_visible()
    expect(page.locator(".fc-toolbar-title")).to_contain_text(re.compile("20[0-9]{2}"))


def test_switching_workspace(logged_in_page):
    page = logged_in_page
    page.get_by_test_id("workspace-switcher").get_by_role("button").click()
    page.get_by_role("link", name="Café Lumière").click()
    page.wait_for_url("**/w/cafe-lumiere/calendar/")
    expect(page.get_by_test_id("current-workspace")).to_have_text("Café Lumière")
    expect(page.locator(".fc-view")).to_be_visible()
    expect(page.locator(".fc-event")).to_have_count(0)  # a new brand: nothing planned yet


def test_analytics_leads_to_the_best_times_and_the_reports(logged_in_page, live_server):
    page = logged_in_page
    page.goto(f"{live_server.url}/w/la-mie-doree/analytics/")
    more = page.get_by_test_id("analytics-more")
    more.locator("a[href='/w/la-mie-doree/reports/']").click()
    expect(page).to_have_url(f"{live_server.url}/w/la-mie-doree/reports/")
    page.go_back()
    more.locator("a[href='/w/la-mie-doree/analytics/best-times/']").click()
    expect(page).to_have_url(f"{live_server.url}/w/la-mie-doree/analytics/best-times/")


def test_the_skip_link_comes_first_for_keyboard_users(logged_in_page):
    page = logged_in_page
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"


def test_on_a_phone_the_menu_folds_and_the_calendar_is_a_list(logged_in_page):
    page = logged_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(page.locator("#main-nav")).to_be_visible()
    expect(page.locator(".fc-list")).to_be_visible()
