"""The inbox's jobs (the row is the job) and, from ``threads``, its conversations.

``InboundEvent`` keeps a webhook delivery raw, as received; ``InboxPolling`` is the
job of reading one channel's interactions again and again; ``Reply`` is an answer
sent through the network exactly once.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.channels.selectors import credentials_load
from parvis.core import http
from parvis.core.tenancy import WorkspaceQuerySet
from parvis.engine.models import StateMachineModel
from parvis.inbox import events, polling, replying
from parvis.inbox.states import EventStates, PollingStates, ReplyStates
from parvis.inbox.threads import (
    Author,
    Conversation,
    ConversationKind,
    ConversationStatus,
    Direction,
    Message,
    Note,
    Presence,
    SavedReply,
    Tag,
)


def _new_key() -> str:
    return secrets.token_hex(16)


class Reply(StateMachineModel):
    """An answer written in Parvis: sent through the network exactly once."""

    graph = ReplyStates
    claim_related = ("conversation", "channel", "channel__workspace", "in_reply_to", "workspace")

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="inbox_replies"
    )
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="replies")
    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="+")
    in_reply_to = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("answer"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, unique=True, default=_new_key)
    attempt_started_at = models.DateTimeField(null=True, blank=True)
    message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="sent_reply"
    )

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="reply_due")]

    def __str__(self) -> str:
        return self.text[:60]

    calls_context = staticmethod(http.shared_connections)
    is_unsent_reply = True  # in a thread, beside messages: shown as pending or failed

    @classmethod
    def before_run(cls, replies: list[Reply]) -> None:
        """The batch's channel credentials in one query."""
        credentials_load(channels=[r.channel for r in replies])

    def handle_sending(self):
        return replying.send(self)

    def handle_retrying(self):
        return replying.send(self)

    def handle_verifying(self):
        return replying.verify(self)


class InboundEvent(StateMachineModel):
    """A webhook delivery, stored raw in the request that received it."""

    graph = EventStates

    network = models.CharField(max_length=40)
    headers = models.JSONField(default=dict)
    body = models.BinaryField()
    received_at = models.DateTimeField(auto_now_add=True)
    messages_stored = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="event_due")]

    def __str__(self) -> str:
        return f"{self.network} event {self.pk}"

    @classmethod
    def before_run(cls, batch: list[InboundEvent]) -> None:
        """The claimed deliveries read together, in a few statements per channel."""
        events.read_together(batch)

    def handle_received(self):
        return events.process(self)


class InboxPolling(StateMachineModel):
    """The job of reading one channel's new interactions, again and again."""

    graph = PollingStates
    claim_related = ("channel", "channel__workspace")

    channel = models.OneToOneField(
        "channels.Channel", on_delete=models.CASCADE, related_name="inbox_polling"
    )
    # The network's cursor: written only after the messages it led to are committed.
    cursor = models.CharField(max_length=500, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="polling_due")]

    def __str__(self) -> str:
        return f"inbox of {self.channel}"

    calls_context = staticmethod(http.shared_connections)

    @classmethod
    def before_run(cls, pollings: list[InboxPolling]) -> None:
        """The batch's channel credentials in one query."""
        credentials_load(channels=[p.channel for p in pollings])

    def handle_polling(self):
        return polling.poll(self)


__all__ = [
    "Author",
    "Conversation",
    "ConversationKind",
    "ConversationStatus",
    "Direction",
    "EventStates",
    "InboundEvent",
    "InboxPolling",
    "Message",
    "Note",
    "PollingStates",
    "Presence",
    "Reply",
    "SavedReply",
    "Tag",
]
