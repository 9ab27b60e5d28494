"""Lists of posts as CSV (see parvis.core.exports): the calendar's, a campaign's."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from parvis.accounts.models import Workspace
from parvis.core.exports import csv_response
from parvis.publishing.models import Post


def _post_rows(posts: QuerySet[Post]) -> Iterator[tuple]:
    posts = posts.select_related("campaign", "created_by").prefetch_related("channels")
    for post in posts.iterator(chunk_size=500):
        yield (
            post.scheduled_at,
            post.get_status_display(),
            ", ".join(channel.name for channel in post.channels.all()),
            post.campaign.name if post.campaign else "",
            post.created_by.display_name if post.created_by else "",
            post.text,
            post.link,
            settings.PARVIS_BASE_URL + post.get_absolute_url(),
        )


def posts_csv(
    *, workspace: Workspace, posts: QuerySet[Post], filename: str
) -> StreamingHttpResponse:
    columns = [
        _("Scheduled for"),
        _("Status"),
        _("Channels"),
        _("Campaign"),
        _("Written by"),
        _("Text"),
        _("Link"),
        _("Address in Parvis"),
    ]
    return csv_response(
        filename=filename, columns=columns, rows=_post_rows(posts), workspace=workspace
    )
