"""The inbox's tables as CSV (see parvis.core.exports): the list as filtered."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from parvis.accounts.models import Workspace
from parvis.core.exports import csv_response
from parvis.inbox.threads import Conversation


def _conversation_rows(rows: QuerySet[Conversation]) -> Iterator[tuple]:
    for c in rows.iterator(chunk_size=500):
        author = c.author
        yield (
            c.last_message_at,
            (author.name or author.handle) if author else "",
            author.handle if author else "",
            c.channel.name,
            c.get_kind_display(),
            c.get_status_display(),
            c.priority,
            c.assignee.display_name if c.assignee else "",
            ", ".join(tag.name for tag in c.tags.all()),
            c.get_intent_display() if c.intent else "",
            c.get_sentiment_display() if c.sentiment else "",
            c.get_language_display() if c.language else "",
            c.message_count,
            c.preview,
        )


def conversations_csv(
    *, workspace: Workspace, rows: QuerySet[Conversation]
) -> StreamingHttpResponse:
    columns = [
        _("Last message"),
        _("Author"),
        _("Handle"),
        _("Channel"),
        _("Kind"),
        _("Status"),
        _("Priority"),
        _("Assigned to"),
        _("Tags"),
        _("Intent"),
        _("Sentiment"),
        _("Language"),
        _("Messages"),
        _("Latest message"),
    ]
    return csv_response(
        filename=_("inbox"), columns=columns, rows=_conversation_rows(rows), workspace=workspace
    )
