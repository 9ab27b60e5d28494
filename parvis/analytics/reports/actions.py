"""Writes about scheduled reports: schedules, and the sendings each period makes due."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from parvis.accounts.models import Membership, User
from parvis.analytics.reports.models import ReportSchedule, ReportSending
from parvis.analytics.reports.sending import due_period
from parvis.core.audit import audit

ENSURE_EVERY_SECONDS = 300


def sendings_ensure(*, now: datetime | None = None) -> int:
    """Write the due sending of every active schedule (a periodic job, safe to repeat:
    the unique (schedule, period) key skips a sending that exists)."""
    now = now or timezone.now()
    rows = []
    for schedule in ReportSchedule.objects.filter(active=True).select_related("workspace"):
        period = due_period(schedule, now)
        if period is not None:
            rows.append(
                {
                    "schedule_id": schedule.pk,
                    "workspace_id": schedule.workspace_id,
                    "period_first": period.first,
                    "period_last": period.last,
                }
            )
    return ReportSending.create_due(rows)


@transaction.atomic
def report_schedule_save(
    *,
    acting: Membership,
    frequency: str,
    language: str,
    members: list[User],
    emails: list[str],
    schedule: ReportSchedule | None = None,
) -> ReportSchedule:
    """Create or change a schedule (``members`` must be the workspace's)."""
    workspace = acting.workspace
    if schedule is None:
        schedule = ReportSchedule(workspace=workspace, created_by=acting.user)
    schedule.frequency, schedule.language = frequency, language
    schedule.emails = "\n".join(emails)
    schedule.save()
    schedule.members.set(members)
    audit(verb="report.schedule_saved", workspace=workspace, actor=acting.user, target=schedule)
    return schedule


@transaction.atomic
def report_schedule_delete(*, acting: Membership, schedule: ReportSchedule) -> None:
    """Stop a schedule; its past sendings go with it."""
    audit(
        verb="report.schedule_deleted",
        workspace=acting.workspace,
        actor=acting.user,
        target=schedule,
    )
    schedule.delete()
