"""The inbox list in pages: older and newer from a cursor (no offset)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl

import pytest

from parvis.inbox.ingesting import messages_store
from parvis.inbox.models import Conversation
from parvis.networks.base import InteractionKind
from tests.inbox.test_ingesting import said
from tests.inbox.test_pages import listed

pytestmark = pytest.mark.django_db


def _mentions(channel, count: int) -> None:
    """``count`` mentions, a minute apart: m0 the oldest, each its own conversation."""
    messages_store(
        channel=channel,
        interactions=[said(f"m{i}", InteractionKind.MENTION, minutes=i) for i in range(count)],
    )


def _previews(page: str) -> list[str]:
    return re.findall(r'inbox-preview">message (m\d+)<', page)


def _link(page: str, testid: str) -> dict[str, str]:
    found = re.search(rf'href="\?([^"]*)"[^>]*data-testid="{testid}"', page)
    assert found, f"no {testid} link"
    return dict(parse_qsl(html.unescape(found.group(1))))


def test_a_long_list_comes_in_pages_of_fifty_older_and_newer(logged_in_client, workspace, channel):
    _mentions(channel, 120)
    first = listed(logged_in_client, workspace, kind="mention")
    newest = [f"m{i}" for i in range(119, -1, -1)]
    assert _previews(first) == newest[:50] and "page-newer" not in first
    second = listed(logged_in_client, workspace, **_link(first, "page-older"))
    assert _previews(second) == newest[50:100]
    assert _link(second, "page-older")["kind"] == "mention"  # the filters stay
    last = listed(logged_in_client, workspace, **_link(second, "page-older"))
    assert _previews(last) == newest[100:] and "page-older" not in last
    back = listed(logged_in_client, workspace, **_link(last, "page-newer"))
    assert _previews(back) == newest[50:100]
    assert (
        _previews(listed(logged_in_client, workspace, **_link(back, "page-newer"))) == newest[:50]
    )
    assert _link(last, "page-first") == {"kind": "mention"}


def test_pages_follow_the_priority_order_through_equal_times(logged_in_client, workspace, channel):
    messages_store(
        channel=channel,
        interactions=[said(f"m{i}", InteractionKind.MENTION, minutes=i % 3) for i in range(60)],
    )
    Conversation.objects.filter(preview__in=[f"message m{i}" for i in range(0, 60, 4)]).update(
        priority=2
    )
    first = listed(logged_in_client, workspace, order="priority")
    rest = listed(logged_in_client, workspace, **_link(first, "page-older"))
    shown = _previews(first) + _previews(rest)
    expected = Conversation.objects.order_by("-priority", "-last_message_at", "-id")
    assert shown == [c.preview.removeprefix("message ") for c in expected]


def test_a_cursor_that_does_not_parse_shows_the_first_page(logged_in_client, workspace, channel):
    messages_store(channel=channel, interactions=[said("m1", InteractionKind.MENTION)])
    for cursor in ("nonsense", "2026-01-01T00:00:00_1", "1_2_3", "2026-13-01T00:00:00+00:00_1"):
        page = listed(logged_in_client, workspace, after=cursor)
        assert _previews(page) == ["m1"]


def test_the_navigation_badge_stops_counting_at_999_plus(
    logged_in_client, workspace, channel, monkeypatch
):
    from parvis.inbox import selectors

    _mentions(channel, 4)
    assert 'data-testid="inbox-count">4<' in listed(logged_in_client, workspace)
    monkeypatch.setattr(selectors, "BADGE_MOST", 4)
    assert 'data-testid="inbox-count">3+<' in listed(logged_in_client, workspace)
    Conversation.objects.update(status="done")
    assert 'data-testid="inbox-count"' not in listed(logged_in_client, workspace)


def test_a_row_shows_who_what_where_and_the_teams_work(logged_in_client, workspace, channel, user):
    messages_store(
        channel=channel,
        interactions=[
            said("c1", post_remote_id="p1", text="Where is my <order>?"),
            said("c2", post_remote_id="p1", minutes=1, text="Still waiting <b>"),
        ],
    )
    conversation = Conversation.objects.get()
    Conversation.objects.filter(pk=conversation.pk).update(
        status="pending", assignee=user, priority=4, intent="complaint", sentiment="negative"
    )
    tag = conversation.tags.model.objects.create(workspace=workspace, name="<vip>")
    conversation.tags.add(tag)
    page = listed(logged_in_client, workspace, status="")
    row = page[
        page.index('data-testid="conversation-row"') : page.index(
            "</a>", page.index("inbox-preview")
        )
    ]
    assert f'href="/w/{workspace.slug}/inbox/{conversation.pk}/"' in row
    assert "Léa Fontaine" in row and channel.name in row
    assert 'data-testid="priority-badge"' in row and "Complaint" in row
    assert 'data-testid="triage-intent"' in row and 'data-testid="triage-sentiment"' in row
    assert 'data-testid="conversation-status">Pending<' in row
    assert '<span class="badge text-bg-info">&lt;vip&gt;</span>' in row
    assert f'data-testid="row-assignee">{user.display_name}<' in row
    assert "Still waiting &lt;b&gt;" in row and "2 messages" in row
