"""The authors of new interactions: found or created, then their first and last seen.

Storing a batch of interactions needs each author's id first (a message and a new
conversation point to it) and updates what the batch saw of them last (first and
last seen, newest handle and name). The two halves are apart on purpose:

- ``authors_store`` reads the known authors without locking them and creates the
  missing ones (in the key's order in every worker, so two workers creating the
  same new authors never wait on each other in a circle);
- ``authors_touch`` writes what changed in one statement, at the end of the
  caller's transaction: the rows stay locked only from there to the commit, so two
  workers storing batches by the same people no longer take turns for the whole
  batch. The update is computed by the database from the row as it is then
  (earliest first seen, latest last seen, the handle and name of the latest), so
  what another worker wrote meanwhile is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from parvis.channels.models import Channel
from parvis.core.bulk import update_from_rows
from parvis.inbox.threads import Author
from parvis.networks.base import Interaction

# What a batch saw of an author (``authors_touch``): v's columns and their types.
SEEN_COLUMNS = [
    ("id", "bigint"), ("handle", "text"), ("name", "text"),
    ("first", "timestamptz"), ("last", "timestamptz"),
]  # fmt: skip


def author_key(item: Interaction) -> str:
    """Who wrote it: the network's id, or, where the network names the author only by
    handle (Instagram's mentions), that handle; "" when nothing says who."""
    if item.author_id:
        return item.author_id
    handle = item.author_handle.strip().lstrip("@")
    return f"@{handle}" if handle else ""


@dataclass(frozen=True)
class Seen:
    """What a batch saw of one author: the handle and name of its latest item."""

    handle: str
    name: str
    first: datetime
    last: datetime

    @property
    def times(self) -> tuple[datetime, datetime]:
        return self.first, self.last

    def merged(self, item: Interaction) -> Seen:
        newest = item.created_at >= self.last
        return Seen(
            handle=item.author_handle if newest else self.handle,
            name=item.author_name if newest else self.name,
            first=min(self.first, item.created_at),
            last=max(self.last, item.created_at),
        )

    def changes(self, handle: str, name: str, first: datetime, last: datetime) -> bool:
        """Whether it changes a row that holds these (first seen only goes back, last
        seen only forward: a row found unchanged stays so, whatever others write)."""
        renamed = self.last >= last and (handle, name) != (self.handle, self.name)
        return self.first < first or self.last > last or renamed


@dataclass
class Authors:
    """The ids of a batch's authors by key, and the known ones the batch changes."""

    ids: dict[str, int] = field(default_factory=dict)
    touched: dict[int, Seen] = field(default_factory=dict)

    def get(self, key: str) -> int | None:
        return self.ids.get(key)


def _seen(items: list[Interaction]) -> dict[str, Seen]:
    seen: dict[str, Seen] = {}
    for item in items:
        key = author_key(item)
        if not key:
            continue
        known = seen.get(key)
        if known is None:
            at = item.created_at
            seen[key] = Seen(item.author_handle, item.author_name, at, at)
        else:
            seen[key] = known.merged(item)
    return seen


def authors_store(channel: Channel, items: list[Interaction]) -> Authors:
    """The items' authors: the known ones read (not locked), the others created with
    what the items say of them. ``authors_touch`` writes the changes to known ones."""
    seen = _seen(items)
    if not seen:
        return Authors()
    scope = {"workspace_id": channel.workspace_id, "network": channel.network}
    authors = Authors()
    _read(authors, Author.objects.filter(**scope, external_id__in=list(seen)), seen)
    missing = sorted(key for key in seen if key not in authors.ids)
    if missing:
        Author.objects.bulk_create(
            [
                Author(
                    **scope,
                    external_id=key,
                    handle=seen[key].handle,
                    name=seen[key].name,
                    first_seen_at=seen[key].first,
                    last_seen_at=seen[key].last,
                )
                for key in missing
            ],
            ignore_conflicts=True,  # another worker's, created meanwhile: touched below
        )
        _read(authors, Author.objects.filter(**scope, external_id__in=missing), seen)
    return authors


def _read(authors: Authors, rows, seen: dict[str, Seen]) -> None:
    """Note these authors' ids, and which of them the batch's sightings change."""
    columns = ("external_id", "pk", "handle", "name", "first_seen_at", "last_seen_at")
    for key, pk, handle, name, first, last in rows.values_list(*columns):
        authors.ids[key] = pk
        if seen[key].changes(handle, name, first, last):
            authors.touched[pk] = seen[key]


def authors_touch(authors: Authors) -> None:
    """Write what the batch saw of its known authors, each row computed from its
    current values. The rows are locked in id order first (PostgreSQL), so two workers
    never wait on each other in a circle."""
    ids = sorted(authors.touched)
    if not ids:
        return
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        list(Author.objects.filter(pk__in=ids).order_by("pk").select_for_update().values("pk"))
    earliest, latest = ("LEAST", "GREATEST") if postgresql else ("MIN", "MAX")
    newest = "v.last >= {t}.last_seen_at"
    update_from_rows(
        Author,
        SEEN_COLUMNS,
        [(pk, seen.handle, seen.name, *seen.times) for pk, seen in sorted(authors.touched.items())],
        f"handle = CASE WHEN {newest} THEN v.handle ELSE {{t}}.handle END, "
        f"name = CASE WHEN {newest} THEN v.name ELSE {{t}}.name END, "
        f"first_seen_at = {earliest}({{t}}.first_seen_at, v.first), "
        f"last_seen_at = {latest}({{t}}.last_seen_at, v.last)",
    )
