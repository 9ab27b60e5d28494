"""The demo workspace has months of history: its heatmap speaks, lunch and evening win."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parvis.accounts.models import Workspace
from parvis.analytics.best_times import best_times, queue_suggestion
from parvis.analytics.models import MetricSnapshot
from parvis.networks.sandbox.audience import HOURLY_ACTIVITY, activity
from parvis.web.demo import demo_load
from parvis.web.demo_best_times import demo_posting_history


@pytest.mark.django_db
def test_the_demo_s_history_gives_a_heatmap_and_the_queue_its_best_times(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    workspace = Workspace.objects.get(slug=demo_load().workspace_slug)
    heatmap = best_times(workspace=workspace)
    assert heatmap.enough and heatmap.measured >= 150
    # The Sandbox audience scrolls at lunch and in the evening: the best slots show it.
    # (Reactions are drawn at random around the audience's activity, so the best cell is
    # one of its peak hours, not always the same one.)
    peaks = [hour for hour, factor in enumerate(HOURLY_ACTIVITY) if factor >= 1.3]
    assert peaks == [12, 13, 19, 20]
    best, worst = heatmap.ranked[0], heatmap.ranked[-1]
    assert best.hour in peaks and worst.hour in (8, 9, 10), heatmap.ranked
    assert best.rate > worst.rate * 1.1
    for network in ("sandbox_facebook", "sandbox_x"):
        channel = workspace.channels.get(network=network)
        assert queue_suggestion(workspace=workspace, channel_id=channel.pk).source == "channel"
    snapshots = MetricSnapshot.objects.count()
    assert demo_posting_history(workspace, workspace.memberships.first().user) == 0  # once
    assert MetricSnapshot.objects.count() == snapshots


def test_the_audience_is_busier_at_lunch_than_at_night():
    lunch = datetime(2027, 1, 12, 11, 30, tzinfo=UTC)  # Tuesday 12:30 in Paris
    night = datetime(2027, 1, 12, 2, 0, tzinfo=UTC)
    assert activity(lunch) > 1 > activity(night)
