"""The campaigns' and the goals' lists as CSV (see parvis.core.exports)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from parvis.accounts.models import Workspace
from parvis.core.exports import csv_response
from parvis.strategy.models import Campaign
from parvis.strategy.progress import Progress


def campaigns_csv(*, workspace: Workspace, campaigns: QuerySet[Campaign]) -> StreamingHttpResponse:
    """Each campaign with its dates and its posts (``campaigns_with_counts``)."""
    rows = (
        (
            c.name,
            c.description,
            c.starts_on,
            c.ends_on,
            c.archived,
            c.post_count,
            c.first_post_at,
            c.last_post_at,
        )
        for c in campaigns
    )
    columns = [
        _("Campaign"),
        _("Description"),
        _("Starts on"),
        _("Ends on"),
        _("Archived"),
        _("Posts"),
        _("First post"),
        _("Last post"),
    ]
    return csv_response(filename=_("campaigns"), columns=columns, rows=rows, workspace=workspace)


def goals_csv(*, workspace: Workspace, progress: list[Progress]) -> StreamingHttpResponse:
    """Each goal with its scope, dates, target and where it stands (``goal_progress``);
    values in the KPI's unit (a percentage, minutes or a count)."""
    rows = (
        (
            p.goal.name,
            str(p.kpi.label) if p.kpi else p.goal.kpi,
            p.kpi.unit if p.kpi else "",
            p.goal.channel.name if p.goal.channel else "",
            p.goal.campaign.name if p.goal.campaign else "",
            p.goal.starts_on,
            p.goal.deadline,
            p.goal.target,
            p.value,
            p.reached_percent,
            p.expected_percent,
            p.status_label,
            p.goal.archived,
        )
        for p in progress
    )
    columns = [
        _("Goal"),
        _("KPI"),
        _("Unit"),
        _("Channel"),
        _("Campaign"),
        _("Starts on"),
        _("Deadline"),
        _("Target"),
        _("Value"),
        _("Reached (%)"),
        _("Expected by today (%)"),
        _("Status"),
        _("Archived"),
    ]
    return csv_response(filename=_("goals"), columns=columns, rows=rows, workspace=workspace)
