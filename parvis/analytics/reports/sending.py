"""Scheduled reports: which period is due, and sending one period's report once.

A weekly report covers Monday to Sunday, a monthly one the calendar month, both in the
workspace's time zone. A period's report is due at ``SEND_AT`` on the day after it ends
(the evening's figures are in by then). The periodic job writes one ``ReportSending``
row per schedule and due period; the unique (schedule, period) key means two workers,
or a worker restarted, never write a second one. The row is then the job: the engine
renders the PDF and e-mails it.

Never twice: the row records ``emailed_at`` in its own commit just before the e-mail
is handed to the mail server. A refused hand-over clears it and tries again later (3
attempts); a worker that stopped in between leaves it set, and the row then fails
with a reason instead of sending a second copy.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parvis.analytics.reports.content import report_content
from parvis.analytics.reports.rendering import ReportUnavailable, report_pdf, shown_totals
from parvis.analytics.reports.states import SendingStates
from parvis.engine.runner import Move, backoff
from parvis.inbox.responsiveness import Period

if TYPE_CHECKING:
    from parvis.analytics.reports.models import ReportSchedule, ReportSending

logger = logging.getLogger("parvis.reports")

SEND_AT = time(7, 0)  # local time, the day after the period
MOST_ATTEMPTS = 3


def last_complete_period(frequency: str, today: date) -> Period:
    """The last whole week (Monday to Sunday) or month before ``today``."""
    if frequency == "monthly":
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last)
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7), monday - timedelta(days=1))


def due_period(schedule: ReportSchedule, now: datetime) -> Period | None:
    """The period whose report is due now, if its sending time has come and the
    schedule existed before the period ended (a new schedule starts with the next)."""
    zone = ZoneInfo(schedule.workspace.time_zone)
    local = now.astimezone(zone)
    period = last_complete_period(schedule.frequency, local.date())
    if local.date() == period.last + timedelta(days=1) and local.time() < SEND_AT:
        period = last_complete_period(schedule.frequency, period.first)  # not yet: previous
    _start, end = period.bounds(zone)
    if schedule.created_at >= end:
        return None
    return period


def recipients_of(schedule: ReportSchedule) -> list[str]:
    """The schedule's members still in the workspace and its other addresses, once each."""
    member_ids = schedule.workspace.memberships.values_list("user_id", flat=True)
    addresses = [
        user.email
        for user in schedule.members.filter(pk__in=member_ids, is_active=True)
        if user.email
    ]
    addresses += schedule.email_list
    return list(dict.fromkeys(address.lower() for address in addresses))


def sending_run(sending: ReportSending) -> Move:
    """Render the period's PDF and e-mail it, at most once."""
    schedule, workspace = sending.schedule, sending.workspace
    with translation.override(schedule.language):
        if sending.emailed_at is not None:
            return Move(
                to=SendingStates.failed,
                error=_(
                    "Parvis stopped while this report was being sent: it may not have "
                    "arrived. It was not sent again, so nobody gets it twice."
                ),
            )
        recipients = recipients_of(schedule)
        if not recipients:
            return Move(
                to=SendingStates.failed,
                error=_("Nobody to send it to: the schedule has no member or address left."),
            )
        period = Period(sending.period_first, sending.period_last)
        try:
            content = report_content(workspace=workspace, period=period, language=schedule.language)
            pdf = report_pdf(content, language=schedule.language)
        except ReportUnavailable as error:
            return Move(to=SendingStates.failed, error=str(error))
        message = _message(sending, recipients, pdf, shown_totals(content))
        claimed = (
            type(sending)
            .objects.filter(
                pk=sending.pk, emailed_at__isnull=True, locked_until=sending.locked_until
            )
            .update(emailed_at=timezone.now())
        )
        if not claimed:  # another worker has it (this one's lease ran out)
            return Move()
        try:
            message.send()
        except Exception as error:  # the mail server refused it: nothing went out
            logger.warning("Report %s: the mail server refused it: %r", sending.pk, error)
            type(sending).objects.filter(pk=sending.pk).update(emailed_at=None)
            reason = _("The mail server refused the report (%(error)s).") % {
                "error": type(error).__name__
            }
            if sending.attempts + 1 >= MOST_ATTEMPTS:
                return Move(
                    to=SendingStates.failed,
                    error=reason,
                    error_detail=repr(error),
                    fields={"emailed_at": None},
                )
            return Move(
                retry_at=timezone.now() + timedelta(seconds=backoff(sending.attempts + 1)),
                error=reason,
                error_detail=repr(error),
                fields={"emailed_at": None},
            )
        return Move(
            to=SendingStates.sent,
            fields={"sent_at": timezone.now(), "recipients": ", ".join(recipients)},
        )


def _message(
    sending: ReportSending, recipients: list[str], pdf: bytes, totals: list
) -> EmailMessage:
    workspace = sending.workspace
    context = {
        "totals": totals,
        "workspace": workspace,
        "first": sending.period_first,
        "last": sending.period_last,
        "frequency": sending.schedule.get_frequency_display(),
    }
    subject = _("[%(workspace)s] Report from %(first)s to %(last)s") % {
        "workspace": workspace.name,
        "first": sending.period_first.isoformat(),
        "last": sending.period_last.isoformat(),
    }
    message = EmailMessage(
        subject=subject,
        body=render_to_string("analytics/email/report.txt", context),
        to=recipients,
    )
    name = f"{slugify(workspace.name) or 'parvis'}-{sending.period_first}-{sending.period_last}.pdf"
    message.attach(name, pdf, "application/pdf")
    return message
