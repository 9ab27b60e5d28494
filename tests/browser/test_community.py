"""Community on the demo: from a conversation to its author's profile, tag, merge, separate."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from parvis.community.models import Person
from parvis.inbox.threads import Conversation


def test_a_member_opens_a_profile_from_the_inbox_tags_merges_and_separates(logged_in_page):
    page = logged_in_page
    page.get_by_test_id("switch-language-en").click()
    conversation = Conversation.objects.filter(kind="comments").first()
    page.goto(page.url.replace("/calendar/", f"/inbox/{conversation.pk}/"))

    # From the conversation to the person who wrote.
    page.get_by_test_id("author-profile").first.click()
    expect(page.get_by_test_id("person-name")).to_be_visible()
    name = page.get_by_test_id("person-name").inner_text()
    expect(page.get_by_test_id("history-item").first).to_be_visible()

    # Tag them with a suggested tag and a free one.
    page.get_by_label("Tags, separated by commas").fill("ambassador, fan du levain")
    page.get_by_role("button", name="Save tags").click()
    expect(page.get_by_label("Tags, separated by commas")).to_have_value(
        "ambassador, fan du levain"
    )

    # On the Community page: two people merged (the same person met on two networks).
    page.get_by_role("link", name=re.compile("^Community")).first.click()
    expect(page.get_by_test_id("person-row").first).to_be_visible()
    page.get_by_label("Tag").select_option("fan du levain")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("person-row")).to_have_count(1)
    page.get_by_label("Tag").select_option("")
    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_test_id("person-row")
    chosen = []
    for row in (rows.nth(0), rows.nth(1)):
        href = row.get_by_role("link").first.get_attribute("href")
        chosen.append(Person.objects.get(pk=int(href.rstrip("/").split("/")[-1])))
        row.get_by_role("checkbox").check()
    handles = sum(p.handles.count() for p in chosen)
    page.get_by_test_id("merge-button").click()
    expect(page.get_by_test_id("person-name")).to_have_text(chosen[0].name)
    expect(page.get_by_test_id("handle")).to_have_count(handles)
    assert not Person.objects.filter(pk=chosen[1].pk).exists()

    # Separate one handle again: two people once more.
    page.get_by_role("button", name="Separate").last.click()
    expect(page.get_by_test_id("handle")).to_have_count(handles - 1)
    assert not Person.objects.filter(handles__isnull=True).exists()  # nobody left empty
    assert name  # the profile opened from the inbox had a name
