"""GDPR: export everything Parvis holds about a person, and erase it.

Erasing removes the person's identity and words from every part of Parvis, not only
from the Community page:

- their messages keep their place in the threads (the network's id stays, so the
  same comment is not read in again) but lose their text, link and raw payload;
- their name, handle and network id are cut out of everything else in the
  conversations they took part in: the brand's answers (sent and unsent), other
  people's messages, the team's notes, the conversation previews and keys;
- the audit trail keeps what the team did, without the labels that quoted them;
- notifications that quoted them keep only the rest;
- the raw webhook deliveries that named them (kept for support) are deleted;
- their handles (inbox authors), tags, notes and the person are deleted, and the
  erasure itself is audit-logged with counts only.

If the person writes again later, they are met as someone new.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from parvis.accounts.models import User
from parvis.community.models import Person
from parvis.core.audit import AuditEvent, audit
from parvis.inbox.models import InboundEvent, Reply
from parvis.inbox.states import EventStates
from parvis.inbox.threads import Author, Conversation, Message, Note
from parvis.notifications.models import Notification

ERASED = "[…]"
PREVIEW_LENGTH = 140


def _when(value) -> str | None:
    return value.isoformat() if value else None


def person_export(*, person: Person, acting_user: User) -> dict[str, Any]:
    """Everything held about the person, as plain JSON-ready data (audit-logged)."""
    authors = list(Author.objects.filter(community_handle__person=person).order_by("id"))
    written = (
        Message.objects.filter(workspace=person.workspace, author__in=authors)
        .select_related("channel")
        .order_by("created_at", "id")
    )
    messages = []
    for message in written:
        answers = Message.objects.filter(parent=message, direction="out").order_by("created_at")
        messages.append(
            {
                "network": message.channel.network,
                "channel": message.channel.name,
                "conversation": message.conversation_id,
                "kind": message.kind,
                "text": message.text,
                "written_at": _when(message.created_at),
                "url": message.url,
                "hidden": message.hidden,
                "deleted_at": _when(message.deleted_at),
                "as_received": message.raw,
                "brand_answers": [
                    {"text": a.text, "sent_at": _when(a.created_at)} for a in answers
                ],
            }
        )
    conversation_ids = {m["conversation"] for m in messages}
    audit(verb="community.exported", workspace=person.workspace, actor=acting_user, target=person)
    return {
        "exported_at": _when(timezone.now()),
        "workspace": person.workspace.name,
        "person": {
            "name": person.name,
            "first_seen_at": _when(person.first_seen_at),
            "last_seen_at": _when(person.last_seen_at),
            "messages": person.message_count,
            "engagement_score": person.score,
            "tags": [t.name for t in person.tags.all()],
        },
        "handles": [
            {
                "network": a.network,
                "id_on_network": a.external_id,
                "handle": a.handle,
                "name": a.name,
                "first_seen_at": _when(a.first_seen_at),
                "last_seen_at": _when(a.last_seen_at),
            }
            for a in authors
        ],
        "messages": messages,
        "notes_about_them": [
            {"text": n.text, "written_at": _when(n.created_at)} for n in person.notes.all()
        ],
        "team_notes_in_their_conversations": [
            {"conversation": n.conversation_id, "text": n.text, "written_at": _when(n.created_at)}
            for n in Note.objects.filter(conversation_id__in=conversation_ids).order_by("id")
        ],
    }


@dataclass(frozen=True)
class Erasure:
    handles: int
    messages: int
    conversations: int


def _identity(person: Person, authors: list[Author]) -> list[str]:
    words = {person.name}
    for author in authors:
        words |= {author.name, author.handle, author.handle.lstrip("@"), author.external_id}
        first = author.name.split()[0] if author.name.split() else ""
        words.add(first if len(first) >= 3 else "")
    return sorted((w for w in words if w and len(w) >= 2), key=len, reverse=True)


def _redactor(words: list[str]):
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None

    def redact(text: str) -> str:
        return pattern.sub(ERASED, text) if pattern and text else text

    def redact_json(value: Any) -> Any:
        return json.loads(redact(json.dumps(value, ensure_ascii=False))) if value else value

    return redact, redact_json


@transaction.atomic
def person_erase(*, person: Person, acting_user: User) -> Erasure:
    workspace = person.workspace
    authors = list(Author.objects.filter(community_handle__person=person))
    words = _identity(person, authors)
    redact, redact_json = _redactor(words)
    theirs = Message.objects.filter(workspace=workspace, author__in=authors)
    their_ids = set(theirs.values_list("pk", flat=True))
    conversations = list(
        Conversation.objects.in_workspace(workspace).filter(
            Q(pk__in=theirs.values("conversation_id")) | Q(author__in=authors)
        )
    )
    conversation_ids = [c.pk for c in conversations]
    their_texts = {t.strip() for t in theirs.values_list("text", flat=True) if len(t.strip()) >= 8}
    quoted = sorted(their_texts | {t[:40] for t in their_texts}, key=len, reverse=True)
    theirs.update(text="", raw={}, url="")
    for message in Message.objects.filter(conversation_id__in=conversation_ids).exclude(
        pk__in=their_ids
    ):
        message.text, message.raw = redact(message.text), redact_json(message.raw)
        message.save(update_fields=["text", "raw"])
    replies = Reply.objects.filter(Q(conversation_id__in=conversation_ids))
    for reply in replies:
        reply.text = redact(reply.text)
        reply.last_error, reply.last_error_detail = "", ""
        reply.save(update_fields=["text", "last_error", "last_error_detail"])
    for note in Note.objects.filter(conversation_id__in=conversation_ids):
        note.text = redact(note.text)
        note.save(update_fields=["text"])
    for conversation in conversations:
        latest = conversation.messages.order_by("-created_at", "-id").first()
        conversation.preview = latest.text[:PREVIEW_LENGTH] if latest else ""
        if conversation.thread_key.startswith("dm:"):
            conversation.thread_key = f"dm:erased-{conversation.pk}"
        conversation.save(update_fields=["preview", "thread_key"])
    targets = Q(target_type="community.person", target_id=str(person.pk))
    for label, ids in (
        ("inbox.message", their_ids),
        ("inbox.conversation", conversation_ids),
        ("inbox.reply", replies.values_list("pk", flat=True)),
        ("inbox.note", Note.objects.filter(conversation_id__in=conversation_ids).values("pk")),
    ):
        targets |= Q(target_type=label, target_id__in=[str(i) for i in _ids(ids)])
    AuditEvent.objects.filter(workspace=workspace).filter(targets).update(target_label="")
    for event in _audit_naming(workspace, words):
        label, data = redact(event.target_label), redact_json(event.data)
        if (label, data) != (event.target_label, event.data):
            event.target_label, event.data = label, data
            event.save(update_fields=["target_label", "data"])
    _redact_notifications(workspace, words + quoted)
    _forget_deliveries(authors)
    erasure = Erasure(len(authors), len(their_ids), len(conversation_ids))
    person_id = person.pk
    Author.objects.filter(pk__in=[a.pk for a in authors]).delete()  # handles go with them
    person.delete()
    audit(
        verb="community.erased",
        workspace=workspace,
        actor=acting_user,
        person=person_id,
        handles=erasure.handles,
        messages=erasure.messages,
        conversations=erasure.conversations,
    )
    return erasure


def _audit_naming(workspace, words: list[str]):
    """The workspace's audit events whose label or data quote one of the words."""
    naming = Q()
    for word in words:
        escaped = json.dumps(word)[1:-1]  # how SQLite's JSON text spells accents
        naming |= Q(target_label__icontains=word) | Q(data_text__icontains=word)
        naming |= Q(data_text__icontains=escaped)
    if not words:
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(workspace=workspace)
        .annotate(data_text=Cast("data", TextField()))
        .filter(naming)
    )


def _redact_notifications(workspace, words: list[str]) -> None:
    """Notifications quoting them (their words, their name) keep only the rest."""
    redact, _redact_json = _redactor(words)
    naming = Q()
    for word in words:
        naming |= Q(title__icontains=word) | Q(body__icontains=word)
    if not words:
        return
    for notification in Notification.objects.filter(workspace=workspace).filter(naming):
        notification.title, notification.body = (
            redact(notification.title),
            redact(notification.body),
        )
        notification.save(update_fields=["title", "body"])


def _ids(values) -> list[int]:
    return [v if isinstance(v, int) else v["pk"] for v in values]


def _forget_deliveries(authors: list[Author]) -> None:
    """Delete the raw webhook deliveries, already read, that carry one of their network ids."""
    read = [EventStates.processed.name, EventStates.rejected.name]
    for network in {a.network for a in authors}:
        ids = [a.external_id.encode() for a in authors if a.network == network]
        naming = [
            event.pk
            for event in InboundEvent.objects.filter(network=network, state__in=read).only("body")
            if any(i in bytes(event.body) for i in ids)
        ]
        InboundEvent.objects.filter(pk__in=naming).delete()
