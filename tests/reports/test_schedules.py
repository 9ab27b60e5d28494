"""Scheduled reports: each period's report goes out once, with its PDF, or says why not."""

from __future__ import annotations

import smtplib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.roles import Role
from parvis.analytics.reports import sending as sending_module
from parvis.analytics.reports.actions import report_schedule_save, sendings_ensure
from parvis.analytics.reports.models import ReportSchedule, ReportSending
from parvis.analytics.reports.rendering import ReportUnavailable
from parvis.analytics.reports.sending import due_period, last_complete_period
from parvis.engine.runner import run_once
from tests import factories
from tests.concurrency import in_threads


def test_the_last_complete_week_runs_monday_to_sunday_and_the_month_is_the_calendar_month():
    wednesday = date(2026, 12, 9)
    week = last_complete_period("weekly", wednesday)
    assert (week.first, week.last) == (date(2026, 11, 30), date(2026, 12, 6))
    month = last_complete_period("monthly", date(2026, 3, 1))
    assert (month.first, month.last) == (date(2026, 2, 1), date(2026, 2, 28))


@pytest.fixture
def schedule(db, workspace, user) -> ReportSchedule:
    owner = workspace.memberships.get(user=user)
    made = report_schedule_save(
        acting=owner,
        frequency="weekly",
        language="fr",
        members=[user],
        emails=["client@example.com"],
    )
    ReportSchedule.objects.filter(pk=made.pk).update(created_at=datetime(2026, 11, 1, tzinfo=UTC))
    made.refresh_from_db()
    return made


def test_a_week_is_due_on_monday_at_seven_in_the_workspaces_time_zone(schedule):
    sunday_night = datetime(2026, 12, 7, 5, 59, tzinfo=UTC)  # Monday 6:59 in Paris
    assert due_period(schedule, sunday_night).last == date(2026, 11, 29)  # the week before
    monday_morning = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # 7:00 in Paris
    assert due_period(schedule, monday_morning).last == date(2026, 12, 6)


def test_a_new_schedule_starts_with_the_period_under_way(schedule):
    ReportSchedule.objects.filter(pk=schedule.pk).update(
        created_at=datetime(2026, 12, 2, tzinfo=UTC)
    )
    schedule.refresh_from_db()
    assert due_period(schedule, datetime(2026, 12, 5, tzinfo=UTC)) is None
    assert due_period(schedule, datetime(2026, 12, 7, 8, tzinfo=UTC)).first == date(2026, 11, 30)


def test_each_period_gets_one_sending_however_often_the_job_runs(schedule):
    now = datetime(2026, 12, 8, 9, tzinfo=UTC)
    for _worker in range(3):  # several workers, restarts: the unique key keeps one
        sendings_ensure(now=now)
    assert ReportSending.objects.filter(schedule=schedule).count() == 1
    sendings_ensure(now=now + timedelta(days=7))
    assert ReportSending.objects.filter(schedule=schedule).count() == 2


def _sending(schedule) -> ReportSending:
    sendings_ensure(now=datetime(2026, 12, 8, 9, tzinfo=UTC))
    return ReportSending.objects.get(schedule=schedule)


def test_the_report_goes_out_once_with_its_pdf_in_the_schedules_language(schedule, user):
    sending = _sending(schedule)
    run_once(ReportSending)
    run_once(ReportSending)
    sending.refresh_from_db()
    assert sending.state == "sent" and sending.sent_at is not None
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([user.email, "client@example.com"])
    assert message.subject.startswith("[Boulangerie Test] Rapport du 2026-11-30 au 2026-12-06")
    ((name, pdf, mime),) = message.attachments
    assert mime == "application/pdf" and pdf.startswith(b"%PDF-") and name.endswith(".pdf")
    assert "client@example.com" in sending.recipients
    assert "- Publications mises en ligne : 0" in message.body  # the period's figures, in French


def test_a_worker_that_stopped_mid_send_does_not_send_a_second_copy(schedule):
    sending = _sending(schedule)
    ReportSending.objects.filter(pk=sending.pk).update(emailed_at=timezone.now())
    run_once(ReportSending)
    sending.refresh_from_db()
    assert sending.state == "failed"
    assert "renvoy" in sending.last_error  # "... not sent again", in the schedule's French
    assert mail.outbox == []


