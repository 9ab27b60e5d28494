"""The goals section of the PDF report (analytics' seam ``reports.goals``).

A report shows the goals that ran during its period (active goals started by its last
day and not past their deadline before its first), each measured as it stood at the
end of the period (or now, for the period still running), with the goal page's words.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone

from parvis.accounts.models import Workspace
from parvis.analytics.reports.goals import GoalLine
from parvis.inbox.responsiveness import Period
from parvis.strategy.progress import goal_progress
from parvis.strategy.selectors import goals_of


def report_goal_lines(workspace: Workspace, period: Period) -> list[GoalLine]:
    _start, end = period.bounds(ZoneInfo(workspace.time_zone))
    when = min(timezone.now(), end)
    goals = (
        goals_of(workspace=workspace, include_archived=False)
        .filter(starts_on__lte=period.last, deadline__gte=period.first)
        .order_by("deadline", "name")
    )
    lines = []
    for goal in goals:
        progress = goal_progress(goal, now=when)
        lines.append(
            GoalLine(
                name=goal.name,
                kpi=str(progress.kpi.label) if progress.kpi else goal.kpi,
                value_text=progress.value_text,
                target_text=progress.target_text,
                reached_percent=progress.reached_percent,
                status=str(progress.status),
                status_label=progress.status_label,
                explanation=progress.explanation,
                deadline=goal.deadline,
            )
        )
    return lines
