"""measure_text: count a text as a network does and list what breaks its rules.

Counting modes (``TextRules.counting``):

- ``"characters"``: Unicode code points after NFC normalisation (Mastodon, Instagram...);
- ``"weighted"``: twitter-text v3's weighted length (X), see ``twitter.py``;
- ``"graphemes"``: extended grapheme clusters, what a reader sees as one character
  (Bluesky), usually with ``max_bytes`` counted in UTF-8.

When ``url_length`` is set, every URL counts that much whatever its length (X and
Mastodon count 23). Messages are lazy translations: they follow the active language
when rendered.
"""

from __future__ import annotations

import unicodedata

import regex
from django.utils.functional import Promise

from parvis.networks.base import TextMeasure, TextProblem, TextRules
from parvis.networks.textrules import messages
from parvis.networks.textrules.extract import extract_hashtags, extract_mentions, extract_urls
from parvis.networks.textrules.twitter import TwitterConfig, parse_tweet

__all__ = ["count_length", "measure_text"]

COUNTING_MODES = ("characters", "weighted", "graphemes")
_INVALID_CHARACTERS = frozenset("\ufffe\ufeff\uffff")
# A mention as most networks write it: @name, @first.last, or @name@server.example.
_MENTION_RE = regex.compile(
    r"(?<![\w@/.])[@＠](?:\w[\w.]*\w|\w)(?:@[\w\-]+(?:\.[\w\-]+)+)?"  # noqa: RUF001
)


def _twitter_config(rules: TextRules) -> TwitterConfig:
    return TwitterConfig(
        max_weighted_tweet_length=rules.max_length,
        transformed_url_length=rules.url_length if rules.url_length is not None else 23,
    )


def count_length(text: str, rules: TextRules) -> int:
    """The length of ``text`` (already NFC) as the network of ``rules`` counts it."""
    if rules.counting == "weighted":
        return parse_tweet(text, _twitter_config(rules)).weighted_length
    if rules.counting not in COUNTING_MODES:
        raise ValueError(f"Unknown counting mode {rules.counting!r}")
    pieces: list[str] = [text]
    url_count = 0
    if rules.url_length is not None:
        urls = extract_urls(text)
        url_count = len(urls)
        pieces, position = [], 0
        for url in urls:
            pieces.append(text[position : url.start])
            position = url.end
        pieces.append(text[position:])
    if rules.counting == "graphemes":
        length = sum(len(regex.findall(r"\X", piece)) for piece in pieces)
    else:
        length = sum(len(piece) for piece in pieces)
    return length + url_count * (rules.url_length or 0)


def _count_mentions(text: str, rules: TextRules) -> int:
    if rules.counting == "weighted":
        return len(extract_mentions(text))
    return len(_MENTION_RE.findall(text))


def measure_text(
    text: str,
    rules: TextRules,
    *,
    media_count: int = 0,
    network: str | Promise = "",
) -> TextMeasure:
    """Count ``text`` as the network of ``rules`` does and list what breaks its rules.

    ``network`` (e.g. "X") only names the network in the messages.
    """
    text = unicodedata.normalize("NFC", text)
    length = count_length(text, rules)
    problems: list[TextProblem] = []

    def add(code: str, message: Promise) -> None:
        problems.append(TextProblem(code=code, message=message))

    if not text.strip() and media_count == 0:
        add("empty", messages.empty(network))
    if _INVALID_CHARACTERS.intersection(text):
        add("invalid_characters", messages.invalid_characters(network))
    if length > rules.max_length:
        add("too_long", messages.too_long(length - rules.max_length, rules.max_length, network))
    if rules.max_bytes is not None:
        size = len(text.encode("utf-8"))
        if size > rules.max_bytes:
            add(
                "too_many_bytes",
                messages.too_many_bytes(size - rules.max_bytes, rules.max_bytes, network),
            )
    if rules.max_hashtags is not None:
        hashtags = len(extract_hashtags(text))
        if hashtags > rules.max_hashtags:
            add(
                "too_many_hashtags",
                messages.too_many_hashtags(hashtags, rules.max_hashtags, network),
            )
    if rules.max_mentions is not None:
        mentions = _count_mentions(text, rules)
        if mentions > rules.max_mentions:
            add(
                "too_many_mentions",
                messages.too_many_mentions(mentions, rules.max_mentions, network),
            )
    if rules.media_required and media_count == 0:
        add("media_required", messages.media_required(network))
    if media_count > rules.max_media:
        add("too_many_media", messages.too_many_media(media_count, rules.max_media, network))
    return TextMeasure(
        length=length, limit=rules.max_length, valid=not problems, problems=tuple(problems)
    )
