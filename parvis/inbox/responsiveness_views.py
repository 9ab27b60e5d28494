"""The Responsiveness page: response times and rates per member and channel, over a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from parvis.accounts.access import workspace_view
from parvis.accounts.models import User
from parvis.accounts.selectors import members_of
from parvis.channels.selectors import channel_label, channels_of
from parvis.core.exports import csv_response, wants_csv
from parvis.inbox.responsiveness import (
    Figures,
    duration_text,
    period_of,
    rate_text,
    responsiveness_by_channel,
    responsiveness_by_member,
    responsiveness_total,
)


@dataclass(frozen=True)
class Row:
    """One line of a table: who or what, its figures, written for people."""

    name: str
    note: str
    figures: Figures

    @property
    def rate(self) -> str:
        return rate_text(self.figures.rate)

    @property
    def median(self) -> str:
        return duration_text(self.figures.median_seconds)

    @property
    def p90(self) -> str:
        return duration_text(self.figures.p90_seconds)


def _member_rows(found: dict[int | None, Figures], workspace) -> list[Row]:
    members = {m.user_id: m.user for m in members_of(workspace=workspace)}
    gone = {u.pk: u for u in User.objects.filter(pk__in=set(found) - set(members) - {None})}
    rows = [Row(user.display_name, "", found.get(pk, Figures())) for pk, user in members.items()]
    rows += [
        Row(user.display_name, _("left the workspace"), found[pk]) for pk, user in gone.items()
    ]
    if None in found:
        rows.append(Row(_("No member"), _("unassigned, or answered outside Parvis"), found[None]))
    return rows


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _csv(workspace, period, total: Figures, members: list[Row], channels: list[Row]):
    """Everyone, each member and each channel over the period, one line each."""
    groups = [(_("Everyone"), [Row(_("Everyone"), "", total)])]
    groups += [(_("Member"), members), (_("Channel"), channels)]
    lines = (
        (
            group,
            row.name,
            row.note,
            period.first,
            period.last,
            row.figures.needing,
            row.figures.answered,
            None if row.figures.rate is None else round(row.figures.rate * 100, 1),
            _minutes(row.figures.median_seconds),
            _minutes(row.figures.p90_seconds),
        )
        for group, rows in groups
        for row in rows
    )
    columns = [
        _("Group"),
        _("Name"),
        _("Note"),
        _("From"),
        _("To"),
        _("Needing an answer"),
        _("Answered"),
        _("Response rate (%)"),
        _("Median first response (minutes)"),
        _("90th percentile (minutes)"),
    ]
    return csv_response(
        filename=_("responsiveness"), columns=columns, rows=lines, workspace=workspace
    )


@workspace_view()
def responsiveness_page(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    period = period_of(
        workspace=workspace,
        first=_day(request.GET.get("since")),
        last=_day(request.GET.get("until")),
    )
    total = responsiveness_total(workspace=workspace, period=period)
    before = responsiveness_total(workspace=workspace, period=period.previous())
    by_channel = responsiveness_by_channel(workspace=workspace, period=period)
    channels = [
        Row(f"{c.name} · {channel_label(c)}", "", by_channel.get(c.pk, Figures()))
        for c in channels_of(workspace=workspace)
    ]
    by_member = responsiveness_by_member(workspace=workspace, period=period)
    if wants_csv(request):
        return _csv(workspace, period, total, _member_rows(by_member, workspace), channels)
    return render(
        request,
        "inbox/responsiveness.html",
        {
            "active_nav": "inbox",
            "period": period,
            "previous": period.previous(),
            "total": Row(_("Everyone"), "", total),
            "before": Row(_("Previous period"), "", before),
            "members": _member_rows(by_member, workspace),
            "channels": channels,
            "target": duration_text(workspace.response_target_minutes * 60),
            "can_set_target": request.membership.can("workspace.settings"),
        },
    )
