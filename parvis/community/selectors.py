"""Reads on people: the Community list with its filters, one person's profile and history."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from parvis.accounts.models import Workspace
from parvis.community.models import Handle, Person, PersonTag, Segment
from parvis.inbox.threads import Message

PAGE = 50
SORTS = {
    "score": ["-score", "-last_seen_at", "id"],
    "recent": ["-last_seen_at", "id"],
    "first": ["first_seen_at", "id"],
    "messages": ["-message_count", "-score", "id"],
    "name": ["name", "id"],
}


@dataclass(frozen=True)
class PeopleFilters:
    q: str = ""  # a part of a name or handle
    network: str = ""
    tag: str = ""
    min_score: int | None = None
    seen_days: int | None = None  # seen in the last N days
    sort: str = "score"

    def as_query(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items() if v not in ("", None)}


def people_of(*, workspace: Workspace, filters: PeopleFilters) -> QuerySet[Person]:
    rows = Person.objects.in_workspace(workspace)
    if filters.q:
        words = Q(name__icontains=filters.q)
        words |= Q(handles__author__handle__icontains=filters.q)
        words |= Q(handles__author__name__icontains=filters.q)
        rows = rows.filter(pk__in=Person.objects.in_workspace(workspace).filter(words).values("pk"))
    if filters.network:
        rows = rows.filter(
            pk__in=Handle.objects.in_workspace(workspace)
            .filter(author__network=filters.network)
            .values("person_id")
        )
    if filters.tag:
        rows = rows.filter(tags__name=filters.tag)
    if filters.min_score is not None:
        rows = rows.filter(score__gte=filters.min_score)
    if filters.seen_days is not None:
        rows = rows.filter(last_seen_at__gte=timezone.now() - timedelta(days=filters.seen_days))
    handles = Handle.objects.select_related("author").order_by("author__network", "id")
    return rows.order_by(*SORTS.get(filters.sort, SORTS["score"])).prefetch_related(
        Prefetch("handles", queryset=handles), "tags"
    )


def person_in(*, workspace: Workspace, person_id: int) -> Person | None:
    return Person.objects.in_workspace(workspace).filter(pk=person_id).first()


def person_handles(*, person: Person) -> list[Handle]:
    return list(person.handles.select_related("author").order_by("author__network", "id"))


def person_history(*, person: Person, limit: int = 200) -> list[Message]:
    """What the person wrote, newest first, across channels, each with the brand's answers."""
    answers = (
        Message.objects.filter(direction="out")
        .select_related("sent_by")
        .order_by("created_at", "id")
    )
    return list(
        Message.objects.in_workspace(person.workspace)
        .filter(author__community_handle__person=person)
        .select_related("channel", "conversation", "author")
        .prefetch_related(Prefetch("answers", queryset=answers, to_attr="brand_answers"))
        .order_by("-created_at", "-id")[:limit]
    )


def person_tags_of(*, workspace: Workspace) -> list[PersonTag]:
    return list(PersonTag.objects.in_workspace(workspace))


def segments_of(*, workspace: Workspace) -> list[Segment]:
    return list(Segment.objects.in_workspace(workspace))
