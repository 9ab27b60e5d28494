"""The Reports page: download a period's PDF, schedule reports, see past sendings."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.analytics.reports import actions
from parvis.analytics.reports.content import report_content
from parvis.analytics.reports.forms import ReportScheduleForm
from parvis.analytics.reports.models import ReportSchedule, ReportSending
from parvis.analytics.reports.rendering import ReportUnavailable, report_pdf
from parvis.analytics.reports.sending import last_complete_period
from parvis.inbox.responsiveness import Period, period_of

MOST_DAYS = 366
PAST_SENDINGS = 50


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _page(request: HttpRequest, *, form=None, period: Period | None = None, status: int = 200):
    workspace = request.workspace
    today = timezone.localdate()
    can_schedule = request.membership.can("workspace.settings")
    schedules = (
        ReportSchedule.objects.in_workspace(workspace).prefetch_related("members")
        if can_schedule
        else ReportSchedule.objects.none()
    )
    return render(
        request,
        "analytics/reports.html",
        {
            "active_nav": "analytics",  # Reports sit under Analytics in the menu
            "period": period or period_of(workspace=workspace, first=today - timedelta(days=29)),
            "presets": [
                (_("Last week"), last_complete_period("weekly", today)),
                (_("Last month"), last_complete_period("monthly", today)),
                (_("Last 30 days"), period_of(workspace=workspace)),
            ],
            "can_schedule": can_schedule,
            "schedules": schedules,
            "sendings": ReportSending.objects.in_workspace(workspace).select_related("schedule")[
                :PAST_SENDINGS
            ],
            "form": form or ReportScheduleForm(workspace=workspace),
        },
        status=status,
    )


@workspace_view()
def reports_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@workspace_view()
def report_download(request: HttpRequest) -> HttpResponse:
    """The PDF of the chosen period (by default the last 30 days)."""
    workspace = request.workspace
    period = period_of(
        workspace=workspace,
        first=_day(request.GET.get("since")),
        last=_day(request.GET.get("until")),
    )
    if period.days > MOST_DAYS:
        messages.error(request, _("Choose a period of one year at most."))
        return _page(request, period=period, status=400)
    try:
        pdf = report_pdf(report_content(workspace=workspace, period=period))
    except ReportUnavailable as error:
        messages.error(request, str(error))
        return _page(request, period=period, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{slugify(workspace.name) or 'parvis'}-{period.first}-{period.last}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view("workspace.settings")
@require_POST
def schedule_add(request: HttpRequest) -> HttpResponse:
    form = ReportScheduleForm(request.POST, workspace=request.workspace)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    actions.report_schedule_save(
        acting=request.membership,
        frequency=form.cleaned_data["frequency"],
        language=form.cleaned_data["language"],
        members=list(form.cleaned_data["members"]),
        emails=form.cleaned_data["emails"],
    )
    messages.success(
        request, _("Report scheduled: the first one goes out when the current period ends.")
    )
    return redirect("analytics:reports", workspace=request.workspace.slug)


@workspace_view("workspace.settings")
@require_POST
def schedule_delete(request: HttpRequest, schedule_id: int) -> HttpResponse:
    schedule = get_object_or_404(
        ReportSchedule.objects.in_workspace(request.workspace), pk=schedule_id
    )
    actions.report_schedule_delete(acting=request.membership, schedule=schedule)
    messages.success(request, _("Schedule deleted: no more reports will go out for it."))
    return redirect("analytics:reports", workspace=request.workspace.slug)
