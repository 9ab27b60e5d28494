"""Triage: the language, sentiment and intent of a message, and a conversation's priority.

Method (documented for the README's Inbox section, measured by ``bench/triage.py``
on the labelled set in ``tests/inbox/triage/labelled.jsonl``):

- **Language** (``language.py``): French and English function words decide short
  texts; otherwise py3langid, restricted to seven European languages. No letters
  (emoji only) is "other".
- **Sentiment** (``rules.py``): a lexicon of French and English words and
  phrases with weights (``lexicon.py``), written without accents so "decu" and
  "déçu" match; a negation ("not", "pas", "jamais"...) turns the three words after
  it; set phrases ("pas mal", "not bad", "rien à redire") are read whole; emoji
  count too.
- **Intent**, in this order: spam (promotion phrases, messaging apps, links:
  enough weight makes spam), complaint (a reported problem: "still waiting",
  "remboursement", "charged twice"..., or strongly negative words; praise words
  beside a problem or an eye-roll emoji are irony and count as a complaint),
  question ("?", a question word first, or phrases like "je cherche",
  "wondering"), praise (positive and none of the above), else other.

Everything is plain Python over word lists: about a hundred thousand messages a
second for the rules, the language model loads once per process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from parvis.inbox.triage.language import detect_language
from parvis.inbox.triage.rules import classify
from parvis.inbox.triage.text import read


@dataclass(frozen=True)
class Triage:
    language: str  # "fr", "en", "other"
    sentiment: str  # "positive", "neutral", "negative"
    intent: str  # "question", "complaint", "praise", "spam", "other"


NOTHING = Triage(language="", sentiment="", intent="")


def triage(raw: str) -> Triage:
    """One message's language, sentiment and intent; empty text gives empty values."""
    if not raw.strip():
        return NOTHING
    text = read(raw)
    sentiment, intent = classify(text)
    return Triage(language=detect_language(text), sentiment=sentiment, intent=intent)


def triage_many(raws: Iterable[str]) -> list[Triage]:
    return [triage(raw) for raw in raws]
