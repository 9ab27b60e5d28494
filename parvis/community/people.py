"""Writes on people: found from the inbox's authors, summarised, merged, separated, tagged."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.models import User, Workspace
from parvis.community.models import (
    CommunityWatermark,
    Handle,
    Person,
    PersonNote,
    PersonTag,
    Segment,
)
from parvis.community.scoring import RECENCY_DAYS, engagement_score
from parvis.core.audit import audit
from parvis.inbox.threads import Author, Direction, Message

SUGGESTED_TAGS = ("ambassador", "customer", "detractor", "influencer", "prospect", "partner")
REFRESH_EVERY = timedelta(hours=1)  # recency decays: the scores are recomputed this often
SYNC_BATCH = 2000


class CommunityError(Exception):
    """A change refused, with a sentence for the person who asked for it."""


def people_sync(*, workspace: Workspace) -> int:
    """Give every inbox author not yet met a person of their own; return how many.

    Called lazily by the community pages (ingestion stays as fast as it was).
    Safe to run twice at once: a handle is unique per author and the loser's empty
    people are removed.
    """
    created = 0
    while True:
        authors = list(
            Author.objects.in_workspace(workspace)
            .filter(community_handle__isnull=True)
            .order_by("id")[:SYNC_BATCH]
        )
        if not authors:
            return created
        with transaction.atomic():
            people = Person.objects.bulk_create(
                [Person(workspace=workspace, name=a.name or a.handle) for a in authors]
            )
            Handle.objects.bulk_create(
                [
                    Handle(workspace=workspace, person=person, author=author)
                    for person, author in zip(people, authors, strict=True)
                ],
                ignore_conflicts=True,
            )
            Person.objects.filter(pk__in=[p.pk for p in people], handles__isnull=True).delete()
        people_refresh(workspace=workspace, person_ids=[p.pk for p in people])
        created += len(authors)


def person_of_author(*, workspace: Workspace, author_id: int) -> Person | None:
    """The person behind one inbox author (met now if not yet)."""
    handle = Handle.objects.in_workspace(workspace).filter(author_id=author_id).first()
    if handle is None:
        if not Author.objects.in_workspace(workspace).filter(pk=author_id).exists():
            return None
        people_sync(workspace=workspace)
        handle = Handle.objects.in_workspace(workspace).filter(author_id=author_id).first()
    return handle.person if handle else None


def people_refresh(
    *,
    workspace: Workspace,
    person_ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Recompute the summary (counts, first and last seen, score) of people; return how many."""
    now = now or timezone.now()
    people = Person.objects.in_workspace(workspace)
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    seen = {
        row["person_id"]: row
        for row in Handle.objects.filter(person__in=people)
        .values("person_id")
        .annotate(first=Min("author__first_seen_at"), last=Max("author__last_seen_at"))
    }
    since = now - timedelta(days=RECENCY_DAYS)
    written = {
        row["person_id"]: row
        for row in Message.objects.in_workspace(workspace)
        .filter(direction=Direction.IN, author__community_handle__person__in=people)
        .values(person_id=F("author__community_handle__person"))
        .annotate(
            total=Count("id", distinct=True),
            recent=Count("id", filter=Q(created_at__gte=since), distinct=True),
            answered=Count("id", filter=Q(answers__direction=Direction.OUT), distinct=True),
            first=Min("created_at"),
            last=Max("created_at"),
        )
    }
    rows = list(people)
    for person in rows:
        span, counts = seen.get(person.pk, {}), written.get(person.pk, {})
        # The messages themselves are the surest dates; the authors' cover erased ones.
        firsts = [d for d in (span.get("first"), counts.get("first")) if d]
        lasts = [d for d in (span.get("last"), counts.get("last")) if d]
        person.first_seen_at = min(firsts) if firsts else None
        person.last_seen_at = max(lasts) if lasts else None
        person.message_count = counts.get("total", 0)
        person.answered_count = counts.get("answered", 0)
        person.score = engagement_score(
            last_seen_at=person.last_seen_at,
            recent_messages=counts.get("recent", 0),
            answered=person.answered_count,
            now=now,
        )
        person.refreshed_at = now
    fields = [
        "first_seen_at",
        "last_seen_at",
        "message_count",
        "answered_count",
        "score",
        "refreshed_at",
    ]
    Person.objects.bulk_update(rows, fields, batch_size=500)
    return len(rows)


