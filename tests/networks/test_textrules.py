"""measure_text: each counting mode and each problem code."""

from __future__ import annotations

import pytest
from django.utils import translation

from parvis.networks.base import TextRules
from parvis.networks.textrules import measure_text

X = TextRules(max_length=280, counting="weighted", url_length=23)
MASTODON = TextRules(max_length=500, counting="characters", url_length=23)
BLUESKY = TextRules(max_length=300, counting="graphemes", max_bytes=3000)
INSTAGRAM = TextRules(
    max_length=2200, max_hashtags=30, max_mentions=20, media_required=True, max_media=10
)


def codes(measure) -> list[str]:
    return [problem.code for problem in measure.problems]


# --- Counting ------------------------------------------------------------------------


def test_characters_counts_code_points_after_nfc() -> None:
    decomposed = "e\u0301te\u0301"  # "été" written with combining accents
    assert measure_text(decomposed, MASTODON).length == 3
    assert measure_text("日本語 😷", MASTODON).length == 5


def test_characters_urls_count_url_length() -> None:
    text = "Read https://example.com/a/very/long/path/to/an/article?with=query"
    assert measure_text(text, MASTODON).length == len("Read ") + 23
    assert measure_text("example.com", MASTODON).length == 23


def test_characters_without_url_length_counts_urls_as_written() -> None:
    rules = TextRules(max_length=100)
    assert measure_text("see https://example.com/abc", rules).length == 27


def test_weighted_counts_cjk_twice_and_urls_23() -> None:
    assert measure_text("日本語", X).length == 6
    assert measure_text("Hi http://test.co", X).length == 26


def test_weighted_counts_an_emoji_sequence_as_two() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
    assert measure_text(family, X).length == 2
    assert measure_text("\U0001f44d\U0001f3fd", X).length == 2  # thumbs up, skin tone


def test_weighted_uses_the_rules_url_length() -> None:
    rules = TextRules(max_length=280, counting="weighted", url_length=30)
    assert measure_text("http://test.co", rules).length == 30


def test_graphemes_count_what_a_reader_sees() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    flag = "\U0001f1eb\U0001f1f7"
    assert measure_text(f"{family}{flag}e\u0301", BLUESKY).length == 3


def test_remaining_and_limit() -> None:
    measure = measure_text("hello", X)
    assert (measure.limit, measure.remaining, measure.valid) == (280, 275, True)
    assert measure.problems == ()


def test_unknown_counting_mode_is_an_error() -> None:
    with pytest.raises(ValueError, match="counting"):
        measure_text("hello", TextRules(max_length=10, counting="words"))


# --- Problems ------------------------------------------------------------------------


def test_too_long_for_x() -> None:
    measure = measure_text("x" * 292, X, network="X")
    assert measure.length == 292
    assert not measure.valid
    assert codes(measure) == ["too_long"]
    assert str(measure.problems[0].message) == (
        "The text is 12 characters too long for X (max. 280): shorten it."
    )


def test_too_long_singular_without_network() -> None:
    measure = measure_text("x" * 501, MASTODON)
    assert str(measure.problems[0].message) == (
        "The text is 1 character too long (max. 500): shorten it."
    )


def test_exactly_at_the_limit_is_valid() -> None:
    assert measure_text("の" * 140, X).valid
    assert not measure_text("の" * 141, X).valid


def test_bluesky_graphemes_and_bytes() -> None:
    assert measure_text("a" * 300, BLUESKY).valid
    assert codes(measure_text("a" * 301, BLUESKY)) == ["too_long"]
    # A family emoji is one grapheme of 18 UTF-8 bytes: 200 fit the graphemes, not the bytes.
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    heavy = measure_text(family * 200, BLUESKY, network="Bluesky")
    assert heavy.length == 200
    assert codes(heavy) == ["too_many_bytes"]
    assert "600 bytes too heavy for Bluesky (max. 3000 bytes)" in str(heavy.problems[0].message)


def test_instagram_hashtags() -> None:
    ok = " ".join(f"#tag{i}" for i in range(30))
    too_many = " ".join(f"#tag{i}" for i in range(32))
    assert measure_text(ok, INSTAGRAM, media_count=1).valid
    measure = measure_text(too_many, INSTAGRAM, media_count=1, network="Instagram")
    assert codes(measure) == ["too_many_hashtags"]
    assert str(measure.problems[0].message) == (
        "The text has 32 hashtags but Instagram allows 30: remove 2 of them."
    )


def test_instagram_mentions() -> None:
    ok = " ".join(f"@jean.dupont{i}" for i in range(20))
    too_many = " ".join(f"@jean.dupont{i}" for i in range(21))
    assert measure_text(ok, INSTAGRAM, media_count=1).valid
    measure = measure_text(too_many, INSTAGRAM, media_count=1)
    assert codes(measure) == ["too_many_mentions"]
    assert "remove 1 mention." in str(measure.problems[0].message)


def test_mentions_on_x_follow_twitter_text() -> None:
    rules = TextRules(max_length=280, counting="weighted", max_mentions=1)
    assert measure_text("@alice mail bob@example.com", rules).valid
    assert codes(measure_text("@alice @bob", rules)) == ["too_many_mentions"]


def test_fediverse_mentions_count_once() -> None:
    rules = TextRules(max_length=500, max_mentions=1)
    assert measure_text("Hello @alice@mastodon.social!", rules).valid
    assert codes(measure_text("@alice@a.example @bob@b.example", rules)) == ["too_many_mentions"]


def test_hashtag_inside_a_url_is_not_a_hashtag() -> None:
    rules = TextRules(max_length=500, max_hashtags=0)
    assert measure_text("https://example.com/#anchor", rules).valid


def test_media_required() -> None:
    measure = measure_text("A caption", INSTAGRAM, network="Instagram")
    assert codes(measure) == ["media_required"]
    assert str(measure.problems[0].message) == "Instagram needs an image or a video: add one."
    assert measure_text("A caption", INSTAGRAM, media_count=1).valid


def test_too_many_media() -> None:
    measure = measure_text("Photos", INSTAGRAM, media_count=12)
    assert codes(measure) == ["too_many_media"]
    assert "remove 2" in str(measure.problems[0].message)


@pytest.mark.parametrize("text", ["", "   \n "])
def test_empty_without_media(text: str) -> None:
    measure = measure_text(text, X)
    assert codes(measure) == ["empty"]
    assert measure.length == len(text)


def test_empty_text_with_media_is_fine() -> None:
    assert measure_text("", INSTAGRAM, media_count=1).valid


def test_invalid_characters() -> None:
    measure = measure_text("hello\ufeffworld", X, network="X")
    assert codes(measure) == ["invalid_characters"]
    assert "U+FEFF" in str(measure.problems[0].message)


def test_several_problems_at_once() -> None:
    text = "#a #b " + "x" * 300
    rules = TextRules(max_length=280, max_hashtags=1, media_required=True)
    assert codes(measure_text(text, rules)) == ["too_long", "too_many_hashtags", "media_required"]


def test_messages_are_lazy_translations() -> None:
    measure = measure_text("x" * 300, X, network="X")
    message = measure.problems[0].message
    assert not isinstance(message, str)  # rendered in the language active at display time
    with translation.override("fr"):
        assert str(message)  # no French catalogue yet: falls back to the English source
