"""Reads about the inbox, always scoped to one workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import chain

from django.db.models import BooleanField, Func, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from parvis.accounts.models import User, Workspace
from parvis.channels.selectors import channels_of
from parvis.inbox.models import Reply
from parvis.inbox.responsiveness import only_overdue, with_awaiting_since
from parvis.inbox.states import ReplyStates
from parvis.inbox.threads import Conversation, ConversationStatus, Message, Presence, Tag
from parvis.inbox.work import PRESENCE_FRESH, TYPING_FRESH

INBOX_PAGE = 50


@dataclass(frozen=True)
class InboxFilters:
    channel: int | None = None
    network: str = ""
    kind: str = ""
    status: str = ConversationStatus.OPEN
    assignee: str = ""  # a user id, "me", "nobody" or "" (anyone)
    tag: str = ""
    since: date | None = None
    until: date | None = None
    language: str = ""  # a Language value (of the latest message received)
    sentiment: str = ""
    intent: str = ""
    order: str = ""  # "" newest first, "priority" (triage.priority) first
    overdue: bool = False  # only open conversations waiting longer than the response target


ORDERS = {"": ("-last_message_at", "-id"), "priority": ("-priority", "-last_message_at", "-id")}


@dataclass(frozen=True)
class InboxPage:
    """One page of the list, and where the pages beside it start (``None``: no more)."""

    conversations: list[Conversation]
    older: str | None  # the cursor of the next page down the list
    newer: str | None  # the cursor of the page above (back towards the first)


def _keys(order: str) -> list[str]:
    return [key.lstrip("-") for key in ORDERS.get(order, ORDERS[""])]


def cursor_of(conversation: Conversation, order: str) -> str:
    """Where a page starts or ends: the row's values in the list's order, joined by "_"."""
    values = [getattr(conversation, key) for key in _keys(order)]
    return "_".join(v.isoformat() if isinstance(v, datetime) else str(v) for v in values)


def _cursor_values(cursor: str, order: str) -> list | None:
    parts = cursor.split("_")
    keys = _keys(order)
    if len(parts) != len(keys):
        return None
    values: list = []
    try:
        for key, part in zip(keys, parts, strict=True):
            if key == "last_message_at":
                at = datetime.fromisoformat(part)
                if at.tzinfo is None:
                    return None
                values.append(at)
            else:
                values.append(int(part))
    except ValueError:
        return None
    return values


def _beyond(order: str, values: list, *, older: bool) -> Q:
    """The rows after (``older``) or before the cursor in the list's order, all keys
    descending: compared key by key, with the first key's bound for the index."""
    keys = _keys(order)
    beyond = "lt" if older else "gt"
    condition, equal = Q(), Q()
    for key, value in zip(keys, values, strict=True):
        condition |= equal & Q(**{f"{key}__{beyond}": value})
        equal &= Q(**{key: value})
    bound = "lte" if older else "gte"
    return Q(**{f"{keys[0]}__{bound}": values[0]}) & condition


def page_of(
    rows: QuerySet[Conversation], *, order: str, after: str = "", before: str = ""
) -> InboxPage:
    """The ``INBOX_PAGE`` conversations after the cursor ``after`` (down the list) or
    before ``before`` (up the list); the first page without either. A page is read from
    an index in the list's order, however deep: no offset, no row counted to get there."""
    size = INBOX_PAGE
    values = _cursor_values(before, order) if before else None
    if values is not None:  # up the list: read upwards, then show in the list's order
        found = _read(rows.filter(_beyond(order, values, older=False)).reverse(), size + 1)
        page = found[:size][::-1]
        newer = cursor_of(page[0], order) if len(found) > size else None
        older = cursor_of(page[-1], order) if page else None
        return InboxPage(conversations=page, older=older, newer=newer)
    values = _cursor_values(after, order) if after else None
    if values is not None:
        rows = rows.filter(_beyond(order, values, older=True))
    found = _read(rows, size + 1)
    page = found[:size]
    older = cursor_of(page[-1], order) if len(found) > size else None
    newer = cursor_of(page[0], order) if values is not None and page else None
    return InboxPage(conversations=page, older=older, newer=newer)


