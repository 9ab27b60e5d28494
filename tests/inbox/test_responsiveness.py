"""First response time and response rate, on built conversations with exact figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest

from parvis.accounts.models import Membership
from parvis.inbox.responsiveness import (
    Figures,
    Period,
    only_overdue,
    period_of,
    responsiveness_by_channel,
    responsiveness_by_member,
    responsiveness_total,
    with_awaiting_since,
)
from parvis.inbox.threads import Conversation, Message
from tests import factories

pytestmark = pytest.mark.django_db

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
_ids = count()


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def conversation(channel, said, *, assignee=None, status="open") -> Conversation:
    """A conversation from (time, sender) pairs: sender "in" is the person, else a user or None
    for an answer sent by nobody in Parvis."""
    thread = Conversation.objects.create(
        workspace=channel.workspace,
        channel=channel,
        kind="comments",
        thread_key=f"post:{next(_ids)}",
        assignee=assignee,
        status=status,
        last_message_at=max(when for when, _ in said),
        message_count=len(said),
    )
    for when, sender in said:
        Message.objects.create(
            workspace=channel.workspace,
            conversation=thread,
            channel=channel,
            remote_id=f"m{next(_ids)}",
            kind="comment",
            direction="in" if sender == "in" else "out",
            sent_by=None if sender in ("in", None) else sender,
            created_at=when,
        )
    return thread


@pytest.fixture
def team(workspace):
    return build_team(workspace)


def build_team(workspace) -> dict:
    """Seven conversations in and around November 2026 with exactly known figures."""
    alice = factories.make_member(workspace, "editor").user
    bob = factories.make_member(workspace, "editor").user
    facebook = factories.make_sandbox_channel(workspace, "sandbox_facebook", "Mie Facebook")
    x = factories.make_sandbox_channel(workspace, "sandbox_x", "Mie X")
    # Two stretches answered by Alice in 30 and 10 minutes; Bob's second answer does not count.
    conversation(
        facebook,
        [
            (at(3, 10), "in"),
            (at(3, 10, 5), "in"),
            (at(3, 10, 30), alice),
            (at(3, 10, 40), bob),
            (at(3, 12), "in"),
            (at(3, 12, 10), alice),
        ],
        assignee=alice,
    )
    conversation(facebook, [(at(4, 9), "in"), (at(4, 11), bob)], assignee=bob)  # 2 hours
    conversation(x, [(at(5, 8), "in")])  # answered by nobody, still open: missed
    conversation(x, [(at(5, 8), "in")], status="done")  # closed without answer: not needed
    # 23:30 UTC on 31 October is 00:30 on 1 November in Paris: November's.
    conversation(x, [(at(31, 23, 30, month=10), "in"), (at(1, 0, 30), None)], assignee=alice)
    # 23:30 UTC on 30 November is already December in Paris: not November's.
    conversation(facebook, [(at(30, 23, 30), "in"), (at(30, 23, 31), alice)])
    # 23:00 on 31 October in Paris, answered in November: October's.
    conversation(facebook, [(at(31, 22, month=10), "in"), (at(31, 23, 30, month=10), bob)])
    Membership.objects.filter(workspace=workspace, user=bob).delete()  # Bob left since
    return {"alice": alice, "bob": bob, "facebook": facebook, "x": x}


def test_the_workspace_figures_count_stretches_and_interpolate_percentiles(workspace, team):
    # Answered: 600, 1800, 3600, 7200 seconds; one open conversation is missed.
    assert responsiveness_total(workspace=workspace, period=NOVEMBER) == Figures(
        needing=5, answered=4, answers=4, median_seconds=2700.0, p90_seconds=6120.0
    )
    assert responsiveness_total(workspace=workspace, period=NOVEMBER).rate == 0.8


def test_the_previous_period_is_as_long_and_just_before(workspace, team):
    previous = NOVEMBER.previous()
    assert previous == Period(date(2026, 10, 2), date(2026, 10, 31))
    assert responsiveness_total(workspace=workspace, period=previous) == Figures(
        needing=1, answered=1, answers=1, median_seconds=5400.0, p90_seconds=5400.0
    )


def test_figures_per_channel(workspace, team):
    figures = responsiveness_by_channel(workspace=workspace, period=NOVEMBER)
    assert figures == {
        team["facebook"].pk: Figures(3, 3, 3, 1800.0, 6120.0),
        team["x"].pk: Figures(2, 1, 1, 3600.0, 3600.0),
    }
    assert figures[team["x"].pk].rate == 0.5


def test_figures_per_member_keep_a_member_who_left(workspace, team):
    figures = responsiveness_by_member(workspace=workspace, period=NOVEMBER)
    assert figures == {
        # Alice: her two answers; her assigned conversations' three stretches, all answered.
        team["alice"].pk: Figures(3, 3, 2, 1200.0, 1680.0),
        team["bob"].pk: Figures(1, 1, 1, 7200.0, 7200.0),
        # No member: the unassigned conversation missed, the answer from outside Parvis.
        None: Figures(1, 0, 1, 3600.0, 3600.0),
    }


def test_an_empty_period_has_no_figures(workspace, team):
    empty = Period(date(2025, 1, 1), date(2025, 1, 31))
    assert responsiveness_total(workspace=workspace, period=empty) == Figures()
    assert Figures().rate is None


def test_the_default_period_is_the_last_thirty_days_in_the_workspace_zone(workspace):
    period = period_of(workspace=workspace, last=date(2026, 12, 7))
    assert period == Period(date(2026, 11, 8), date(2026, 12, 7)) and period.days == 30
    swapped = period_of(workspace=workspace, first=date(2026, 12, 7), last=date(2026, 12, 1))
    assert swapped == Period(date(2026, 12, 1), date(2026, 12, 7))


def test_other_workspaces_are_not_counted(workspace, team):
    other = factories.make_workspace("Autre", owner=factories.make_user())
    assert responsiveness_total(workspace=other, period=NOVEMBER) == Figures()


def test_overdue_conversations_are_open_and_waiting_longer_than_the_target(workspace):
    from django.utils import timezone

    workspace.response_target_minutes = 60
    workspace.save(update_fields=["response_target_minutes"])
    channel = factories.make_sandbox_channel(workspace, "sandbox_x", "Mie X")
    now = timezone.now()
    ago = lambda minutes: now - timedelta(minutes=minutes)  # noqa: E731
    late = conversation(channel, [(ago(200), "in"), (ago(90), "in")])
    conversation(channel, [(ago(30), "in")])  # within the target
    conversation(channel, [(ago(120), "in"), (ago(100), None)])  # answered
    again = conversation(channel, [(ago(180), "in"), (ago(170), None), (ago(10), "in")])
    conversation(channel, [(ago(120), "in")], status="done")
    rows = Conversation.objects.in_workspace(workspace)
    assert list(only_overdue(rows, workspace=workspace)) == [late]
    waiting = {c.pk: c.awaiting_since for c in with_awaiting_since(rows)}
    assert waiting[late.pk] == ago(200) and waiting[again.pk] == ago(10)
    assert sorted(waiting.values(), key=lambda v: v is None)[-1] is None
