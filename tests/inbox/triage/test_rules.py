"""What triage says of typical messages, each rule on its own."""

from __future__ import annotations

import pytest

from parvis.inbox.triage import NOTHING, triage
from parvis.inbox.triage.priority import (
    COMPLAINT,
    LARGE_AUDIENCE,
    QUESTION,
    followers_of,
    message_priority,
    reasons,
)


@pytest.mark.parametrize(
    ("text", "language", "sentiment", "intent"),
    [
        ("Toujours pas reçu ma commande, personne ne répond", "fr", "negative", "complaint"),
        ("Still waiting on my refund", "en", "negative", "complaint"),
        ("Vous livrez en Suisse", "fr", "neutral", "question"),
        ("wondering if it fits a 15 inch laptop", "en", "neutral", "question"),
        ("Trop bien, merci !", "fr", "positive", "praise"),
        ("Pas déçu du tout", "fr", "positive", "praise"),
        ("not bad at all", "en", "positive", "praise"),
        ("Free followers, link in bio", "en", "neutral", "spam"),
        ("Great, another delay 🙄", "en", "negative", "complaint"),
        ("😍😍", "other", "positive", "praise"),
        ("See you on Saturday", "en", "neutral", "other"),
    ],
)
def test_typical_messages(text, language, sentiment, intent):
    found = triage(text)
    assert (found.language, found.sentiment, found.intent) == (language, sentiment, intent)


def test_empty_text_has_no_triage():
    assert triage("   ") == NOTHING


def test_accents_and_curly_apostrophes_do_not_matter():
    assert triage("Très déçue, c\u2019est nul") == triage("Tres decue, c'est nul")


def test_priority_puts_complaints_before_questions_before_large_audiences():
    complaint = message_priority(intent="complaint", followers=None, large_audience=10_000)
    question = message_priority(intent="question", followers=None, large_audience=10_000)
    famous = message_priority(intent="praise", followers=50_000, large_audience=10_000)
    assert complaint > question | famous and question > famous > 0
    assert complaint == COMPLAINT and question == QUESTION and famous == LARGE_AUDIENCE
    assert message_priority(intent="spam", followers=50_000, large_audience=10_000) == 0
    assert reasons(COMPLAINT | LARGE_AUDIENCE) == ["complaint", "audience"]


def test_followers_only_when_the_network_gives_a_number():
    assert followers_of({"followers": 1200}) == 1200
    assert followers_of({"followers": "many"}) is None
    assert followers_of({"followers": True}) is None
    assert followers_of({}) is None
