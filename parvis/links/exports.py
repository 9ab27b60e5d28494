"""The Links pages' tables as CSV (see parvis.core.exports)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from parvis.accounts.models import Workspace
from parvis.core.exports import csv_response
from parvis.links.models import ShortLink, ShortLinkKind


def _origin(link: ShortLink) -> str:
    if link.post is not None:
        return str(link.post)
    return _("Link in bio") if link.kind == ShortLinkKind.BIO else ""


def links_csv(*, workspace: Workspace, links: QuerySet[ShortLink]) -> StreamingHttpResponse:
    """Every short link with its clicks in the period and in all (``links_with_clicks``)."""
    rows = (
        (
            link.short_url,
            link.original_url,
            link.destination,
            _origin(link),
            link.channel.name if link.channel else "",
            link.campaign.name if link.campaign else "",
            link.created_at,
            link.period_clicks,
            link.total_clicks,
        )
        for link in links.iterator(chunk_size=500)
    )
    columns = [
        _("Short link"),
        _("Address"),
        _("Sends people to"),
        _("Post"),
        _("Channel"),
        _("Campaign"),
        _("Created"),
        _("Clicks in the period"),
        _("Clicks in all"),
    ]
    return csv_response(filename=_("links"), columns=columns, rows=rows, workspace=workspace)


def clicks_by_day_csv(
    *, workspace: Workspace, link: ShortLink, by_day: dict[date, int]
) -> StreamingHttpResponse:
    """One link's clicks per day, newest day first, as its page shows them."""
    rows = ((day, count) for day, count in sorted(by_day.items(), reverse=True))
    return csv_response(
        filename=_("clicks-%(code)s") % {"code": link.code},
        columns=[_("Day"), _("Clicks")],
        rows=rows,
        workspace=workspace,
    )
