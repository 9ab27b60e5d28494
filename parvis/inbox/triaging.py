"""Triage stored messages again: those stored before triage existed, or after a lexicon change.

Ingestion triages each new message as it stores it (``ingesting``); this module
does the same for messages already stored, in batches, then recomputes each
touched conversation's triage (its latest received message's) and priority (the
flags of the messages received since the brand last answered in it).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from parvis.accounts.models import Workspace
from parvis.inbox.threads import Conversation, Direction, Message
from parvis.inbox.triage import triage_many
from parvis.inbox.triage.priority import followers_of, message_priority

BATCH = 1000


def _batches(rows: QuerySet[Message], size: int) -> Iterator[list[Message]]:
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def messages_triage(
    *, workspace: Workspace | None = None, everything: bool = False, batch: int = BATCH
) -> int:
    """Triage received messages not triaged yet (or all with ``everything``); return how many."""
    rows = Message.objects.filter(direction=Direction.IN).exclude(text="")
    if workspace is not None:
        rows = rows.filter(workspace=workspace)
    if not everything:
        rows = rows.filter(sentiment="")
    done = 0
    for messages in _batches(rows.only("pk", "text", "conversation_id"), batch):
        for message, found in zip(messages, triage_many(m.text for m in messages), strict=True):
            message.language, message.sentiment, message.intent = (
                found.language,
                found.sentiment,
                found.intent,
            )
        with transaction.atomic():
            Message.objects.bulk_update(messages, ["language", "sentiment", "intent"])
            conversations_retriage(ids={m.conversation_id for m in messages})
        done += len(messages)
    return done


def conversations_retriage(*, ids: set[int]) -> None:
    """Set each conversation's triage and priority from its stored messages."""
    large = settings.PARVIS_INBOX_LARGE_AUDIENCE
    for conversation in Conversation.objects.filter(pk__in=ids):
        messages = list(
            conversation.messages.filter(deleted_at__isnull=True)
            .order_by("created_at", "id")
            .only("direction", "hidden", "intent", "language", "sentiment", "raw")
        )
        received = [m for m in messages if m.direction == Direction.IN]
        answered = [i for i, m in enumerate(messages) if m.direction == Direction.OUT]
        since = messages[answered[-1] + 1 :] if answered else messages
        priority = 0
        for message in since:
            if message.direction == Direction.IN and not message.hidden:
                priority |= message_priority(
                    intent=message.intent, followers=followers_of(message.raw), large_audience=large
                )
        latest = received[-1] if received else None
        Conversation.objects.filter(pk=conversation.pk).update(
            priority=priority,
            language=latest.language if latest else "",
            sentiment=latest.sentiment if latest else "",
            intent=latest.intent if latest else "",
        )
