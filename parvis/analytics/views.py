"""Figures shown where people look: beside a published post, on the channels page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from parvis.accounts.access import workspace_view
from parvis.analytics.definitions import DEFINITIONS
from parvis.analytics.selectors import collections_of, followers_change, latest_figures
from parvis.channels.selectors import channels_of
from parvis.core.exports import csv_response, wants_csv
from parvis.publishing.selectors import deliveries_of, post_of_or_404


@workspace_view()
def post_figures(request: HttpRequest, post_id: int) -> HttpResponse:
    """The latest figures of each channel's published post (an htmx fragment)."""
    post = post_of_or_404(workspace=request.workspace, post_id=post_id)
    published = [d for d in deliveries_of(post=post) if d.position == 0 and d.remote_id]
    figures = latest_figures(
        workspace=request.workspace, keys=[(d.channel_id, d.remote_id) for d in published]
    )
    rows = [(d, figures.get((d.channel_id, d.remote_id))) for d in published]
    return render(
        request,
        "analytics/_post_figures.html",
        {"rows": rows, "definitions": _shown_definitions(figures.values())},
    )


@workspace_view()
def channel_figures(request: HttpRequest) -> HttpResponse:
    """Each channel's followers, their change over a week, and how collection goes."""
    channels = list(channels_of(workspace=request.workspace))
    ids = [channel.pk for channel in channels]
    figures = latest_figures(workspace=request.workspace, keys=[(pk, "") for pk in ids])
    changes = followers_change(workspace=request.workspace, channel_ids=ids)
    collections = collections_of(workspace=request.workspace, channel_ids=ids)
    rows = [
        (
            channel,
            figures.get((channel.pk, "")),
            changes.get(channel.pk),
            collections.get(channel.pk),
        )
        for channel in channels
    ]
    if wants_csv(request):
        return _channel_figures_csv(request.workspace, rows)
    return render(
        request,
        "analytics/_channel_figures.html",
        {"rows": rows, "followers": DEFINITIONS["followers"]},
    )


def _collection_state(collection) -> str:
    if collection is None:
        return _("Not yet: within the hour.")
    if collection.state == "paused":
        return _("Paused until the channel is reconnected.")
    return _("Collecting")


def _channel_figures_csv(workspace, rows) -> StreamingHttpResponse:
    lines = (
        (
            channel.name,
            channel.network,
            figures.value("followers") if figures else None,
            change,
            figures.measured_at if figures else None,
            _collection_state(collection),
            collection.last_error if collection else "",
        )
        for channel, figures, change, collection in rows
    )
    columns = [
        _("Channel"),
        _("Network"),
        _("Followers"),
        _("Change over 7 days"),
        _("Measured at"),
        _("Collection"),
        _("Last problem"),
    ]
    return csv_response(filename=_("audience"), columns=columns, rows=lines, workspace=workspace)


def _shown_definitions(all_figures) -> list:
    names: dict[str, object] = {}
    for figures in all_figures:
        for figure in figures.figures:
            if figure.definition.explanation:
                names.setdefault(figure.definition.name, figure.definition)
    return list(names.values())
