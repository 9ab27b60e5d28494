"""Triage stored with each message at ingestion, the conversation's priority, and the backfill."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from parvis.inbox.ingesting import messages_store
from parvis.inbox.threads import Conversation, Direction, Message
from parvis.inbox.triage.priority import COMPLAINT, LARGE_AUDIENCE, QUESTION
from parvis.networks.base import Interaction, InteractionKind

pytestmark = pytest.mark.django_db


def comment(remote_id, text, *, minutes=0, followers=None, author="sbx-lea") -> Interaction:
    return Interaction(
        remote_id=remote_id,
        kind=InteractionKind.COMMENT,
        author_id=author,
        author_name=author.title(),
        author_handle="@" + author,
        text=text,
        created_at=timezone.now() - timedelta(hours=1) + timedelta(minutes=minutes),
        post_remote_id="post-1",
        raw={} if followers is None else {"followers": followers},
    )


def test_each_message_is_stored_with_its_language_sentiment_and_intent(channel):
    messages_store(
        channel=channel,
        interactions=[
            comment("c1", "Vous livrez à Lyon ?"),
            comment("c2", "Still waiting on my refund, this is ridiculous", minutes=1),
        ],
    )
    found = {m.remote_id: (m.language, m.sentiment, m.intent) for m in Message.objects.all()}
    assert found == {
        "c1": ("fr", "neutral", "question"),
        "c2": ("en", "negative", "complaint"),
    }
    conversation = Conversation.objects.get()
    # The conversation shows its latest message's triage and collects the priorities.
    assert (conversation.language, conversation.sentiment, conversation.intent) == (
        "en",
        "negative",
        "complaint",
    )
    assert conversation.priority == COMPLAINT | QUESTION


def test_an_author_with_a_large_audience_raises_the_priority(channel, settings):
    settings.PARVIS_INBOX_LARGE_AUDIENCE = 5000
    messages_store(channel=channel, interactions=[comment("c1", "Love it", followers=4999)])
    assert Conversation.objects.get().priority == 0
    messages_store(
        channel=channel, interactions=[comment("c2", "Love it", followers=5000, minutes=1)]
    )
    assert Conversation.objects.get().priority == LARGE_AUDIENCE


def test_a_conversation_reopened_after_done_starts_its_priority_again(channel):
    messages_store(channel=channel, interactions=[comment("c1", "Arnaque, jamais reçu")])
    Conversation.objects.update(status="done")
    messages_store(channel=channel, interactions=[comment("c2", "Merci !", minutes=5)])
    conversation = Conversation.objects.get()
    assert (conversation.status, conversation.priority) == ("open", 0)


def test_the_command_triages_messages_stored_before_triage(channel):
    messages_store(
        channel=channel,
        interactions=[
            comment("c1", "Is it dishwasher safe?"),
            comment("c2", "Colis perdu, je veux être remboursée", minutes=1),
        ],
    )
    Message.objects.update(language="", sentiment="", intent="")
    Conversation.objects.update(language="", sentiment="", intent="", priority=0)
    call_command("inbox_triage", stdout=StringIO())
    assert sorted(Message.objects.values_list("intent", flat=True)) == ["complaint", "question"]
    conversation = Conversation.objects.get()
    assert (conversation.intent, conversation.priority) == ("complaint", COMPLAINT | QUESTION)


def test_the_command_leaves_out_what_the_brand_answered(channel):
    messages_store(channel=channel, interactions=[comment("c1", "Arnaque, jamais reçu")])
    conversation = Conversation.objects.get()
    Message.objects.create(
        workspace=conversation.workspace,
        conversation=conversation,
        channel=channel,
        remote_id="answer",
        kind="reply",
        direction=Direction.OUT,
        text="Nous sommes désolés, nous regardons cela.",
        created_at=timezone.now(),
    )
    messages_store(channel=channel, interactions=[comment("c2", "Merci beaucoup !", minutes=59)])
    call_command("inbox_triage", "--all", stdout=StringIO())
    assert Message.objects.get(remote_id="answer").sentiment == ""  # the brand's own
    assert Conversation.objects.get().priority == 0  # the complaint was answered


def test_a_comment_hidden_on_the_network_raises_nothing(channel):
    hidden = comment("c1", "Arnaque, jamais reçu")
    hidden.raw["hidden"] = True
    messages_store(channel=channel, interactions=[hidden])
    assert Message.objects.get().intent == "complaint"
    assert Conversation.objects.get().priority == 0
