"""The composer's previews: a post's text as each chosen channel's feed shows it.

The text is cut into pieces at the offsets the text rules' extractors find (links,
hashtags, mentions), at the feed's "… more" fold and where the network's limit is
passed. The template escapes every piece; nothing here marks text as safe.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from parvis.channels.models import Channel
from parvis.channels.selectors import channel_label
from parvis.networks import registry
from parvis.networks.base import FeedDisplay, Network, TextMeasure, TextRules
from parvis.networks.textrules.extract import extract_hashtags, extract_mentions, extract_urls
from parvis.networks.textrules.measure import count_length


@dataclass(frozen=True)
class Piece:
    text: str  # as the feed shows it (a link on X: cut to its display length)
    kind: str = "text"  # "text", "link", "hashtag" or "mention"
    full: str = ""  # a link's whole address, when it is shown cut
    over: bool = False  # past the network's limit: would be refused


@dataclass(frozen=True)
class Preview:
    channel: Channel
    network: Network
    label: str  # the channel's network, e.g. "Sandbox · X"
    display: FeedDisplay
    measure: TextMeasure
    shown: tuple[Piece, ...]  # what the feed shows
    folded: tuple[Piece, ...]  # what it hides behind "… more"
    adapted: bool  # the channel's own text (a variant), not the shared one

    @property
    def over_limit(self) -> bool:
        return any(p.over for p in (*self.shown, *self.folded))


@dataclass(frozen=True)
class _Entity:
    start: int
    end: int
    kind: str


def _entities(text: str) -> list[_Entity]:
    """Links, hashtags and mentions, in order, none overlapping (a link wins)."""
    found = [_Entity(u.start, u.end, "link") for u in extract_urls(text)]
    # Hashtags inside a link are dropped below with the other overlaps: no second URL pass.
    found += [_Entity(h.start, h.end, "hashtag") for h in extract_hashtags(text, check_urls=False)]
    found += [_Entity(m.start, m.end, "mention") for m in extract_mentions(text)]
    found.sort(key=lambda e: (e.start, e.kind != "link"))
    kept: list[_Entity] = []
    for entity in found:
        if not kept or entity.start >= kept[-1].end:
            kept.append(entity)
    return kept


def _limit_index(text: str, rules: TextRules) -> int | None:
    """Where the text passes the network's limit (the longest prefix that fits), or None."""
    if count_length(text, rules) <= rules.max_length:
        return None
    if rules.counting == "characters" and rules.url_length is None:
        return rules.max_length  # one code point, one character: no search needed
    low, high = 0, len(text)  # count(text[:low]) fits, count(text[:high]) does not
    while high - low > 1:
        middle = (low + high) // 2
        if count_length(text[:middle], rules) <= rules.max_length:
            low = middle
        else:
            high = middle
    return low


def _fold_index(text: str, display: FeedDisplay) -> int | None:
    """Where the feed's "… more" comes (by characters or lines, the first reached)."""
    cut = len(text)
    if display.fold_characters is not None:
        cut = min(cut, display.fold_characters)
    if display.fold_lines is not None:
        position = -1
        for _line in range(display.fold_lines):
            position = text.find("\n", position + 1)
            if position < 0:
                break
        if position >= 0:
            cut = min(cut, position)
    return cut if text[cut:].strip() else None


def _snap(index: int | None, entities: list[_Entity]) -> int | None:
    """A cut never splits a link, hashtag or mention: it moves to the entity's start."""
    if index is None:
        return None
    for entity in entities:
        if entity.start < index < entity.end:
            return entity.start
    return index


def _link_text(url: str, display: FeedDisplay) -> tuple[str, str]:
    """How the feed shows a link: on X without its scheme, cut with "…" to 23 characters."""
    length = display.link_display_length
    if length is None:
        return url, ""
    shown = url.split("://", 1)[1] if "://" in url else url
    if len(shown) > length:
        return shown[: length - 1] + "…", url
    return shown, url


def _pieces(
    text: str, entities: list[_Entity], cuts: set[int], limit: int | None, display: FeedDisplay
) -> list[tuple[int, Piece]]:
    """The text as pieces, each with its start, split at every cut and entity."""
    bounds = sorted({0, len(text), *cuts, *(e.start for e in entities), *(e.end for e in entities)})
    kinds = {e.start: e for e in entities}
    pieces: list[tuple[int, Piece]] = []
    for start, end in pairwise(bounds):
        entity = kinds.get(start)
        kind = entity.kind if entity is not None and entity.end == end else "text"
        over = limit is not None and start >= limit
        chunk, full = text[start:end], ""
        if kind == "link":
            chunk, full = _link_text(chunk, display)
        pieces.append((start, Piece(chunk, kind, full, over)))
    return pieces


def preview_of(*, channel: Channel, text: str, adapted: bool = False) -> Preview:
    """The channel's feed showing ``text``: fold, links, tags, mentions, what is too much."""
    network = registry.get(channel.network)
    text = unicodedata.normalize("NFC", text)  # as the network counts it
    entities = _entities(text)
    limit = _snap(_limit_index(text, network.text_rules), entities)
    fold = _snap(_fold_index(text, network.display), entities)
    cuts = {c for c in (limit, fold) if c is not None}
    pieces = _pieces(text, entities, cuts, limit, network.display)
    return Preview(
        channel=channel,
        network=network,
        label=channel_label(channel),
        display=network.display,
        measure=network.measure_text(text),
        shown=tuple(p for start, p in pieces if fold is None or start < fold),
        folded=tuple(p for start, p in pieces if fold is not None and start >= fold),
        adapted=adapted,
    )