def community_freshen(*, workspace: Workspace, now: datetime | None = None) -> None:
    """Before the community pages: meet new authors, and recompute the summaries when a
    message arrived since the last time, or after REFRESH_EVERY (recency decays)."""
    now = now or timezone.now()
    people_sync(workspace=workspace)
    mark = CommunityWatermark.objects.filter(workspace=workspace).first()
    newest = (
        Message.objects.in_workspace(workspace).order_by("-pk").values_list("pk", flat=True).first()
        or 0
    )
    if mark and mark.last_message_id >= newest and mark.refreshed_at > now - REFRESH_EVERY:
        return
    people_refresh(workspace=workspace, now=now)
    CommunityWatermark.objects.update_or_create(
        workspace=workspace, defaults={"last_message_id": newest, "refreshed_at": now}
    )


@transaction.atomic
def people_merge(*, workspace: Workspace, people: list[Person], acting_user: User) -> Person:
    """Make one person of several (the first keeps its name): handles, tags and notes move."""
    if len({p.pk for p in people}) < 2:
        raise CommunityError(_("Choose at least two people to merge."))
    if any(p.workspace_id != workspace.pk for p in people):
        raise CommunityError(_("Only people of this workspace can be merged."))
    kept, others = people[0], people[1:]
    other_ids = [p.pk for p in others]
    Handle.objects.filter(person_id__in=other_ids).update(person=kept)
    PersonNote.objects.filter(person_id__in=other_ids).update(person=kept)
    kept.tags.add(*PersonTag.objects.filter(people__in=other_ids).distinct())
    if not kept.name:
        kept.name = next((p.name for p in others if p.name), "")
        kept.save(update_fields=["name"])
    Person.objects.filter(pk__in=other_ids).delete()
    people_refresh(workspace=workspace, person_ids=[kept.pk])
    audit(
        verb="community.merged",
        workspace=workspace,
        actor=acting_user,
        target=kept,
        merged=other_ids,
    )
    kept.refresh_from_db()
    return kept


@transaction.atomic
def handle_separate(*, handle: Handle, acting_user: User) -> Person:
    """Give one handle of a merged person a person of its own again (the undo of a merge)."""
    person = handle.person
    if person.handles.count() < 2:
        raise CommunityError(_("This is the person's only handle: there is nothing to separate."))
    author = handle.author
    alone = Person.objects.create(workspace=person.workspace, name=author.name or author.handle)
    handle.person = alone
    handle.save(update_fields=["person"])
    people_refresh(workspace=person.workspace, person_ids=[person.pk, alone.pk])
    audit(
        verb="community.separated",
        workspace=person.workspace,
        actor=acting_user,
        target=alone,
        from_person=person.pk,
    )
    alone.refresh_from_db()
    return alone


def _tag_names(raw: str) -> list[str]:
    names = {name.strip().lower()[:40] for name in raw.split(",")}
    return sorted(name for name in names if name)


@transaction.atomic
def person_set_tags(*, person: Person, raw: str, acting_user: User) -> list[PersonTag]:
    """The person's tags, from a comma-separated list (new names become tags)."""
    names = _tag_names(raw)
    workspace = person.workspace
    PersonTag.objects.bulk_create(
        [PersonTag(workspace=workspace, name=name) for name in names], ignore_conflicts=True
    )
    tags = list(PersonTag.objects.in_workspace(workspace).filter(name__in=names))
    person.tags.set(tags)
    audit(
        verb="community.tagged", workspace=workspace, actor=acting_user, target=person, tags=names
    )
    return tags


@transaction.atomic
def person_note_add(*, person: Person, text: str, acting_user: User) -> PersonNote:
    text = text.strip()
    if not text:
        raise CommunityError(_("Write the note before adding it."))
    note = PersonNote.objects.create(
        workspace=person.workspace, person=person, author=acting_user, text=text
    )
    audit(verb="community.noted", workspace=person.workspace, actor=acting_user, target=person)
    return note


@transaction.atomic
def segment_save(
    *, workspace: Workspace, name: str, query: dict[str, str], acting_user: User
) -> Segment:
    """Save the Community page's current filter under a name (the same name replaces it)."""
    name = name.strip()[:80]
    if not name:
        raise CommunityError(_("Give the segment a name before saving it."))
    segment, _created = Segment.objects.update_or_create(
        workspace=workspace,
        name=name,
        defaults={"query": query, "created_by": acting_user},
    )
    audit(verb="community.segment_saved", workspace=workspace, actor=acting_user, target=segment)
    return segment


@transaction.atomic
def segment_delete(*, segment: Segment, acting_user: User) -> None:
    audit(
        verb="community.segment_deleted",
        workspace=segment.workspace,
        actor=acting_user,
        target=segment,
    )
    segment.delete()
