"""The best-times heatmap: which posts count, their rate, the grid and its best slots."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from parvis.analytics.best_times import (
    MIN_POSTS,
    Rate,
    best_times,
    engagement_rate,
    queue_suggestion,
)
from parvis.analytics.definitions import definition
from parvis.analytics.models import MetricSnapshot
from parvis.analytics.selectors import Figure, Figures
from parvis.channels.models import Channel
from tests import factories
from tests.analytics.best_times_data import MONDAY, published, rated

pytestmark = pytest.mark.django_db

NOW = MONDAY + timedelta(weeks=20)


def figures(**values: float) -> Figures:
    return Figures(NOW, tuple(Figure(definition(name), value) for name, value in values.items()))


def channel(workspace, name="Fournil", network="sandbox_facebook") -> Channel:
    return Channel.objects.create(workspace=workspace, network=network, external_id=name, name=name)


def at(day: int, hour: int, minute: int = 0, week: int = 0) -> datetime:
    """A moment given in UTC from Monday 26 October 2026 (Paris is one hour ahead)."""
    return MONDAY + timedelta(weeks=week, days=day, hours=hour, minutes=minute)


def test_the_rate_is_engagements_over_reach_with_documented_fallbacks():
    assert engagement_rate(figures(engagements=50, reach=1000, views=2000)) == Rate(0.05, False)
    # No total (Facebook posts): the interactions given are added up.
    assert engagement_rate(figures(likes=30, clicks=10, reach=800)) == Rate(0.05, False)
    # No reach (X): divided by views, and said so.
    assert engagement_rate(figures(likes=8, comments=2, views=500)) == Rate(0.02, True)
    assert engagement_rate(figures(likes=8)) is None  # nothing to divide by
    assert engagement_rate(figures(reach=0, engagements=3)) is None
    assert engagement_rate(figures(reach=100, followers=3)) is None  # no interaction at all


def test_posts_fall_in_the_weekday_and_hour_of_the_workspace_zone(workspace):
    fournil = channel(workspace)
    # Tuesday 11:30 UTC is Tuesday 12:30 in Paris; Sunday 23:30 UTC is Monday 00:30.
    for week, rate in enumerate((0.01, 0.02, 0.90)):
        rated(fournil, at(1, 11, 30, week=week), rate)
    rated(fournil, at(6, 23, 30), 0.05)
    heatmap = best_times(workspace=workspace, now=NOW, min_posts=1)
    tuesday_noon = heatmap.rows[1][12]
    assert (tuesday_noon.posts, tuesday_noon.rate) == (3, 0.02)  # the median: one viral post
    assert heatmap.rows[0][0].posts == 1 and heatmap.rows[0][0].rate is None  # too few
    assert heatmap.rows[1][11].posts == 0
    assert (heatmap.published, heatmap.measured) == (4, 4)
    assert heatmap.first.hour == 12 and str(heatmap.first.tzinfo) == "Europe/Paris"


def test_only_the_period_the_chosen_channels_and_measured_posts_count(workspace):
    fournil, other = channel(workspace), channel(workspace, "Comptoir", "sandbox_x")
    rated(fournil, at(1, 11), 0.04)
    rated(other, at(1, 11), 0.50)
    rated(fournil, NOW - timedelta(days=200), 0.9)  # older than the period
    published(fournil, at(1, 11), figures={"reach": 100, "engagements": 90}, position=1)  # a part
    published(fournil, at(2, 11))  # published, not measured yet
    mine = best_times(workspace=workspace, channel_ids=[fournil.pk], now=NOW, min_posts=1)
    assert (mine.published, mine.measured) == (2, 1)
    assert mine.rows[1][12].posts == 1
    both = best_times(workspace=workspace, now=NOW, min_posts_per_cell=2, min_posts=1)
    assert both.rows[1][12].rate == pytest.approx(0.27)
    wider = best_times(workspace=workspace, now=NOW, days=365, channel_ids=[fournil.pk])
    assert wider.measured == 2


def test_the_latest_measurement_of_a_post_is_the_one_used(workspace):
    fournil = channel(workspace)
    delivery = rated(fournil, at(3, 17), 0.01)
    for name, value in (("reach", 1000), ("engagements", 80)):
        MetricSnapshot.objects.create(
            workspace=workspace,
            channel=fournil,
            remote_id=delivery.remote_id,
            name=name,
            value=value,
            measured_at=at(3, 17) + timedelta(days=3),
        )
    heatmap = best_times(workspace=workspace, now=NOW, min_posts_per_cell=1, min_posts=1)
    assert heatmap.rows[3][18].rate == pytest.approx(0.08)


def test_too_little_history_says_so_and_proposes_nothing(workspace):
    fournil = channel(workspace)
    for week in range(MIN_POSTS - 1):
        rated(fournil, at(1, 11, week=week), 0.05)
    heatmap = best_times(workspace=workspace, now=NOW)
    assert heatmap.rows[1][12].rate == 0.05  # the cell itself has enough posts
    assert not heatmap.enough and heatmap.top() == [] and heatmap.queue_slots() == []
    rated(fournil, at(1, 11, week=MIN_POSTS), 0.05)
    assert best_times(workspace=workspace, now=NOW).enough
    other = factories.make_workspace("Autre marque")
    assert best_times(workspace=other, now=NOW).measured == 0  # scoped to the workspace


def history(fournil: Channel, pattern: dict[tuple[int, int], float], weeks: int = 4) -> None:
    """``weeks`` posts at each (weekday, UTC hour), each with that rate."""
    for (day, hour), rate in pattern.items():
        for week in range(weeks):
            rated(fournil, at(day, hour, week=week), rate)


def test_the_best_slots_are_ranked_and_the_queue_spreads_them_over_the_week(workspace):
    fournil = channel(workspace)
    # Paris times: Tue 12h 6 %, Tue 19h 8 %, Wed 18h 5 %, Thu 12h 4 %, Sat 9h 1 %.
    history(fournil, {(1, 11): 0.06, (1, 18): 0.08, (2, 17): 0.05, (3, 11): 0.04, (5, 8): 0.01})
    heatmap = best_times(workspace=workspace, now=NOW)
    assert [(c.weekday, c.hour) for c in heatmap.top(3)] == [(1, 19), (1, 12), (2, 18)]
    assert heatmap.queue_slots() == [(1, time(19)), (2, time(18)), (3, time(12))]
    assert heatmap.queue_slots(count=6)[-1] == (1, time(12))  # then any day, best first
    assert len(heatmap.queue_slots(count=6)) == 5


def test_the_queue_takes_the_channel_s_history_else_the_workspace_s_else_none(workspace):
    fournil, comptoir = channel(workspace), channel(workspace, "Comptoir", "sandbox_x")
    empty = queue_suggestion(workspace=workspace, channel_id=fournil.pk, now=NOW)
    assert (empty.source, empty.slots) == ("default", [])
    history(fournil, {(1, 11): 0.06, (2, 17): 0.05, (3, 11): 0.04})
    own = queue_suggestion(workspace=workspace, channel_id=fournil.pk, now=NOW)
    assert own.source == "channel"
    assert own.slots == [(1, time(12)), (2, time(18)), (3, time(12))]
    borrowed = queue_suggestion(workspace=workspace, channel_id=comptoir.pk, now=NOW)
    assert (borrowed.source, borrowed.slots) == ("workspace", own.slots)
    assert borrowed.channel_map.measured == 0 and borrowed.workspace_map.measured == 12
