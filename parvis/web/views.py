"""The workbench's pages. Thin: parse, check, call a selector, render."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.accounts.selectors import default_workspace_for
from parvis.channels.selectors import channel_label, channels_of
from parvis.core.exports import wants_csv
from parvis.publishing.exports import posts_csv
from parvis.publishing.models import PostStatus
from parvis.publishing.rescheduling import RescheduleRefused, post_reschedule
from parvis.publishing.selectors import (
    NO_CAMPAIGN,
    NO_PILLAR,
    calendar_day_counts,
    calendar_rows,
    post_of_or_404,
    posts_between,
)
from parvis.strategy.progress import goals_summary
from parvis.strategy.selectors import campaign_choices, pillar_choices, pillar_mix
from parvis.web.calendar import events_for, first_month_query, summarised_events


@login_required
def home(request: HttpRequest) -> HttpResponse:
    workspace = default_workspace_for(user=request.user)
    if workspace is None:
        return render(request, "web/no_workspace.html")
    return redirect("web:calendar", workspace=workspace.slug)


@workspace_view()
def workspace_home(request: HttpRequest) -> HttpResponse:
    return redirect("web:calendar", workspace=request.workspace.slug)


def _month_mix(request: HttpRequest, today: date) -> Any:
    """The content mix of the month the calendar opens on, drawn with the page so
    that nothing moves when the calendar asks for it again."""
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    start, end = (
        timezone.make_aware(datetime.combine(day, time.min)) for day in (first, following)
    )
    return pillar_mix(workspace=request.workspace, start=start, end=end)


@workspace_view()
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    pillars = pillar_choices(workspace=request.workspace)
    goals, more_goals = goals_summary(workspace=request.workspace, today=today)
    return render(
        request,
        "web/calendar.html",
        {
            "active_nav": "calendar",
            "channels": [
                (c.pk, f"{c.name} · {channel_label(c)}")
                for c in channels_of(workspace=request.workspace)
            ],
            "statuses": PostStatus.choices,
            "campaigns": campaign_choices(workspace=request.workspace),
            "chosen_campaign": request.GET.get("campaign", ""),
            "pillars": pillars,
            "mix": _month_mix(request, today) if pillars else None,
            "goals": goals,
            "more_goals": more_goals,
            "chosen_pillar": request.GET.get("pillar", ""),
            "first_query": first_month_query(
                today,
                campaign=request.GET.get("campaign", ""),
                pillar=request.GET.get("pillar", ""),
            ),
            "can_move": request.membership.can("post.draft"),
        },
    )


def _parse_moment(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        # FullCalendar sends wall-clock times in the workspace's zone (active here).
        moment = timezone.make_aware(moment)
    return moment


def _this_month() -> tuple[datetime, datetime]:
    first = timezone.localdate().replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(datetime.combine(first, time.min)),
        timezone.make_aware(datetime.combine(following, time.min)),
    )


class _BadFilter(ValueError):
    pass


def _calendar_filters(request: HttpRequest) -> dict[str, Any]:
    """The period and filters the calendar sends (events and mix alike)."""
    start, end = _parse_moment(request.GET.get("start")), _parse_moment(request.GET.get("end"))
    if wants_csv(request) and (start is None or end is None):
        start, end = _this_month()
    if start is None or end is None or end <= start:
        raise _BadFilter(_("Give a start and an end date (ISO 8601)."))
    try:
        channel_ids = [int(c) for c in request.GET.getlist("channel") if c]
    except ValueError:
        raise _BadFilter(_("A channel filter is not a number.")) from None
    campaign = request.GET.get("campaign") or None
    if campaign not in (None, NO_CAMPAIGN) and not campaign.isdigit():
        raise _BadFilter(_("A campaign filter is not a number."))
    pillar = request.GET.get("pillar") or None
    if pillar not in (None, NO_PILLAR) and not pillar.isdigit():
        raise _BadFilter(_("A pillar filter is not a number."))
    return {
        "workspace": request.workspace,
        "start": start,
        "end": end,
        "channel_ids": channel_ids,
        "statuses": [s for s in request.GET.getlist("status") if s],
        "campaign": campaign,
        "pillar": pillar,
    }


@workspace_view()
def calendar_events(request: HttpRequest) -> HttpResponse:
    """The posts FullCalendar asks for, as JSON events, in the workspace's zone."""
    try:
        filters = _calendar_filters(request)
    except _BadFilter as error:
        return HttpResponseBadRequest(str(error))
    if wants_csv(request):
        return posts_csv(
            workspace=request.workspace, posts=posts_between(**filters), filename=_("calendar")
        )
    if request.GET.get("summarise"):  # month and week grids: busy days as counts
        events = summarised_events(
            calendar_day_counts(**filters),
            lambda post_ids: calendar_rows(**filters, post_ids=post_ids),
            membership=request.membership,
        )
    else:
        events = events_for(calendar_rows(**filters), membership=request.membership)
    return JsonResponse(events, safe=False)


@workspace_view()
def calendar_mix(request: HttpRequest) -> HttpResponse:
    """htmx: each content pillar's share of the posts in the calendar's period (its
    other filters applied, not the pillar one), next to its target."""
    try:
        filters = _calendar_filters(request)
    except _BadFilter as error:
        return HttpResponseBadRequest(str(error))
    filters["pillar"] = None
    return render(
        request,
        "strategy/_pillar_mix.html",
        {"mix": pillar_mix(**filters), "has_pillars": True},
    )


def _new_start(request: HttpRequest) -> datetime | None:
    """The ``start`` the calendar posts (JSON or form): a wall-clock time in the
    workspace's zone, or an ISO 8601 moment with its offset."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return None
        raw = body.get("start") if isinstance(body, dict) else None
    else:
        raw = request.POST.get("start")
    if not isinstance(raw, str):
        return None
    try:
        moment = parse_datetime(raw.strip())
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        # As is, in the zone: post_reschedule refuses a time the clocks skip or repeat.
        moment = moment.replace(tzinfo=timezone.get_current_timezone())
    return moment


@workspace_view()
@require_POST
def calendar_move(request: HttpRequest, post_id: int) -> HttpResponse:
    """A post dragged to another day or time on the calendar (JSON answer)."""
    post = post_of_or_404(workspace=request.workspace, post_id=post_id)
    at = _new_start(request)
    if at is None:
        return JsonResponse({"error": _("Give the new date and time (ISO 8601).")}, status=400)
    try:
        post = post_reschedule(post=post, at=at, acting_user=request.user)
    except RescheduleRefused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    local = timezone.localtime(post.scheduled_at)
    return JsonResponse(
        {
            "id": post.pk,
            "start": local.replace(tzinfo=None).isoformat(),
            "message": _("Moved to %(moment)s.")
            % {"moment": formats.date_format(local, "DATETIME_FORMAT")},
        }
    )


@workspace_view()
def settings_home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/settings.html", {"active_nav": "settings"})
