"""The campaigns' list as CSV (see parvis.core.exports)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from parvis.accounts.models import Workspace
from parvis.core.exports import csv_response
from parvis.strategy.models import Campaign


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
