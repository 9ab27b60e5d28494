"""The word lists triage reads, kept in ``lexicon.txt`` beside this module.

A list is a section (``[positive]``); each line is a word or phrase, then its
weight when the list has weights (1 mild, 2 strong). Written without accents:
matching is done on normalised text (``text.read``).
"""

from __future__ import annotations

from pathlib import Path

SOURCE = Path(__file__).with_name("lexicon.txt")


def _sections(source: str) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    current: dict[str, int] | None = None
    for line in source.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = found.setdefault(line[1:-1], {})
            continue
        if current is None:
            raise ValueError(f"{SOURCE.name}: {line!r} comes before any [section].")
        entry, _, weight = line.rpartition(" ")
        if entry and weight.lstrip("-").isdigit():
            current[entry] = int(weight)
        else:
            current[line] = 1
    return found


_LISTS = _sections(SOURCE.read_text(encoding="utf-8"))

POSITIVE = _LISTS["positive"]
NEGATIVE = _LISTS["negative"]
SET_PHRASES = _LISTS["set phrases"]
NEGATORS = frozenset(_LISTS["negators"])
PROBLEM = _LISTS["problem"]
IRONIC_EMOJI = frozenset(_LISTS["ironic emoji"])
POSITIVE_EMOJI = frozenset(_LISTS["positive emoji"])
NEGATIVE_EMOJI = frozenset(_LISTS["negative emoji"])
QUESTION_STARTS = frozenset(_LISTS["question starts"])
QUESTION_PHRASES = _LISTS["question phrases"]
SPAM = _LISTS["spam"]
FRENCH_WORDS = frozenset(_LISTS["french words"])
ENGLISH_WORDS = frozenset(_LISTS["english words"])
SHARED_WORDS = frozenset(_LISTS["shared words"])


def _phrase_starts(lists: dict[str, dict[str, int]]) -> dict[str, int]:
    """First word of each phrase of several words -> the most words such a phrase has."""
    starts: dict[str, int] = {}
    for entries in lists.values():
        for entry in entries:
            words = entry.split()
            if len(words) > 1:
                starts[words[0]] = max(starts.get(words[0], 0), len(words))
    return starts


PHRASE_STARTS = _phrase_starts(_LISTS)

SPAM_AT = 2  # this much spam weight (a link counts 1) makes a message spam
