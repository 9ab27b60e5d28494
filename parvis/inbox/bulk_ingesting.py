"""Many new interactions of one channel stored in a few statements, whatever their number.

The same result as storing them one at a time (``ingesting``: same threads, same
authors, same counts), for the webhook batches and polling pages that bring
hundreds at once: the authors, the conversations, the messages and the
conversations' counts are each written in one or two statements. Runs inside the
caller's transaction; an ``IntegrityError`` (another worker stored one of these
messages meanwhile) rolls it back, and the caller stores them one at a time instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from parvis.channels.models import Channel
from parvis.core.bulk import rows_insert, update_from_rows
from parvis.inbox.ingesting_authors import Authors, author_key, authors_store, authors_touch
from parvis.inbox.threads import Conversation, Message
from parvis.inbox.triage import NOTHING, Triage
from parvis.inbox.triage.priority import followers_of, message_priority
from parvis.networks.base import Interaction
from parvis.publishing.selectors import posts_by_remote_id

PREVIEW_LENGTH = 140
# What a conversation grows by (``conversations_grow``): v's columns and their types.
GROWTH_COLUMNS = [
    ("id", "bigint"), ("n", "integer"), ("newest", "timestamptz"), ("preview", "text"),
    ("language", "text"), ("sentiment", "text"), ("intent", "text"), ("flags", "integer"),
]  # fmt: skip


def priority_flags(item: Interaction, found: Triage) -> int:
    """What the message adds to its conversation's priority (``triage.priority``)."""
    if item.raw.get("hidden", False):
        return 0  # a comment hidden on the network is not waiting for an answer
    return message_priority(
        intent=found.intent,
        followers=followers_of(item.raw),
        large_audience=settings.PARVIS_INBOX_LARGE_AUDIENCE,
    )


def _of_channels(wanted: dict[int, list[str]]) -> Q:
    """Conversations of these thread keys, per channel (channel id -> keys)."""
    condition = Q()
    for channel_id, keys in wanted.items():
        condition |= Q(channel_id=channel_id, thread_key__in=keys)
    return condition


def conversations_find_or_create(
    wanted: dict[int, ChannelThreads],
) -> dict[tuple[int, str], Conversation]:
    """The conversation of each (channel id, thread key); ``wanted``: channel id -> the
    channel, its thread keys' (Thread, first item) and its authors. One query to find
    them all; the missing ones are created in one more and read back."""
    keys = {channel_id: list(threads.firsts) for channel_id, threads in wanted.items()}
    rows = Conversation.objects.filter(_of_channels(keys))
    found = {(c.channel_id, c.thread_key): c for c in rows}
    missing: dict[int, list[str]] = {}
    new = []
    for channel_id, threads in wanted.items():
        keys = [key for key in threads.firsts if (channel_id, key) not in found]
        if keys:
            missing[channel_id] = keys
            new += _conversations_new(threads, keys)
    if not new:
        return found
    new.sort(key=lambda c: (c.channel_id, c.thread_key))  # the same order in every worker
    Conversation.objects.bulk_create(new, ignore_conflicts=True)  # another worker's stay
    created = Conversation.objects.filter(_of_channels(missing))
    found.update({(c.channel_id, c.thread_key): c for c in created})
    return found


@dataclass
class ChannelThreads:
    """One channel's threads in a wave: key -> (Thread, its first item), and its authors."""

    channel: Channel
    firsts: dict[str, tuple[object, Interaction]]
    authors: Authors


def _conversations_new(threads: ChannelThreads, keys: list[str]) -> list[Conversation]:
    channel, firsts = threads.channel, threads.firsts
    post_ids = [firsts[key][0].post_remote_id for key in keys if firsts[key][0].post_remote_id]
    posts = posts_by_remote_id(channel=channel, remote_ids=post_ids)
    new = []
    for key in keys:
        thread, first = firsts[key]
        post_id, post_url = posts.get(thread.post_remote_id, (None, ""))
        new.append(
            Conversation(
                workspace_id=channel.workspace_id,
                channel=channel,
                thread_key=key,
                kind=thread.kind,
                post_id=post_id,
                post_remote_id=thread.post_remote_id,
                post_url=post_url or (first.url if thread.post_remote_id else ""),
                author_id=threads.authors.get(author_key(first)),
                last_message_at=first.created_at,
            )
        )
    return new


@dataclass
class Growth:
    """What the new messages add to one conversation."""

    count: int = 0
    newest_at: datetime | None = None
    preview: str = ""
    newest: Triage = NOTHING
    flags: int = 0  # the priority flags of all the new messages together

    def add(self, item: Interaction, found: Triage) -> None:
        self.count += 1
        self.flags |= priority_flags(item, found)
        if self.newest_at is None or item.created_at >= self.newest_at:
            self.newest_at, self.preview = item.created_at, item.text[:PREVIEW_LENGTH]
            self.newest = found


