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

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from parvis.channels.models import Channel
from parvis.inbox.threads import (
    Author,
    Conversation,
    ConversationKind,
    ConversationStatus,
    Message,
)
from parvis.inbox.triage import Triage, triage_many
from parvis.inbox.triage.priority import followers_of, message_priority
from parvis.networks.base import Interaction, InteractionKind
from parvis.publishing.selectors import posts_by_remote_id

PREVIEW_LENGTH = 140


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


def _author_key(item: Interaction) -> str:
    """Who wrote it: the network's id, or, where the network names the author only by
    handle (Instagram's mentions), that handle; "" when nothing says who."""
    if item.author_id:
        return item.author_id
    handle = item.author_handle.strip().lstrip("@")
    return f"@{handle}" if handle else ""


def _authors(channel: Channel, items: list[Interaction]) -> dict[str, Author]:
    rows: dict[str, Author] = {}
    for item in sorted(items, key=lambda i: i.created_at):  # the newest name and handle win
        key = _author_key(item)
        if not key:
            continue
        seen = rows.get(key)
        rows[key] = Author(
            workspace_id=channel.workspace_id,
            network=channel.network,
            external_id=key,
            handle=item.author_handle,
            name=item.author_name,
            first_seen_at=seen.first_seen_at if seen else item.created_at,
            last_seen_at=item.created_at,
        )
    Author.objects.bulk_create(rows.values(), ignore_conflicts=True)
    authors = Author.objects.filter(
        workspace_id=channel.workspace_id, network=channel.network, external_id__in=list(rows)
    )
    found = {author.external_id: author for author in authors}
    for external_id, seen in rows.items():
        author = found[external_id]
        before = (author.handle, author.name, author.first_seen_at, author.last_seen_at)
        if seen.last_seen_at >= author.last_seen_at:  # the newest name and handle win
            author.handle, author.name = seen.handle, seen.name
        author.first_seen_at = min(author.first_seen_at, seen.first_seen_at)
        author.last_seen_at = max(author.last_seen_at, seen.last_seen_at)
        if (author.handle, author.name, author.first_seen_at, author.last_seen_at) != before:
            author.save(update_fields=["handle", "name", "first_seen_at", "last_seen_at"])
    return found


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
            "author": authors.get(_author_key(first)),
            "last_message_at": first.created_at,
        },
    )
    return conversation


@transaction.atomic
def messages_store(*, channel: Channel, interactions: Iterable[Interaction]) -> int:
    """Store the interactions not stored yet; return how many messages are new."""
    items = sorted(
        (i for i in interactions if i.kind != InteractionKind.REACTION and i.remote_id),
        key=lambda i: (i.created_at, i.remote_id),
    )
    if not items:
        return 0
    wanted = {i.remote_id for i in items} | {i.in_reply_to_id for i in items if i.in_reply_to_id}
    known = {
        m.remote_id: m
        for m in Message.objects.filter(channel=channel, remote_id__in=wanted).select_related(
            "conversation"
        )
    }
    fresh = [i for i in items if i.remote_id not in known]
    if not fresh:
        return 0
    authors = _authors(channel, fresh)
    conversations: dict[str, Conversation] = {}
    stored = 0
    triaged = triage_many(item.text for item in fresh)
    for item, found in zip(fresh, triaged, strict=True):
        thread = _thread_of(item, known)
        conversation = conversations.get(thread.key)
        if conversation is None:
            conversation = _conversation(channel, thread, item, authors)
            conversations[thread.key] = conversation
        message = Message(
            workspace_id=channel.workspace_id,
            conversation=conversation,
            channel=channel,
            remote_id=item.remote_id,
            kind=str(item.kind),
            author=authors.get(_author_key(item)),
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
        try:
            with transaction.atomic():  # another worker may have stored it meanwhile
                message.save(force_insert=True)
        except IntegrityError:
            continue
        known[item.remote_id] = message
        stored += _count(conversation, item, found)
    return stored


def _count(conversation: Conversation, item: Interaction, found: Triage) -> int:
    """A new message moves its conversation up, reopens it, counts in it, and may raise it."""
    updates: dict = {"message_count": F("message_count") + 1}
    if item.created_at >= conversation.last_message_at or conversation.message_count == 0:
        updates["last_message_at"] = item.created_at
        updates["preview"] = item.text[:PREVIEW_LENGTH]
        updates.update(language=found.language, sentiment=found.sentiment, intent=found.intent)
        conversation.last_message_at = item.created_at
    flags = message_priority(
        intent=found.intent,
        followers=followers_of(item.raw),
        large_audience=settings.PARVIS_INBOX_LARGE_AUDIENCE,
    )
    if item.raw.get("hidden", False):
        flags = 0  # a comment hidden on the network is not waiting for an answer
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
