"""Text made comparable: lower case, no accents, words and emoji apart.

Comments are written fast: "decu" for "déçu", "dont" for "don't", curly apostrophes.
Matching is done on this normalised form, so a lexicon entry is written once,
without accents, and a phrase matches whole words only: its words one after the
other, looked up among the text's runs of words that begin like a lexicon phrase,
which keeps triage fast whatever the size of the lexicon.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from parvis.inbox.triage.lexicon import PHRASE_STARTS

URL = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+\.(?:com|shop|biz|net|org|io|ly|xyz)\b\S*")
HANDLE = re.compile(r"@\w+")
NOT_WORD = re.compile(r"[\W_]+")
LETTER = re.compile(r"[^\W\d_]")
# Emoji and pictographs: the blocks people use in comments.
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2764]")


@dataclass(frozen=True)
class Text:
    raw: str
    words: tuple[str, ...]  # normalised words, in order
    emoji: tuple[str, ...]
    has_url: bool
    has_letters: bool  # False: emoji, figures or punctuation only
    # Each word and each run of words that starts a lexicon phrase -> where it starts.
    sequences: dict[str, list[int]] = field(repr=False, default_factory=dict)


def strip_accents(value: str) -> str:
    if value.isascii():
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _sequences(words: tuple[str, ...]) -> dict[str, list[int]]:
    """Each word, and each run of words that could be a lexicon phrase -> where it starts."""
    found: dict[str, list[int]] = {}
    for start, word in enumerate(words):
        found.setdefault(word, []).append(start)
        longest = PHRASE_STARTS.get(word, 0)
        for end in range(start + 2, min(start + longest, len(words)) + 1):
            found.setdefault(" ".join(words[start:end]), []).append(start)
    return found


def read(raw: str) -> Text:
    lowered = raw.lower().replace("\u2019", "'").replace("can't", "cannot").replace("n't", " not")
    has_url = "." in lowered and bool(URL.search(lowered))
    cleaned = URL.sub(" ", lowered) if has_url else lowered
    if "@" in cleaned:
        cleaned = HANDLE.sub(" ", cleaned)
    words = tuple(w for w in NOT_WORD.split(strip_accents(cleaned)) if w)
    return Text(
        raw=raw,
        words=words,
        emoji=tuple(EMOJI.findall(raw)),
        has_url=has_url,
        has_letters=bool(LETTER.search(cleaned)),
        sequences=_sequences(words),
    )


def phrases_in(text: Text, phrases: Mapping[str, int]) -> int:
    """The sum of the weights of the phrases found in the text (each counted once)."""
    return sum(phrases[s] for s in text.sequences if s in phrases)


def phrase_spans(text: Text, phrases: Mapping[str, int]) -> set[int]:
    """The positions of the words that belong to one of the phrases found."""
    covered: set[int] = set()
    for sequence, starts in text.sequences.items():
        if sequence in phrases:
            size = sequence.count(" ") + 1
            for start in starts:
                covered.update(range(start, start + size))
    return covered
