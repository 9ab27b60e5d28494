"""The demo workspace shows pillars among its posts and goals measured on its Sandbox data."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from parvis.accounts.models import Workspace
from parvis.analytics.models import MetricSnapshot
from parvis.links.models import Click
from parvis.links.selectors import clicks_total
from parvis.strategy.models import Goal, Pillar
from parvis.strategy.progress import Status, goal_progress
from parvis.web.demo import demo_load


@pytest.mark.django_db
def test_the_demo_has_pillars_a_campaign_and_goals_with_progress(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    login = demo_load()
    workspace = Workspace.objects.get(slug=login.workspace_slug)
    pillars = list(Pillar.objects.in_workspace(workspace))
    assert len(pillars) == 4 and sum(p.target_share for p in pillars) == 100
    assert all(p.posts.exists() for p in pillars)
    assert MetricSnapshot.objects.in_workspace(workspace).exists()
    goals = list(Goal.objects.in_workspace(workspace))
    assert len(goals) == 5
    progress = {goal.kpi + str(goal.campaign_id or ""): goal_progress(goal) for goal in goals}
    published = next(p for key, p in progress.items() if key == "posts_published")
    assert published.value >= 5 and published.status in (Status.ON_TRACK, Status.BEHIND)
    rate = next(p for key, p in progress.items() if key == "engagement_rate")
    assert rate.value is not None and rate.value > 0
    clicks_goal = next(g for g in goals if g.kpi == "clicks")
    month = (clicks_goal.starts_on, timezone.localdate(timezone=ZoneInfo(workspace.time_zone)))
    counted = clicks_total(workspace=workspace, start=month[0], end=month[1])
    assert clicks_goal.starts_on.day == 1 and goal_progress(clicks_goal).value == counted
    assert Click.objects.in_workspace(workspace).filter(is_bot=False).exists()
    campaign_goal = next(g for g in goals if g.campaign_id)
    assert goal_progress(campaign_goal).value >= 2
    demo_load()  # again: nothing doubled
    assert Pillar.objects.in_workspace(workspace).count() == 4
    assert Goal.objects.in_workspace(workspace).count() == 5
