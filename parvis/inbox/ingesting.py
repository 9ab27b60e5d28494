"""Interactions from a network become messages, threaded into conversations.

Safe to run twice on the same interactions (polling re-reads after a crash, a
network sends a webhook again): a message is unique per (channel, network id) and
the insert ignores the ones already stored. Threading:

- a comment or reply on a post belongs to that post's conversation (and is linked
  to the brand's post in Parvis when Parvis published it);
- a reply to a message Parvis knows joins that message's conversation, nested under it;
- a mention starts its own conversation; direct messages from one person share one.

Reactions (likes) are not conversations: they are left to the figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from parvis.channels.models import Channel
from parvis.inbox import bulk_ingesting
from parvis.inbox.bulk_ingesting import PREVIEW_LENGTH, ChannelItems, priority_flags
from parvis.inbox.ingesting_authors import author_key, authors_store, authors_touch
from parvis.inbox.threads import (
    Conversation,
    ConversationKind,
    ConversationStatus,
    Message,
)
from parvis.inbox.triage import Triage, triage_many
from parvis.networks.base import Interaction, InteractionKind
from parvis.publishing.selectors import posts_by_remote_id

# Tries all at once: a conflict with another worker's batch (the same delivery sent twice
# and read by two workers) reads what it stored and stores the rest all at once again.
BULK_TRIES = 3


@dataclass(frozen=True)
class Thread:
    key: str
    kind: str
    post_remote_id: str = ""


def _thread_of(item: Interaction, known: dict[str, Message]) -> Thread:
    parent = known.get(item.in_reply_to_id) if item.in_reply_to_id else None
    if parent is not None:
        conversation = parent.conversation
        return Thread(conversation.thread_key, conversation.kind, conversation.post_remote_id)
    if item.kind == InteractionKind.MESSAGE:
        return Thread(f"dm:{item.author_id}", ConversationKind.MESSAGE)
    if item.kind == InteractionKind.MENTION:
        return Thread(f"mention:{item.remote_id}", ConversationKind.MENTION)
    if item.post_remote_id:
        return Thread(f"post:{item.post_remote_id}", ConversationKind.COMMENTS, item.post_remote_id)
    root = item.in_reply_to_id or item.remote_id  # a comment on something not ours
    return Thread(f"comment:{root}", ConversationKind.COMMENTS)


def _conversation(channel: Channel, thread: Thread, first: Interaction, authors) -> Conversation:
    post_id, post_url = None, ""
    if thread.post_remote_id:
        post_id, post_url = posts_by_remote_id(
            channel=channel, remote_ids=[thread.post_remote_id]
        ).get(thread.post_remote_id, (None, ""))
    conversation, _created = Conversation.objects.get_or_create(
        channel=channel,
        thread_key=thread.key,
        defaults={
            "workspace_id": channel.workspace_id,
            "kind": thread.kind,
            "post_id": post_id,
            "post_remote_id": thread.post_remote_id,
            "post_url": post_url or (first.url if thread.post_remote_id else ""),
            "author_id": authors.get(author_key(first)),
            "last_message_at": first.created_at,
        },
    )
    return conversation


def messages_store(
    *, channel: Channel, interactions: Iterable[Interaction], new: set | None = None
) -> int:
    """Store the interactions not stored yet; return how many messages are new (and add
    ``(channel id, network id)`` of each to ``new`` when given)."""
    return messages_store_many([(channel, interactions)], new=new)


@transaction.atomic
def messages_store_many(
    batches: list[tuple[Channel, Iterable[Interaction]]], *, new: set | None = None
) -> int:
    """``messages_store`` for several channels at once (each channel's interactions), in
    one transaction.

    All at once in a few statements whatever the number of channels (``bulk_ingesting``);
    if another worker stored some of them meanwhile, the rest all at once again, and
    after ``BULK_TRIES`` conflicts each channel one at a time, skipping those."""
    wanted = [(channel, _unique(interactions)) for channel, interactions in batches]
    wanted = [(channel, items) for channel, items in wanted if items]
    if not wanted:
        return 0
    triaged: dict[int, Triage] = {}
    for _try in range(BULK_TRIES):
        fresh = _fresh(wanted)
        if not fresh:
            return 0
        texts = [item for batch in fresh for item in batch.fresh if id(item) not in triaged]
        triaged.update(zip(map(id, texts), triage_many(i.text for i in texts), strict=True))
        for batch in fresh:
            batch.triaged = [triaged[id(item)] for item in batch.fresh]
        try:
            with transaction.atomic():
                stored = bulk_ingesting.store(fresh, _thread_of)
            if new is not None:
                new.update((b.channel.pk, item.remote_id) for b in fresh for item in b.fresh)
            return stored
        except IntegrityError:  # another worker stored some meanwhile (now committed)
            continue  # read what is stored again, and store the rest all at once
    return sum(_one_at_a_time(batch, new) for batch in fresh)


def _fresh(wanted: list[tuple[Channel, list[Interaction]]]) -> list[ChannelItems]:
    """Each channel's items not stored yet, with the stored messages they may answer."""
    fresh = [
        ChannelItems(channel, [i for i in items if i.remote_id not in mine], [], mine)
        for (channel, items), mine in zip(wanted, _known(wanted), strict=True)
    ]
    return [batch for batch in fresh if batch.fresh]


def _unique(interactions: Iterable[Interaction]) -> list[Interaction]:
    """Each id once (a delivery sent twice in one batch), no reactions, oldest first."""
    unique = {i.remote_id: i for i in interactions if i.kind != InteractionKind.REACTION}
    return sorted(
        (i for i in unique.values() if i.remote_id), key=lambda i: (i.created_at, i.remote_id)
    )


def _known(wanted: list[tuple[Channel, list[Interaction]]]) -> list[dict[str, Message]]:
    """For each channel, its stored messages among the items and the ones they answer."""
    condition = Q()
    for channel, items in wanted:
        ids = {i.remote_id for i in items} | {i.in_reply_to_id for i in items if i.in_reply_to_id}
        condition |= Q(channel=channel, remote_id__in=ids)
    by_channel: dict[int, dict[str, Message]] = {channel.pk: {} for channel, _items in wanted}
    for message in Message.objects.filter(condition).select_related("conversation"):
        by_channel[message.channel_id][message.remote_id] = message
    return [by_channel[channel.pk] for channel, _items in wanted]


def _one_at_a_time(batch: ChannelItems, new: set | None) -> int:
    channel, fresh, known = batch.channel, batch.fresh, dict(batch.known)
    authors = authors_store(channel, fresh)
    conversations: dict[str, Conversation] = {}
    stored = 0
    for item, found in zip(fresh, batch.triaged, strict=True):
        thread = _thread_of(item, known)
        conversation = conversations.get(thread.key)
        if conversation is None:
            conversation = _conversation(channel, thread, item, authors)
            conversations[thread.key] = conversation
        message = bulk_ingesting.message_of(channel, item, found, conversation, known, authors)
        try:
            with transaction.atomic():  # another worker may have stored it meanwhile
                message.save(force_insert=True)
        except IntegrityError:
            continue
        known[item.remote_id] = message
        stored += _count(conversation, item, found)
        if new is not None:
            new.add((channel.pk, item.remote_id))
    authors_touch(authors)
    return stored


def _count(conversation: Conversation, item: Interaction, found: Triage) -> int:
    """A new message moves its conversation up, reopens it, counts in it, and may raise it."""
    updates: dict = {"message_count": F("message_count") + 1}
    if item.created_at >= conversation.last_message_at or conversation.message_count == 0:
        updates["last_message_at"] = item.created_at
        updates["preview"] = item.text[:PREVIEW_LENGTH]
        updates.update(language=found.language, sentiment=found.sentiment, intent=found.intent)
        conversation.last_message_at = item.created_at
    flags = priority_flags(item, found)
    if conversation.status == ConversationStatus.DONE:
        updates["status"] = ConversationStatus.OPEN
        updates["priority"] = flags  # done was done: the priority starts again
        conversation.status = ConversationStatus.OPEN
        conversation.priority = flags
    elif flags & ~conversation.priority:
        updates["priority"] = F("priority").bitor(flags)  # another worker may add its own
        conversation.priority |= flags
    Conversation.objects.filter(pk=conversation.pk).update(**updates)
    conversation.message_count += 1
    return 1
