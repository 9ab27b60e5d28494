"""Sentiment and intent by lexicons and rules (the method is in ``__init__``)."""

from __future__ import annotations

from parvis.inbox.triage import lexicon
from parvis.inbox.triage.text import Text, phrase_spans, phrases_in

POSITIVE = "positive"
NEUTRAL = "neutral"
NEGATIVE = "negative"

QUESTION = "question"
COMPLAINT = "complaint"
PRAISE = "praise"
SPAM = "spam"
OTHER = "other"

NEGATION_REACH = 3  # a "not" turns the next three words around
MULTI_POSITIVE = {k: v for k, v in lexicon.POSITIVE.items() if " " in k}
MULTI_NEGATIVE = {k: v for k, v in lexicon.NEGATIVE.items() if " " in k}
READ_WHOLE = {**lexicon.SET_PHRASES, **MULTI_POSITIVE, **MULTI_NEGATIVE}
STRONGLY_NEGATIVE = -4  # this negative without a reported problem is still a complaint


def _polarity(text: Text) -> int:
    """Positive words minus negative ones, a negation turning the words after it.

    Set phrases and multi-word entries are read whole first, then taken out.
    """
    score = phrases_in(text, lexicon.SET_PHRASES)
    score += phrases_in(text, MULTI_POSITIVE) - phrases_in(text, MULTI_NEGATIVE)
    covered = phrase_spans(text, READ_WHOLE)
    negated_until = -1
    for at, word in enumerate(text.words):
        if at in covered:
            continue
        if word in lexicon.NEGATORS:
            negated_until = at + NEGATION_REACH
            continue
        weight = lexicon.POSITIVE.get(word, 0) - lexicon.NEGATIVE.get(word, 0)
        score += -weight if at <= negated_until else weight
    score += sum(1 for e in text.emoji if e in lexicon.POSITIVE_EMOJI)
    score -= 2 * sum(1 for e in text.emoji if e in lexicon.NEGATIVE_EMOJI)
    return score


def _problem(text: Text) -> int:
    """How strongly the text reports a problem ("pas déçu" does not)."""
    covered = phrase_spans(text, lexicon.SET_PHRASES)
    if not covered:
        return phrases_in(text, lexicon.PROBLEM)
    return sum(
        lexicon.PROBLEM[sequence]
        for sequence, starts in text.sequences.items()
        if sequence in lexicon.PROBLEM and any(start not in covered for start in starts)
    )


def _ironic(text: Text) -> bool:
    return any(e in lexicon.IRONIC_EMOJI for e in text.emoji) or '"' in text.raw


def _question(text: Text) -> bool:
    if "?" in text.raw or "\u00bf" in text.raw:
        return True
    if text.words and text.words[0] in lexicon.QUESTION_STARTS and len(text.words) > 1:
        return True
    return phrases_in(text, lexicon.QUESTION_PHRASES) >= 2


def spam_weight(text: Text) -> int:
    return phrases_in(text, lexicon.SPAM) + (1 if text.has_url else 0)


def classify(text: Text) -> tuple[str, str]:
    """(sentiment, intent) of one message."""
    polarity = _polarity(text)
    problem = _problem(text)
    ironic = _ironic(text)
    if spam_weight(text) >= lexicon.SPAM_AT:
        return NEUTRAL, SPAM
    # A problem reported, even in praise words ("Great, another delay"), is a complaint.
    complaint = (
        problem >= 2 or (problem >= 1 and (polarity < 0 or ironic)) or polarity <= STRONGLY_NEGATIVE
    )
    if complaint:
        return NEGATIVE, COMPLAINT
    if ironic and polarity > 0 and problem:
        return NEGATIVE, COMPLAINT
    sentiment = POSITIVE if polarity > 0 else NEGATIVE if polarity < 0 else NEUTRAL
    if _question(text):
        return sentiment, QUESTION
    if sentiment == POSITIVE and polarity >= 1:
        return POSITIVE, PRAISE
    return sentiment, OTHER
