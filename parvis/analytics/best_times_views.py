"""The "Best times" page, and the queue's suggestion drawn from it.

The queue lives in publishing, which never reads analytics: its settings page loads
each channel's suggestion from here as an htmx fragment, and "Use suggested times"
posts here; this view hands the slots to ``publishing.queue.queue_slots_suggest``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.analytics.best_times import (
    DEFAULT_DAYS,
    PERIODS,
    Cell,
    Heatmap,
    QueueSuggestion,
    best_times,
    queue_suggestion,
)
from parvis.channels.selectors import channel_label, channel_of_or_404, channels_of
from parvis.core.exports import csv_response, wants_csv
from parvis.publishing import queue

LEVELS = 5  # colour steps of the heatmap (CSS classes bt-0 .. bt-5)


@dataclass(frozen=True)
class ShownCell:
    cell: Cell
    level: int  # 0 (no rate) .. LEVELS (the best rate)
    percent: str  # the median rate as text, "" when the cell has too few posts


def _percent(rate: float) -> str:
    return formats.number_format(rate * 100, decimal_pos=1) + " %"


def _level(rate: float | None, lowest: float, highest: float) -> int:
    """1 (the grid's lowest rate) .. LEVELS (its highest); 0 for a cell without a rate."""
    if rate is None:
        return 0
    if highest <= lowest:
        return LEVELS
    return 1 + round((rate - lowest) / (highest - lowest) * (LEVELS - 1))


def _shown(heatmap: Heatmap) -> list[tuple[str, list[ShownCell]]]:
    rates = [cell.rate for cell in heatmap.ranked if cell.rate is not None]
    lowest, highest = min(rates, default=0), max(rates, default=0)
    return [
        (
            WEEKDAYS[day],
            [
                ShownCell(
                    cell,
                    _level(cell.rate, lowest, highest),
                    _percent(cell.rate) if cell.rate is not None else "",
                )
                for cell in row
            ],
        )
        for day, row in enumerate(heatmap.rows)
    ]


def slot_words(weekday: int, at: time) -> str:
    return f"{WEEKDAYS[weekday]} {at:%H:%M}"


def cell_words(cell: Cell) -> str:
    return _("%(day)s from %(start)02d:00 to %(end)02d:00: %(rate)s over %(count)d posts") % {
        "day": WEEKDAYS[cell.weekday],
        "start": cell.hour,
        "end": (cell.hour + 1) % 24,
        "rate": _percent(cell.rate or 0),
        "count": cell.posts,
    }


def _grid_csv(request: HttpRequest, heatmap: Heatmap) -> HttpResponse:
    """The grid, one row per weekday and hour (the rate empty below the posts needed)."""
    columns = [_("Weekday"), _("Hour"), _("Posts"), _("Median engagement rate (%)")]
    rows = (
        (
            WEEKDAYS[cell.weekday],
            f"{cell.hour:02d}:00",
            cell.posts,
            None if cell.rate is None else cell.rate * 100,
        )
        for row in heatmap.rows
        for cell in row
    )
    return csv_response(
        filename=_("best times"), columns=columns, rows=rows, workspace=request.workspace
    )


@workspace_view()
def best_times_page(request: HttpRequest) -> HttpResponse:
    """The weekday x hour heatmap of the engagement rate, with its top slots in words."""
    channels = list(channels_of(workspace=request.workspace))
    chosen = next((c for c in channels if str(c.pk) == request.GET.get("channel")), None)
    days = int(request.GET["days"]) if request.GET.get("days") in map(str, PERIODS) else 0
    heatmap = best_times(
        workspace=request.workspace,
        days=days or DEFAULT_DAYS,
        channel_ids=[chosen.pk] if chosen else None,
    )
    if wants_csv(request):
        return _grid_csv(request, heatmap)
    return render(
        request,
        "analytics/best_times.html",
        {
            "active_nav": "analytics",
            "heatmap": heatmap,
            "rows": _shown(heatmap),
            "hours": range(24),
            "top": [cell_words(cell) for cell in heatmap.top()],
            "channels": [(c, channel_label(c)) for c in channels],
            "chosen": chosen,
            "days": days or DEFAULT_DAYS,
            "periods": PERIODS,
            "levels": range(1, LEVELS + 1),
        },
    )


def _explained(suggestion: QueueSuggestion) -> tuple[list[str], str]:
    """The slots to show and why they were chosen, in words."""
    own = suggestion.channel_map
    if suggestion.source == "channel":
        why = _(
            "The best times of this channel's own history: %(count)d measured posts "
            "since %(since)s."
        ) % {"count": own.measured, "since": formats.date_format(own.since, "SHORT_DATE_FORMAT")}
    elif suggestion.source == "workspace":
        everyone = suggestion.workspace_map
        assert everyone is not None
        why = _(
            "The best times of the workspace's history (%(count)d measured posts): this "
            "channel has only %(own)d of its own, %(needed)d are needed."
        ) % {"count": everyone.measured, "own": own.measured, "needed": own.min_posts}
    else:
        why = _(
            "Default times: not enough history yet (%(count)d measured posts; the best "
            "times need %(needed)d, with %(per_cell)d at the same weekday and hour)."
        ) % {
            "count": (suggestion.workspace_map or own).measured,
            "needed": own.min_posts,
            "per_cell": own.min_posts_per_cell,
        }
    slots = suggestion.slots or list(queue.SUGGESTED_SLOTS)
    return [slot_words(day, at) for day, at in slots], why


@workspace_view()
def queue_suggestion_fragment(request: HttpRequest, channel_id: int) -> HttpResponse:
    """What "Use suggested times" will give this channel, and why (for the queue page)."""
    channel = channel_of_or_404(workspace=request.workspace, channel_id=channel_id)
    suggestion = queue_suggestion(workspace=request.workspace, channel_id=channel.pk)
    slots, why = _explained(suggestion)
    return render(
        request,
        "analytics/_queue_suggestion.html",
        {
            "channel": channel,
            "slots": slots,
            "why": why,
            "source": suggestion.source,
            "can_change": request.membership.can("post.schedule"),
        },
    )


@workspace_view("post.schedule")
@require_POST
def queue_suggest(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Give the channel its best times from history (or the default times)."""
    channel = channel_of_or_404(workspace=request.workspace, channel_id=channel_id)
    suggestion = queue_suggestion(workspace=request.workspace, channel_id=channel.pk)
    queue.queue_slots_suggest(
        workspace=request.workspace,
        channel=channel,
        acting_user=request.user,
        slots=suggestion.slots or queue.SUGGESTED_SLOTS,
    )
    slots, why = _explained(suggestion)
    messages.success(
        request,
        _("Times added to %(channel)s: %(slots)s. %(why)s")
        % {"channel": channel.name, "slots": ", ".join(slots), "why": why},
    )
    return redirect("publishing:queue_settings", workspace=request.workspace.slug)
