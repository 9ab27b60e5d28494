"""The tag filter: the same conversations whether the tag is on few or on many."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parvis.inbox import selectors
from parvis.inbox.ingesting import messages_store
from parvis.inbox.models import Conversation
from parvis.inbox.work import conversation_set_tags
from parvis.networks.base import InteractionKind
from tests import factories
from tests.inbox.test_ingesting import said
from tests.inbox.test_list_count import counted
from tests.inbox.test_pages import listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(workspace, channel, user) -> dict[str, Conversation]:
    """Six conversations: comments c0..c2 and mentions m3..m5; "vip" on c0, c1, m3, m4."""
    comments = [
        said(f"c{i}", post_remote_id=f"p{i}", minutes=i, text=f"message c{i}") for i in (0, 1, 2)
    ]
    mentions = [
        said(f"m{i}", InteractionKind.MENTION, minutes=i, text=f"message m{i}") for i in (3, 4, 5)
    ]
    messages_store(channel=channel, interactions=comments + mentions)
    found = {c.preview.removeprefix("message "): c for c in Conversation.objects.all()}
    for key in ("c0", "c1", "m3", "m4"):
        conversation_set_tags(conversation=found[key], raw="vip", acting_user=user)
    conversation_set_tags(conversation=found["c2"], raw="other", acting_user=user)
    return found


def _shown(page: str) -> list[str]:
    return re.findall(r'inbox-preview">message (\w+)<', page)


@pytest.mark.parametrize("few", [1000, 2], ids=["few-read-by-ids", "many"])
def test_a_tag_selects_its_conversations_alone_or_with_other_filters(
    logged_in_client, workspace, tagged, monkeypatch, few
):
    monkeypatch.setattr(selectors, "FEW_TAGGED", few)
    client = logged_in_client
    assert _shown(listed(client, workspace, tag="vip")) == ["m4", "m3", "c1", "c0"]
    assert _shown(listed(client, workspace, tag="vip", kind="comments")) == ["c1", "c0"]
    assert _shown(listed(client, workspace, tag="other", kind="mention")) == []
    assert _shown(listed(client, workspace, tag="nobody-has-it")) == []
    assert counted(client, workspace, tag="vip") == "4 conversations"
    assert counted(client, workspace, tag="vip", kind="mention") == "2 conversations"
    assert counted(client, workspace, tag="nobody-has-it") == "0 conversations"


@pytest.mark.parametrize("few", [1000, 2], ids=["few-read-by-ids", "many"])
def test_the_same_tag_in_another_workspace_adds_nothing(
    logged_in_client, workspace, tagged, monkeypatch, few
):
    monkeypatch.setattr(selectors, "FEW_TAGGED", few)
    owner = factories.make_user("elsewhere@example.org")
    elsewhere = factories.make_workspace("Ailleurs", owner=owner)
    channel = factories.make_sandbox_channel(elsewhere, "sandbox_x", "Autre")
    messages_store(channel=channel, interactions=[said("z1", text="message z1")])
    other = Conversation.objects.get(workspace=elsewhere)
    conversation_set_tags(conversation=other, raw="vip", acting_user=owner)
    assert _shown(listed(logged_in_client, workspace, tag="vip")) == ["m4", "m3", "c1", "c0"]
    assert counted(logged_in_client, workspace, tag="vip") == "4 conversations"


def test_paging_through_a_tag_with_another_filter_checked_from_a_hash(
    logged_in_client, workspace, tagged, monkeypatch
):
    monkeypatch.setattr(selectors, "FEW_TAGGED", 2)
    monkeypatch.setattr(selectors, "INBOX_PAGE", 1)
    with CaptureQueriesContext(connection) as queries:
        first = listed(logged_in_client, workspace, tag="vip", kind="mention")
    assert _shown(first) == ["m4"]
    assert any(") IS TRUE" in query["sql"] for query in queries.captured_queries)
    older = re.search(r'href="\?([^"]*)"[^>]*data-testid="page-older"', first).group(1)
    last = listed(logged_in_client, workspace, **dict(parse_qsl(unescape(older))))
    assert _shown(last) == ["m3"] and "page-older" not in last