def _read(rows: QuerySet[Conversation], limit: int) -> list[Conversation]:
    """The first ``limit`` rows, in two steps: their ids, which the list's indexes hold
    with the columns the filters test (PostgreSQL reads the index alone, not each row
    it passes over), then those rows whole. A filter that leaves few rows used to
    visit every row it passed over in the table: 50 ms to find none among 72,000 open
    conversations."""
    ids = list(rows.values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    return list(rows.filter(pk__in=ids))


BADGE_MOST = 1000  # the badge says "999+" from there: it is counted on every page


def open_badge(*, workspace: Workspace) -> str:
    """The navigation's badge: conversations still open ("" for none), "999+" past
    ``BADGE_MOST`` (counting further would read every open row on every page)."""
    rows = Conversation.objects.in_workspace(workspace).filter(status="open")
    count = rows.order_by()[:BADGE_MOST].count()
    if count >= BADGE_MOST:
        return f"{BADGE_MOST - 1}+"
    return str(count) if count else ""


def conversations_of(
    *, workspace: Workspace, filters: InboxFilters, user: User
) -> QuerySet[Conversation]:
    """The list's conversations, newest (or most urgent) first, with what a row shows."""
    rows = matching_conversations(workspace=workspace, filters=filters, user=user)
    rows = only_overdue(rows, workspace=workspace) if filters.overdue else with_awaiting_since(rows)
    return (
        rows.select_related("channel", "assignee", "author")
        .prefetch_related("tags")
        .order_by(*ORDERS.get(filters.order, ORDERS[""]))
    )


def conversations_count(
    *, workspace: Workspace, filters: InboxFilters, user: User, most: int
) -> int:
    """How many conversations the filters select, counting no further than ``most``: with
    a million conversations an exact count reads every matching row, and the list only
    needs to say "more than" past what it can show."""
    rows = matching_conversations(workspace=workspace, filters=filters, user=user)
    if filters.overdue:
        rows = only_overdue(rows, workspace=workspace)
    return rows.order_by()[:most].count()


def matching_conversations(
    *, workspace: Workspace, filters: InboxFilters, user: User
) -> QuerySet[Conversation]:
    """The conversations the filters select (except ``overdue``), in no particular order."""
    rows = Conversation.objects.in_workspace(workspace)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.channel:
        rows = rows.filter(channel_id=filters.channel)
    if filters.network:  # the channels' ids, so that the conversations' indexes serve
        channels = channels_of(workspace=workspace).filter(network=filters.network)
        rows = rows.filter(channel_id__in=list(channels.values_list("pk", flat=True)))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.assignee == "me":
        rows = rows.filter(assignee=user)
    elif filters.assignee == "nobody":
        rows = rows.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        rows = rows.filter(assignee_id=int(filters.assignee))
    if filters.tag:
        rows = _tagged(rows, workspace=workspace, name=filters.tag, alone=_tag_alone(filters))
    for triaged in ("language", "sentiment", "intent"):
        if value := getattr(filters, triaged):
            rows = rows.filter(**{triaged: value})
    zone = timezone.get_current_timezone()
    if filters.since:
        start = datetime.combine(filters.since, datetime.min.time(), tzinfo=zone)
        rows = rows.filter(last_message_at__gte=start)
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        rows = rows.filter(last_message_at__lt=end)
    return rows


FEW_TAGGED = 1000  # conversations with a tag read by their ids (past it: from a hash)


class _KeptAsSubplan(Func):
    """``(id IN (subquery)) IS TRUE``: PostgreSQL keeps the subquery as a hashed subplan,
    read once and checked on each row read in the list's order, instead of turning it
    into a join that looks up the tag's rows for each row read."""

    template = "(%(expressions)s) IS TRUE"
    output_field = BooleanField()


def _tag_alone(filters: InboxFilters) -> bool:
    """Whether the tag is the list's only filter but the status (the status is always one)."""
    others = (filters.channel, filters.network, filters.kind, filters.assignee, filters.since)
    others += (filters.until, filters.language, filters.sentiment, filters.intent)
    return not any(others)


def _tagged(rows: QuerySet[Conversation], *, workspace: Workspace, name: str, alone: bool):
    """``rows`` with the tag ``name``, in a shape the planner cannot get wrong.

    A tag on few conversations: their ids, read first (the planner, expecting a tag's
    usual share, read the list's index in order looking for them: 200 ms for a tag on
    5 of 200,000 conversations). A tag on many, ``alone``: a join, each row read in the
    list's order looked up in the tag's rows, until a page is found (about one row in
    the tag's share). A tag on many with other filters it may seldom meet (a kind it
    is rarely on): the list's index is read, each row checked against a hash of the
    tag's conversations, built once (the join: 50 ms for a tag on 14,000 of 200,000
    conversations with such a kind; the hash: 25 ms, and 5 ms more when they are met
    often)."""
    tagged = Conversation.tags.through.objects.filter(tag__workspace=workspace, tag__name=name)
    few = list(tagged.values_list("conversation_id", flat=True)[:FEW_TAGGED])
    if len(few) < FEW_TAGGED:
        return rows.filter(pk__in=few)
    ids = tagged.values("conversation_id")
    if alone:
        return rows.filter(pk__in=ids)
    return rows.filter(_KeptAsSubplan(Q(pk__in=ids)))


def conversation_of_or_404(*, workspace: Workspace, conversation_id: int) -> Conversation:
    rows = Conversation.objects.in_workspace(workspace).select_related(
        "channel", "assignee", "author", "post", "workspace"
    )
    return get_object_or_404(rows, pk=conversation_id)


def message_of_or_404(*, conversation: Conversation, message_id: int) -> Message:
    rows = conversation.messages.select_related("conversation__channel", "channel", "workspace")
    return get_object_or_404(rows, pk=message_id)


THREAD_LATEST = 100  # messages a conversation page shows unless asked for all of them


@dataclass(frozen=True)
class Thread:
    """A conversation's messages in order, then its answers not sent yet."""

    items: list[Message | Reply]
    earlier: int  # older messages left out (0: the whole thread is there)


def thread_of(*, conversation: Conversation, latest: int | None = THREAD_LATEST) -> Thread:
    """The ``latest`` messages in order (``None``: all), then the answers not sent yet
    (pending or failed). A post can gather thousands of comments: the page shows the
    newest and says how many older ones it left out."""
    messages = conversation.messages.select_related("author", "sent_by", "parent__author").defer(
        "raw",
        "parent__raw",  # the network's whole payload: the page never shows it
    )
    earlier = 0
    if latest is not None:
        newest = list(messages.order_by("-created_at", "-id")[: latest + 1])
        if len(newest) > latest:
            earlier = conversation.messages.count() - latest
        messages = newest[:latest][::-1]
    unsent = (
        Reply.objects.filter(conversation=conversation)
        .exclude(state=ReplyStates.sent.name)
        .select_related("created_by", "in_reply_to__author")
    )
    return Thread(items=list(chain(messages, unsent)), earlier=earlier)


def notes_of(*, conversation: Conversation):
    return conversation.notes.select_related("author")


def tags_of(*, workspace: Workspace) -> QuerySet[Tag]:
    return Tag.objects.in_workspace(workspace)


@dataclass(frozen=True)
class OthersHere:
    """Other members on the same conversation: a warning before answering twice."""

    viewing: list[User]
    typing: list[User]
    replied: list[Reply]  # answers written by others since the page was opened

    def __bool__(self) -> bool:
        return bool(self.viewing or self.typing or self.replied)


def others_here(*, conversation: Conversation, user: User, since: datetime | None) -> OthersHere:
    now = timezone.now()
    presences = (
        Presence.objects.filter(conversation=conversation, seen_at__gte=now - PRESENCE_FRESH)
        .exclude(user=user)
        .select_related("user")
    )
    typing = [p.user for p in presences if p.typing_at and p.typing_at >= now - TYPING_FRESH]
    viewing = [p.user for p in presences if p.user not in typing]
    replied: list[Reply] = []
    if since is not None:
        replied = list(
            Reply.objects.filter(conversation=conversation, created_at__gt=since)
            .filter(~Q(created_by=user))
            .select_related("created_by")
        )
    return OthersHere(viewing=viewing, typing=typing, replied=replied)
