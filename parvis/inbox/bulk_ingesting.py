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
from django.db import connection
from django.db.models import Q

from parvis.channels.models import Channel
from parvis.core.bulk import rows_update
from parvis.inbox.threads import Author, Conversation, Message
from parvis.inbox.triage import NOTHING, Triage
from parvis.inbox.triage.priority import followers_of, message_priority
from parvis.networks.base import Interaction
from parvis.publishing.selectors import posts_by_remote_id

PREVIEW_LENGTH = 140
UPDATE_BATCH = 500  # rows per UPDATE statement (parameters stay far below the limits)


def author_key(item: Interaction) -> str:
    """Who wrote it: the network's id, or, where the network names the author only by
    handle (Instagram's mentions), that handle; "" when nothing says who."""
    if item.author_id:
        return item.author_id
    handle = item.author_handle.strip().lstrip("@")
    return f"@{handle}" if handle else ""


def priority_flags(item: Interaction, found: Triage) -> int:
    """What the message adds to its conversation's priority (``triage.priority``)."""
    if item.raw.get("hidden", False):
        return 0  # a comment hidden on the network is not waiting for an answer
    return message_priority(
        intent=found.intent,
        followers=followers_of(item.raw),
        large_audience=settings.PARVIS_INBOX_LARGE_AUDIENCE,
    )


def authors_store(channel: Channel, items: list[Interaction]) -> dict[str, Author]:
    """The items' authors, created or updated (first and last seen, newest name and handle)."""
    seen: dict[str, Author] = {}
    for item in items:
        key = author_key(item)
        if not key:
            continue
        known = seen.get(key)
        if known is None:
            seen[key] = Author(
                workspace_id=channel.workspace_id,
                network=channel.network,
                external_id=key,
                handle=item.author_handle,
                name=item.author_name,
                first_seen_at=item.created_at,
                last_seen_at=item.created_at,
            )
            continue
        if item.created_at >= known.last_seen_at:
            known.handle, known.name = item.author_handle, item.author_name
        known.first_seen_at = min(known.first_seen_at, item.created_at)
        known.last_seen_at = max(known.last_seen_at, item.created_at)
    if not seen:
        return {}
    # In the key's order in every worker: two inserting the same new authors never wait
    # on each other in a circle.
    Author.objects.bulk_create([seen[key] for key in sorted(seen)], ignore_conflicts=True)
    rows = Author.objects.filter(
        workspace_id=channel.workspace_id, network=channel.network, external_id__in=list(seen)
    )
    found = {a.external_id: a for a in rows.order_by("pk").select_for_update()}
    changed = []
    for external_id, new in seen.items():
        author = found[external_id]
        before = (author.handle, author.name, author.first_seen_at, author.last_seen_at)
        if new.last_seen_at >= author.last_seen_at:
            author.handle, author.name = new.handle, new.name
        author.first_seen_at = min(author.first_seen_at, new.first_seen_at)
        author.last_seen_at = max(author.last_seen_at, new.last_seen_at)
        if (author.handle, author.name, author.first_seen_at, author.last_seen_at) != before:
            changed.append(author)
    if changed:
        rows_update(changed, ["handle", "name", "first_seen_at", "last_seen_at"])
    return found


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
    authors: dict[str, Author]


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
                author=threads.authors.get(author_key(first)),
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
    table = connection.ops.quote_name(Conversation._meta.db_table)
    cast = connection.vendor == "postgresql"
    holes = (
        "(%s::bigint, %s::integer, %s::timestamptz, %s::text, %s::text, %s::text, %s::text, "
        "%s::integer)"
        if cast
        else "(%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    newer = f"(v.newest >= {table}.last_message_at OR {table}.message_count = 0)"
    # As the field writes it (SQLite keeps text: "+00:00" written raw would compare wrong).
    at_field = Conversation._meta.get_field("last_message_at")
    for start in range(0, len(ids), UPDATE_BATCH):
        batch = ids[start : start + UPDATE_BATCH]
        params: list[object] = []
        for pk in batch:
            growth = growths[pk]
            triage = growth.newest
            newest_at = at_field.get_db_prep_value(growth.newest_at, connection)
            params += [pk, growth.count, newest_at, growth.preview]
            params += [triage.language, triage.sentiment, triage.intent, growth.flags]
        done = f"{table}.status = 'done'"

        def newest(column: str) -> str:
            return f"{column} = CASE WHEN {newer} THEN v.{column} ELSE {table}.{column} END"

        sql = (
            f"WITH v (id, n, newest, preview, language, sentiment, intent, flags) AS "
            f"(VALUES {', '.join([holes] * len(batch))}) "
            f"UPDATE {table} SET message_count = {table}.message_count + v.n, "
            f"{newest('preview')}, {newest('language')}, {newest('sentiment')}, "
            f"{newest('intent')}, "
            f"last_message_at = CASE WHEN {newer} THEN v.newest ELSE {table}.last_message_at END, "
            f"priority = CASE WHEN {done} THEN v.flags ELSE ({table}.priority | v.flags) END, "
            f"status = CASE WHEN {done} THEN 'open' ELSE {table}.status END "
            f"FROM v WHERE {table}.id = v.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def message_of(
    channel: Channel, item: Interaction, found: Triage, conversation, known, authors
) -> Message:
    """The message row of one interaction (not saved), with its triage."""
    return Message(
        workspace_id=channel.workspace_id,
        conversation=conversation,
        channel=channel,
        remote_id=item.remote_id,
        kind=str(item.kind),
        author=authors.get(author_key(item)),
        text=item.text,
        created_at=item.created_at,
        parent=known.get(item.in_reply_to_id) if item.in_reply_to_id else None,
        in_reply_to_remote_id=item.in_reply_to_id,
        url=item.url,
        raw=item.raw,
        hidden=bool(item.raw.get("hidden", False)),
        language=found.language,
        sentiment=found.sentiment,
        intent=found.intent,
    )


@dataclass
class ChannelItems:
    """One channel's interactions to store: ``fresh`` (none stored yet, in order), each
    one's triage (``triaged``) and the messages they may answer (``known``)."""

    channel: Channel
    fresh: list[Interaction]
    triaged: list[Triage]
    known: dict[str, Message]


def _authors_by_channel(batches: list[ChannelItems]) -> dict[int, dict[str, Author]]:
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
        messages = [
            message_of(ch, item, found[id(item)], conv, known[ch.pk], authors[ch.pk])
            for ch, item, conv in rows
        ]
        for message in Message.objects.bulk_create(messages, batch_size=UPDATE_BATCH):
            known[message.channel_id][message.remote_id] = message
        for _channel, item, conversation in rows:
            growths.setdefault(conversation.pk, Growth()).add(item, found[id(item)])
    conversations_grow(growths)
    return sum(len(b.fresh) for b in batches)
