"""Scheduled reports: a schedule, and one sending per schedule and period (the row is
the job: a unique period key makes each period's report go out once, whatever the
number of workers)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.analytics.reports import sending
from parvis.analytics.reports.states import SendingStates
from parvis.core.tenancy import WorkspaceQuerySet
from parvis.engine.models import StateMachineModel


class ReportFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week (Monday to Sunday)")
    MONTHLY = "monthly", _("Every month")


class ReportSchedule(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="report_schedules"
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=ReportFrequency.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("members")
    )
    # Other addresses (a client, a manager without an account), one per line.
    emails = models.TextField(_("other e-mail addresses"), blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("report schedule")
        ordering = ["frequency", "id"]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} ({self.workspace})"

    @property
    def email_list(self) -> list[str]:
        return [line.strip() for line in self.emails.splitlines() if line.strip()]


class ReportSending(StateMachineModel):
    """One period's report of one schedule: rendered, then e-mailed once."""

    graph = SendingStates
    claim_related = ("schedule", "workspace")

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    schedule = models.ForeignKey(ReportSchedule, on_delete=models.CASCADE, related_name="sendings")
    period_first = models.DateField()
    period_last = models.DateField()
    # Set just before the e-mail is handed to the mail server, in its own commit: a
    # worker that finds it set with no outcome does not send again (never twice).
    emailed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True)  # who it went to, for the page
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("report sending")
        ordering = ["-period_first", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_first"], name="one_report_per_schedule_and_period"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="report_sending_due")]

    def __str__(self) -> str:
        return f"report {self.period_first} to {self.period_last} ({self.state})"

    def handle_sending(self):
        return sending.sending_run(self)
