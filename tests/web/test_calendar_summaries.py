"""The calendar's campaign filter and its busy days shown as counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from parvis.channels.models import Channel
from parvis.publishing.models import Post, PostStatus
from parvis.strategy.actions import campaign_create
from parvis.web.calendar import BUSY_DAY, first_month_query
from tests import factories

pytestmark = pytest.mark.django_db
OCTOBER = {"start": "2026-10-01T00:00:00", "end": "2026-11-01T00:00:00"}


def _events(client, workspace, **params):
    url = reverse("web:calendar_events", kwargs={"workspace": workspace.slug})
    return client.get(url, {**OCTOBER, **params})


def _campaign(workspace, name="Rentrée", colour="#ff00aa"):
    return campaign_create(
        workspace=workspace,
        name=name,
        starts_on=date(2026, 9, 1),
        colour=colour,
        acting_user=None,
    )


def _post(workspace, at, *, status=PostStatus.SCHEDULED, campaign=None, channels=()):
    post = Post.objects.create(
        workspace=workspace, text=f"Post {at}", scheduled_at=at, status=status, campaign=campaign
    )
    post.channels.set(channels)
    return post


def test_filter_by_campaign_and_by_no_campaign(logged_in_client, workspace):
    rentree = _campaign(workspace)
    inside = _post(workspace, datetime(2026, 10, 5, 8, tzinfo=UTC), campaign=rentree)
    outside = _post(workspace, datetime(2026, 10, 6, 8, tzinfo=UTC))
    ids = [e["id"] for e in _events(logged_in_client, workspace, campaign=rentree.pk).json()]
    assert ids == [inside.pk]
    ids = [e["id"] for e in _events(logged_in_client, workspace, campaign="none").json()]
    assert ids == [outside.pk]
    (event, _other) = _events(logged_in_client, workspace).json()
    assert event["extendedProps"]["campaign"] == {
        "id": rentree.pk,
        "name": "Rentrée",
        "colour": "#ff00aa",
    }
    assert event["color"] == "#0d6efd"  # the status keeps the event's colour


def test_a_bad_or_foreign_campaign_filter(logged_in_client, workspace):
    foreign = _campaign(factories.make_workspace("Autre"))
    _post(workspace, datetime(2026, 10, 5, 8, tzinfo=UTC))
    response = _events(logged_in_client, workspace, campaign="rentrée")
    assert response.status_code == 400
    assert b"campaign filter is not a number" in response.content
    assert _events(logged_in_client, workspace, campaign=foreign.pk).json() == []


def test_busy_days_come_as_counts_that_follow_the_filters(logged_in_client, workspace):
    page = Channel.objects.create(
        workspace=workspace, network="sandbox_facebook", external_id="fb", name="Page"
    )
    rentree = _campaign(workspace)
    busy = datetime(2026, 10, 14, 6, tzinfo=UTC)
    for n in range(BUSY_DAY + 5):  # 11 posts: 4 drafts, 7 scheduled, 5 in the campaign
        _post(
            workspace,
            busy + timedelta(minutes=10 * n),
            status=PostStatus.DRAFT if n < 4 else PostStatus.SCHEDULED,
            campaign=rentree if n % 2 else None,
            channels=[page] if n < 3 else [],
        )
    quiet = _post(workspace, datetime(2026, 10, 20, 9, tzinfo=UTC))
    events = _events(logged_in_client, workspace, summarise=1).json()
    summary = next(e for e in events if e["extendedProps"].get("summary"))
    assert [e["id"] for e in events if e is not summary] == [quiet.pk]
    assert summary["start"] == "2026-10-14" and summary["allDay"] and not summary["editable"]
    assert summary["title"] == "11 posts"
    counts = {c["status"]: c["count"] for c in summary["extendedProps"]["counts"]}
    assert counts == {"draft": 4, "scheduled": 7}
    # Filters apply before counting: 7 scheduled posts are still a busy day...
    events = _events(logged_in_client, workspace, summarise=1, status="scheduled").json()
    (summary,) = [e for e in events if e["extendedProps"].get("summary")]
    assert summary["extendedProps"]["counts"] == [
        {"status": "scheduled", "label": "Scheduled", "count": 7, "colour": "#0d6efd"}
    ]
    # ...5 posts of the campaign, or 3 on one channel, are a quiet day: the posts themselves.
    events = _events(logged_in_client, workspace, summarise=1, campaign=rentree.pk).json()
    assert len(events) == 5 and not any(e["extendedProps"].get("summary") for e in events)
    events = _events(logged_in_client, workspace, summarise=1, channel=page.pk).json()
    assert len(events) == 3
    # Without summarise (the list views), every post.
    assert len(_events(logged_in_client, workspace).json()) == BUSY_DAY + 6


def test_days_are_counted_in_the_workspace_time_zone_dst_day_included(logged_in_client, workspace):
    # 25 October 2026: Paris goes from UTC+2 to UTC+1, a day of 25 hours,
    # from 2026-10-24T22:00Z to 2026-10-25T23:00Z.
    first, last = (
        datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 22, 59, tzinfo=UTC),
    )
    step = (last - first) / BUSY_DAY
    for n in range(BUSY_DAY + 1):
        _post(workspace, first + step * n)
    _post(workspace, datetime(2026, 10, 24, 21, 59, tzinfo=UTC))  # 23:59 on the 24th
    _post(workspace, datetime(2026, 10, 25, 23, 0, tzinfo=UTC))  # midnight on the 26th
    events = _events(logged_in_client, workspace, summarise=1).json()
    (summary,) = [e for e in events if e["extendedProps"].get("summary")]
    assert summary["start"] == "2026-10-25"
    assert summary["extendedProps"]["total"] == BUSY_DAY + 1
    starts = sorted(e["start"] for e in events if e is not summary)
    assert starts == ["2026-10-24T23:59:00", "2026-10-26T00:00:00"]


@pytest.mark.parametrize("count", [4, 80])
@pytest.mark.parametrize("summarise", ["", "1"])
def test_the_query_count_does_not_grow_with_posts_or_campaigns(
    logged_in_client, workspace, django_assert_num_queries, count, summarise
):
    page = Channel.objects.create(
        workspace=workspace, network="sandbox_facebook", external_id="fb", name="Page"
    )
    campaigns = [_campaign(workspace, f"Campagne {n}") for n in range(3)]
    for n in range(count):  # one quiet day, and busy days when there are many posts
        _post(
            workspace,
            datetime(2026, 10, 1 + n % 10, 6 + n % 12, n % 60, tzinfo=UTC),
            campaign=campaigns[n % 3],
            channels=[page],
        )
    _post(workspace, datetime(2026, 10, 30, 9, tzinfo=UTC), campaign=campaigns[0])
    _events(logged_in_client, workspace)  # the first visit remembers the workspace (an UPDATE)
    # session, user, membership (+ workspace), then posts (with their campaign),
    # channels, deliveries; summarised: one light query of the day counts before.
    with django_assert_num_queries(7 if summarise else 6):
        events = _events(logged_in_client, workspace, summarise=summarise).json()
    assert sum(e["extendedProps"].get("total", 1) for e in events) == count + 1
    assert any(e["extendedProps"].get("campaign") for e in events)


def test_the_page_asks_for_its_first_month_as_the_calendar_will(logged_in_client, workspace):
    # November 2026 starts on a Sunday: the grid runs from Monday 26 October, six weeks.
    assert first_month_query(date(2026, 11, 25)) == (
        "start=2026-10-26T00%3A00%3A00&end=2026-12-07T00%3A00%3A00&summarise=1"
    )
    assert first_month_query(date(2027, 3, 1), campaign="7").endswith("&summarise=1&campaign=7")
    page = logged_in_client.get(
        reverse("web:calendar", kwargs={"workspace": workspace.slug}), {"campaign": "7"}
    )
    assert 'rel="preload" as="fetch"' in page.content.decode()
    assert "summarise=1&amp;campaign=7" in page.content.decode()