def test_a_refusing_mail_server_is_retried_then_reported(schedule, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    sending = _sending(schedule)
    for _attempt in range(sending_module.MOST_ATTEMPTS):
        ReportSending.objects.filter(pk=sending.pk).update(next_attempt_at=timezone.now())
        run_once(ReportSending)
        sending.refresh_from_db()
        assert sending.emailed_at is None  # nothing went out: free to try again
    assert sending.state == "failed"
    assert "SMTPServerDisconnected" in sending.last_error


def test_without_weasyprint_the_sending_fails_with_what_to_install(schedule, monkeypatch):
    def missing(content, language=""):
        raise ReportUnavailable("PDF reports need WeasyPrint")

    monkeypatch.setattr(sending_module, "report_pdf", missing)
    sending = _sending(schedule)
    run_once(ReportSending)
    sending.refresh_from_db()
    assert (sending.state, sending.last_error) == ("failed", "PDF reports need WeasyPrint")


def test_recipients_are_members_still_in_the_workspace_and_the_addresses(schedule, workspace):
    gone = factories.make_member(workspace, Role.EDITOR)
    schedule.members.add(gone.user)
    gone.delete()
    assert sending_module.recipients_of(schedule) == [
        schedule.members.first().email,
        "client@example.com",
    ]


def test_the_page_lists_schedules_and_sendings_and_validates_new_ones(
    schedule, logged_in_client, workspace
):
    sending = _sending(schedule)
    ReportSending.objects.filter(pk=sending.pk).update(
        state="failed", last_error="Serveur en panne."
    )
    page = logged_in_client.get(reverse("analytics:reports", kwargs={"workspace": workspace.slug}))
    text = page.content.decode()
    assert text.count('data-testid="report-schedule"') == 1
    assert "Serveur en panne." in text
    add = reverse("analytics:schedule_add", kwargs={"workspace": workspace.slug})
    bad = logged_in_client.post(
        add, {"frequency": "monthly", "language": "en", "emails": "pas-une-adresse"}
    )
    assert bad.status_code == 400 and "is not an e-mail address" in bad.content.decode()
    nobody = logged_in_client.post(add, {"frequency": "monthly", "language": "en"})
    assert "Choose at least one member or give an address." in nobody.content.decode()
    logged_in_client.post(
        add, {"frequency": "monthly", "language": "en", "emails": "a@example.com, b@example.com"}
    )
    monthly = ReportSchedule.objects.get(frequency="monthly")
    assert monthly.email_list == ["a@example.com", "b@example.com"]
    delete = reverse(
        "analytics:schedule_delete", kwargs={"workspace": workspace.slug, "schedule_id": monthly.pk}
    )
    logged_in_client.post(delete)
    assert not ReportSchedule.objects.filter(pk=monthly.pk).exists()


def test_editors_cannot_schedule_reports(workspace, client):
    editor = factories.make_member(workspace, Role.EDITOR).user
    client.force_login(editor)
    add = reverse("analytics:schedule_add", kwargs={"workspace": workspace.slug})
    response = client.post(
        add, {"frequency": "weekly", "language": "fr", "emails": "x@example.com"}
    )
    assert response.status_code == 403


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_several_workers_at_once_send_each_period_once(workspace, user):
    owner = workspace.memberships.get(user=user)
    schedule = report_schedule_save(
        acting=owner, frequency="weekly", language="en", members=[user], emails=[]
    )
    ReportSchedule.objects.filter(pk=schedule.pk).update(
        created_at=datetime(2026, 11, 1, tzinfo=UTC)
    )
    now = datetime(2026, 12, 8, 9, tzinfo=UTC)
    failures: list[str] = []

    def work() -> None:
        try:
            sendings_ensure(now=now)
            run_once(ReportSending)
        except Exception as error:  # nothing may reach a worker
            failures.append(repr(error))
        finally:
            connection.close()

    in_threads(work, count=4)
    assert failures == []
    assert ReportSending.objects.get().state == "sent"
    assert len(mail.outbox) == 1
