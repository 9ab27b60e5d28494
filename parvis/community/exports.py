"""The Community list as CSV (see parvis.core.exports): the people the filters show."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from parvis.accounts.models import Workspace
from parvis.community.models import Person
from parvis.core.exports import csv_response


def _people_rows(rows: QuerySet[Person]) -> Iterator[tuple]:
    for person in rows.iterator(chunk_size=500):
        handles = person.handles.all()
        yield (
            str(person),
            ", ".join(f"{h.author.handle or h.author.name} ({h.author.network})" for h in handles),
            ", ".join(tag.name for tag in person.tags.all()),
            person.score,
            person.message_count,
            person.answered_count,
            person.first_seen_at,
            person.last_seen_at,
        )


def people_csv(*, workspace: Workspace, rows: QuerySet[Person]) -> StreamingHttpResponse:
    columns = [
        _("Name"),
        _("Handles"),
        _("Tags"),
        _("Engagement score"),
        _("Messages"),
        _("Answered"),
        _("First seen"),
        _("Last seen"),
    ]
    return csv_response(
        filename=_("community"), columns=columns, rows=_people_rows(rows), workspace=workspace
    )
