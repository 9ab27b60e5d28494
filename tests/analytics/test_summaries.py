"""The collector keeps the dashboards' summaries beside the snapshot history."""

from __future__ import annotations

import pytest

from parvis.analytics.models import MetricChannelDay, MetricDay, MetricLatest, MetricSnapshot
from tests import factories
from tests.analytics.helpers import at, measure, published, today

pytestmark = pytest.mark.django_db


def test_a_days_gain_is_what_the_lifetime_totals_grew_since_the_day_before(workspace):
    channel = factories.make_sandbox_channel(workspace, "sandbox_facebook", "Page")
    published(workspace, channel, "p1")
    measure(channel, at(2, 9), followers=1000, posts={"p1": {"likes": 10, "engagements": 12}})
    measure(channel, at(2, 18), followers=1010, posts={"p1": {"likes": 15, "engagements": 20}})
    measure(channel, at(1, 9), followers=1030, posts={"p1": {"likes": 18, "engagements": 26}})

    days = {
        (row.remote_id, row.name, (today() - row.day).days): (row.value, row.gain)
        for row in MetricDay.objects.all()
    }
    # First measurement of a post: everything it got since it was published.
    assert days[("p1", "engagements", 2)] == (20, 20)
    assert days[("p1", "engagements", 1)] == (26, 6)
    # An account's first figure is a level, not growth; later ones the same day are.
    assert days[("", "followers", 2)] == (1010, 10)
    assert days[("", "followers", 1)] == (1030, 20)
    channel_days = {
        (row.name, (today() - row.day).days): row.gain for row in MetricChannelDay.objects.all()
    }
    assert channel_days[("engagements", 2)] == 20 and channel_days[("engagements", 1)] == 6
    assert ("followers", 1) not in channel_days  # the account is not a post
    latest = MetricLatest.objects.get(channel=channel, remote_id="p1", name="likes")
    assert latest.value == 18 and latest.measured_at == at(1, 9)
    assert MetricSnapshot.objects.count() == 3 * 3  # the history is kept whole


def test_a_network_without_an_engagements_figure_gets_one_in_the_summaries(workspace):
    channel = factories.make_sandbox_channel(workspace, "sandbox_x", "X")
    published(workspace, channel, "t1")
    measure(channel, at(1), posts={"t1": {"likes": 4, "comments": 2, "shares": 1, "views": 90}})
    row = MetricDay.objects.get(remote_id="t1", name="engagements")
    assert row.value == 7 and row.gain == 7
    assert not MetricSnapshot.objects.filter(name="engagements").exists()


def test_a_late_answer_older_than_the_summary_leaves_it_alone(workspace):
    channel = factories.make_sandbox_channel(workspace, "sandbox_x", "X")
    measure(channel, at(1, 12), followers=500)
    measure(channel, at(1, 8), followers=400)
    latest = MetricLatest.objects.get(channel=channel, name="followers")
    assert latest.value == 500
    assert MetricSnapshot.objects.filter(name="followers").count() == 2
