"""The list's count: asked for by the page once it is shown, and stopping past 1,000."""

from __future__ import annotations

import html
import re

import pytest

from parvis.inbox import views
from parvis.inbox.ingesting import messages_store
from parvis.networks.base import InteractionKind
from tests.inbox.test_ingesting import said
from tests.inbox.test_pages import listed, url

pytestmark = pytest.mark.django_db


def _mentions(channel, count: int) -> None:
    messages_store(
        channel=channel,
        interactions=[said(f"m{i}", InteractionKind.MENTION, minutes=i) for i in range(count)],
    )


def counted(client, workspace, **query) -> str:
    """What the list's count request (htmx) answers: the words that go in place."""
    response = client.get(url("count", workspace), query, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode().strip()


def _count_address(page: str) -> str:
    found = re.search(r'<p[^>]*data-testid="inbox-total"[^>]*>', page)
    assert found, "no count on the list"
    return html.unescape(re.search(r'hx-get="([^"]*)"', found.group(0)).group(1))


def _not_counted(**kwargs) -> int:
    raise AssertionError("the list counted its conversations")


def test_the_list_asks_for_its_count_with_its_filters_and_does_not_count(
    logged_in_client, workspace, channel, monkeypatch
):
    _mentions(channel, 3)
    monkeypatch.setattr("parvis.inbox.selectors.conversations_count", _not_counted)
    page = listed(logged_in_client, workspace, kind="mention", after="2020-01-01T00:00:00+00:00_1")
    address = _count_address(page)
    assert address == url("count", workspace) + "?kind=mention"  # the filters, not the page
    assert 'data-testid="count-link"' in page  # without JavaScript: a link to the count
    rows = logged_in_client.get(
        url("list", workspace), headers={"HX-Request": "true", "HX-Target": "inbox-rows"}
    )
    assert (
        rows.status_code == 200 and "inbox-total" not in rows.content.decode()
    )  # the 15 s refresh


def test_the_count_says_how_many_the_filters_select(logged_in_client, workspace, channel):
    _mentions(channel, 3)
    messages_store(channel=channel, interactions=[said("c1", post_remote_id="p1")])
    assert counted(logged_in_client, workspace) == "4 conversations"
    assert counted(logged_in_client, workspace, kind="mention") == "3 conversations"
    assert counted(logged_in_client, workspace, kind="comments") == "1 conversation"
    assert counted(logged_in_client, workspace, status="done") == "0 conversations"


def test_the_count_stops_past_what_is_worth_counting(
    logged_in_client, workspace, channel, monkeypatch
):
    _mentions(channel, 7)
    assert counted(logged_in_client, workspace) == "7 conversations"
    monkeypatch.setattr(views, "MOST_COUNTED", 5)
    assert counted(logged_in_client, workspace) == "More than 5 conversations"
    monkeypatch.setattr(views, "MOST_COUNTED", 7)
    assert counted(logged_in_client, workspace) == "7 conversations"


def test_more_than_a_thousand_is_written_with_its_separator(
    logged_in_client, workspace, channel, monkeypatch
):
    monkeypatch.setattr(views, "MOST_COUNTED", 1000)
    monkeypatch.setattr(
        "parvis.inbox.selectors.conversations_count", lambda **kwargs: kwargs["most"]
    )
    assert counted(logged_in_client, workspace) == "More than 1,000 conversations"


def test_the_count_speaks_french(logged_in_client, workspace, user, channel, monkeypatch):
    user.language = "fr"
    user.save(update_fields=["language"])
    logged_in_client.cookies.load({"django_language": "fr"})
    _mentions(channel, 2)
    assert counted(logged_in_client, workspace) == "2 conversations"
    monkeypatch.setattr(views, "MOST_COUNTED", 1)
    assert counted(logged_in_client, workspace) == "Plus de 1 conversations"
    monkeypatch.setattr(views, "MOST_COUNTED", 1000)
    monkeypatch.setattr(
        "parvis.inbox.selectors.conversations_count", lambda **kwargs: kwargs["most"]
    )
    thousand = html.unescape(counted(logged_in_client, workspace))
    assert re.fullmatch(r"Plus de 1\s000 conversations", thousand), thousand


def test_without_javascript_the_count_is_a_page_that_leads_back_to_the_list(
    logged_in_client, workspace, channel
):
    _mentions(channel, 2)
    page = logged_in_client.get(url("count", workspace), {"kind": "mention"}).content.decode()
    assert "<html" in page and "2 conversations" in page
    back = re.search(r'href="([^"]*)"[^>]*data-testid="back-to-list"', page).group(1)
    assert html.unescape(back) == url("list", workspace) + "?kind=mention"


def test_the_count_is_for_members_only(client, workspace):
    response = client.get(url("count", workspace))
    assert response.status_code == 302  # to the sign-in page