def conversations_grow(growths: dict[int, Growth]) -> None:
    """Count the new messages in their conversations, move them up (with the newest's
    triage), raise their priority, and reopen the done ones (whose priority starts again).

    The rows are locked in id order first, so two workers never wait on each other in a
    circle; the counts are added to what is there (``message_count + n``)."""
    ids = sorted(growths)
    list(Conversation.objects.filter(pk__in=ids).order_by("pk").select_for_update().values("pk"))
    newer = "(v.newest >= {t}.last_message_at OR {t}.message_count = 0)"
    done = "{t}.status = 'done'"

    def newest(column: str) -> str:
        return f"{column} = CASE WHEN {newer} THEN v.{column} ELSE {{t}}.{column} END"

    rows = []
    for pk in ids:
        growth = growths[pk]
        triage = growth.newest
        rows.append((pk, growth.count, growth.newest_at, growth.preview))
        rows[-1] += (triage.language, triage.sentiment, triage.intent, growth.flags)
    update_from_rows(
        Conversation,
        GROWTH_COLUMNS,
        rows,
        "message_count = {t}.message_count + v.n, "
        f"{newest('preview')}, {newest('language')}, {newest('sentiment')}, {newest('intent')}, "
        f"last_message_at = CASE WHEN {newer} THEN v.newest ELSE {{t}}.last_message_at END, "
        f"priority = CASE WHEN {done} THEN v.flags ELSE ({{t}}.priority | v.flags) END, "
        f"status = CASE WHEN {done} THEN 'open' ELSE {{t}}.status END",
    )


def message_of(
    channel: Channel, item: Interaction, found: Triage, conversation, known, authors
) -> Message:
    """The message row of one interaction (not saved), with its triage."""
    values = _message_values(channel, item, found, conversation, known, authors)
    message = Message(**dict(zip(_MESSAGE_ATTNAMES, values, strict=True)))
    message.conversation = conversation  # read by the items that answer it
    return message


def _parent_id(item: Interaction, known) -> int | None:
    parent = known.get(item.in_reply_to_id) if item.in_reply_to_id else None
    return parent.pk if parent is not None else None


MESSAGE_FIELDS = [
    "workspace", "conversation", "channel", "remote_id", "kind", "author", "text", "created_at",
    "parent", "in_reply_to_remote_id", "url", "raw", "hidden", "language", "sentiment", "intent",
]  # fmt: skip
_MESSAGE_ATTNAMES = [Message._meta.get_field(name).attname for name in MESSAGE_FIELDS]


def _message_values(
    channel: Channel, item: Interaction, found: Triage, conversation, known, authors
) -> tuple:
    """One interaction's message as the values of ``MESSAGE_FIELDS`` (``rows_insert``)."""
    return (
        channel.workspace_id, conversation.pk, channel.pk, item.remote_id, str(item.kind),
        authors.get(author_key(item)), item.text, item.created_at, _parent_id(item, known),
        item.in_reply_to_id, item.url, item.raw, bool(item.raw.get("hidden", False)),
        found.language, found.sentiment, found.intent,
    )  # fmt: skip


@dataclass(frozen=True)
class StoredMessage:
    """A message stored by this batch, as a later item of it may answer it."""

    pk: int
    conversation: Conversation


@dataclass
class ChannelItems:
    """One channel's interactions to store: ``fresh`` (none stored yet, in order), each
    one's triage (``triaged``) and the messages they may answer (``known``)."""

    channel: Channel
    fresh: list[Interaction]
    triaged: list[Triage]
    known: dict[str, Message]


def _authors_by_channel(batches: list[ChannelItems]) -> dict[int, Authors]:
    """The authors of each channel's items, stored once per workspace and network."""
    groups: dict[tuple[int, str], list[ChannelItems]] = {}
    for batch in batches:
        groups.setdefault((batch.channel.workspace_id, batch.channel.network), []).append(batch)
    by_channel = {}
    for group in groups.values():
        authors = authors_store(group[0].channel, [i for batch in group for i in batch.fresh])
        by_channel.update({batch.channel.pk: authors for batch in group})
    return by_channel


def store(batches: list[ChannelItems], thread_of) -> int:
    """Store each channel's ``fresh`` items, all the channels together in a few
    statements. Returns how many were stored.

    A reply to a message of the same batch waits for the wave after its parent's, so it
    is threaded under it as when stored one at a time."""
    found = {id(i): t for b in batches for i, t in zip(b.fresh, b.triaged, strict=True)}
    authors = _authors_by_channel(batches)
    known = {b.channel.pk: dict(b.known) for b in batches}
    pending = {b.channel.pk: (b.channel, b.fresh) for b in batches if b.fresh}
    growths: dict[int, Growth] = {}
    while pending:
        wanted: dict[int, ChannelThreads] = {}
        waves: list[tuple[Channel, Interaction, object]] = []
        for channel_id, (channel, items) in list(pending.items()):
            waiting = {item.remote_id for item in items}
            wave = [i for i in items if i.in_reply_to_id not in waiting] or items
            taken = {id(item) for item in wave}
            rest = [item for item in items if id(item) not in taken]
            if rest:
                pending[channel_id] = (channel, rest)
            else:
                del pending[channel_id]
            threads = wanted.setdefault(
                channel_id, ChannelThreads(channel, {}, authors[channel_id])
            )
            for item in wave:
                thread = thread_of(item, known[channel_id])
                threads.firsts.setdefault(thread.key, (thread, item))
                waves.append((channel, item, thread))
        conversations = conversations_find_or_create(wanted)
        rows = [
            (channel, item, conversations[(channel.pk, thread.key)])
            for channel, item, thread in waves
        ]
        values = [
            _message_values(ch, item, found[id(item)], conv, known[ch.pk], authors[ch.pk])
            for ch, item, conv in rows
        ]
        ids = rows_insert(Message, MESSAGE_FIELDS, values)
        for (channel, item, conversation), pk in zip(rows, ids, strict=True):
            known[channel.pk][item.remote_id] = StoredMessage(pk, conversation)
            growths.setdefault(conversation.pk, Growth()).add(item, found[id(item)])
    # Last, so that the rows they lock stay locked only until the commit.
    for touched in {id(a): a for a in authors.values()}.values():
        authors_touch(touched)
    conversations_grow(growths)
    return sum(len(b.fresh) for b in batches)
