"""Text made comparable: lower case, no accents, words and emoji apart.

Comments are written fast: "decu" for "déçu", "dont" for "don't", curly apostrophes.
Matching is done on this normalised form, so a lexicon entry is written once,
without accents, and a phrase matches on word boundaries (" still waiting ").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

URL = re.compile(r"(https?://\S+|www\.\S+|\b[\w-]+\.(?:com|shop|biz|net|org|io|ly|xyz|fr)\b\S*)")
HANDLE = re.compile(r"@\w+")
NOT_WORD = re.compile(r"[^\w]+")
# Emoji and pictographs: the blocks people use in comments.
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2764]")


@dataclass(frozen=True)
class Text:
    raw: str
    words: tuple[str, ...]  # normalised words, in order
    padded: str  # " word word ... ": phrase lookups on word boundaries
    emoji: tuple[str, ...]
    has_url: bool
    letters: int  # how many letters: 0 means emoji, figures or punctuation only


def strip_accents(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read(raw: str) -> Text:
    lowered = raw.lower().replace("\u2019", "'").replace("can't", "cannot").replace("n't", " not")
    has_url = bool(URL.search(lowered))
    cleaned = HANDLE.sub(" ", URL.sub(" ", lowered))
    words = tuple(w for w in NOT_WORD.split(strip_accents(cleaned).replace("_", " ")) if w)
    return Text(
        raw=raw,
        words=words,
        padded=f" {' '.join(words)} ",
        emoji=tuple(EMOJI.findall(raw)),
        has_url=has_url,
        letters=sum(c.isalpha() for c in cleaned),
    )


def phrases_in(text: Text, phrases: dict[str, int]) -> int:
    """The sum of the weights of the phrases found in the text (each counted once)."""
    return sum(weight for phrase, weight in phrases.items() if f" {phrase} " in text.padded)
