"""The two ways of storing a batch (all at once; one at a time when another worker
stored some meanwhile) leave the same messages, conversations and authors."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from parvis.inbox import bulk_ingesting
from parvis.inbox.ingesting import messages_store
from parvis.inbox.models import Conversation, Message
from parvis.inbox.threads import Author
from parvis.networks.base import InteractionKind
from tests.inbox.test_ingesting import said

pytestmark = pytest.mark.django_db


def batch():
    return [
        said("c1", post_remote_id="p1", minutes=0, text="Vous livrez le dimanche ?"),
        said("c2", post_remote_id="p1", minutes=5, text="Commande jamais reçue, inadmissible !"),
        said(
            "c3",
            post_remote_id="p1",
            minutes=6,
            in_reply_to_id="c1",
            author_id="sbx-tom",
            author_handle="@tom",
            text="Moi aussi je veux savoir",
        ),
        said(
            "m1",
            InteractionKind.MENTION,
            minutes=7,
            author_id="",
            author_handle="@anon",
            text="Super boulangerie @lamiedoree",
        ),
        said("c2", post_remote_id="p1", minutes=5, text="Commande jamais reçue, inadmissible !"),
    ]


def snapshot():
    conversations = sorted(
        (
            c.thread_key,
            c.message_count,
            c.preview,
            c.language,
            c.sentiment,
            c.intent,
            c.priority,
            c.status,
            c.last_message_at,
        )
        for c in Conversation.objects.all()
    )
    messages = sorted(
        (
            m.remote_id,
            m.conversation.thread_key,
            m.parent.remote_id if m.parent else "",
            m.language,
            m.sentiment,
            m.intent,
            m.author.external_id if m.author else "",
        )
        for m in Message.objects.select_related("conversation", "parent", "author")
    )
    authors = sorted(
        (a.external_id, a.handle, a.first_seen_at, a.last_seen_at) for a in Author.objects.all()
    )
    return conversations, messages, authors


def test_one_at_a_time_stores_what_all_at_once_stores(channel, monkeypatch):
    items = batch()
    assert messages_store(channel=channel, interactions=items) == 4
    at_once = snapshot()
    Message.objects.all().delete()
    Conversation.objects.all().delete()
    Author.objects.all().delete()

    def refused(*args, **kwargs):
        raise IntegrityError("another worker stored one of them")

    monkeypatch.setattr(bulk_ingesting, "store", refused)
    assert messages_store(channel=channel, interactions=items) == 4
    assert snapshot() == at_once
    conversations, messages, _authors = at_once
    post = next(c for c in conversations if c[0] == "post:p1")
    newest = next(m for m in messages if m[0] == "c3")
    assert post[1] == 3 and post[3:6] == newest[3:6]  # the newest message's triage
    complaint = next(m for m in messages if m[0] == "c2")
    assert complaint[5] == "complaint" and post[6] != 0  # the complaint raised it
