"""twitter-text v3's ``parseTweet``: the weighted length X gives a post.

Each code point weighs what its range says (``defaultWeight`` otherwise); a URL weighs
``transformedURLLength``; with emoji parsing, a whole emoji sequence weighs
``defaultWeight``. Weights are divided by ``scale``. Ranges are reported in UTF-16
code units, as twitter-text does. Configurations: ``CONFIG_V3`` is the official
``config-v3.json``; ``CONFIG_V2`` is the same without emoji parsing; ``CONFIG_V1`` is
the old 140-character count.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from parvis.networks.textrules.extract import extract_emoji, extract_urls


@dataclass(frozen=True)
class WeightRange:
    start: int
    end: int
    weight: int


@dataclass(frozen=True)
class TwitterConfig:
    version: int = 3
    max_weighted_tweet_length: int = 280
    scale: int = 100
    default_weight: int = 200
    emoji_parsing_enabled: bool = True
    transformed_url_length: int = 23
    ranges: tuple[WeightRange, ...] = (
        WeightRange(0, 4351, 100),
        WeightRange(8192, 8205, 100),
        WeightRange(8208, 8223, 100),
        WeightRange(8242, 8247, 100),
    )

    @classmethod
    def from_json(cls, data: dict) -> TwitterConfig:
        """Build from twitter-text's JSON configuration (e.g. ``config-v3.json``)."""
        return cls(
            version=data.get("version", 3),
            max_weighted_tweet_length=data["maxWeightedTweetLength"],
            scale=data["scale"],
            default_weight=data["defaultWeight"],
            emoji_parsing_enabled=data.get("emojiParsingEnabled", False),
            transformed_url_length=data["transformedURLLength"],
            ranges=tuple(WeightRange(r["start"], r["end"], r["weight"]) for r in data["ranges"]),
        )

    def weight(self, char: str) -> int:
        code = ord(char)
        for r in self.ranges:
            if r.start <= code <= r.end:
                return r.weight
        return self.default_weight


CONFIG_V3 = TwitterConfig()
CONFIG_V2 = TwitterConfig(version=2, emoji_parsing_enabled=False)
CONFIG_V1 = TwitterConfig(
    version=1,
    max_weighted_tweet_length=140,
    scale=1,
    default_weight=1,
    emoji_parsing_enabled=False,
    ranges=(),
)

_INVALID_CHARACTERS = frozenset("\ufffe\ufeff\uffff")


@dataclass(frozen=True)
class ParsedTweet:
    weighted_length: int
    valid: bool
    permillage: int
    display_range_start: int
    display_range_end: int
    valid_range_start: int
    valid_range_end: int
    has_invalid_characters: bool = False

    def as_conformance_dict(self) -> dict[str, int | bool]:
        """The fields with twitter-text's names, as in ``validate.yml``."""
        return {
            "weightedLength": self.weighted_length,
            "valid": self.valid,
            "permillage": self.permillage,
            "displayRangeStart": self.display_range_start,
            "displayRangeEnd": self.display_range_end,
            "validRangeStart": self.valid_range_start,
            "validRangeEnd": self.valid_range_end,
        }


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_tweet(text: str, config: TwitterConfig = CONFIG_V3) -> ParsedTweet:
    """Measure ``text`` as twitter-text's ``parseTweet`` does."""
    normalized = unicodedata.normalize("NFC", text)
    urls = {u.start: u for u in extract_urls(normalized)}
    emoji = {e.start: e for e in extract_emoji(normalized)} if config.emoji_parsing_enabled else {}
    max_scaled = config.max_weighted_tweet_length * config.scale

    weighted = 0
    valid = True
    invalid_found = False
    valid_end = 0  # code-point index just past the last character that still fits
    index = 0
    while index < len(normalized):
        if index in urls:
            weighted += config.transformed_url_length * config.scale
            next_index = urls[index].end
        elif index in emoji:
            weighted += config.default_weight
            next_index = emoji[index].end
        else:
            weighted += config.weight(normalized[index])
            next_index = index + 1
        if normalized[next_index - 1] in _INVALID_CHARACTERS:
            invalid_found = True
            valid = False
        if valid and weighted <= max_scaled:
            valid_end = next_index
        index = next_index

    length = weighted // config.scale
    normalization_offset = _utf16_len(text) - _utf16_len(normalized)
    valid_range_end = _utf16_len(normalized[:valid_end]) - 1 + normalization_offset
    return ParsedTweet(
        weighted_length=length,
        valid=valid and 0 < length <= config.max_weighted_tweet_length,
        permillage=length * 1000 // config.max_weighted_tweet_length,
        display_range_start=0,
        display_range_end=max(_utf16_len(text) - 1, 0),
        valid_range_start=0,
        valid_range_end=max(valid_range_end, 0),
        has_invalid_characters=invalid_found,
    )
