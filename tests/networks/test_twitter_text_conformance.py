"""twitter-text's official conformance cases (shared/specs/twitter-text), every one.

The YAML files are read at collection time, never copied: each case becomes one
parametrized test named after its section and description.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from parvis.networks.textrules.extract import (
    extract_hashtags,
    extract_mentions,
    extract_urls,
    is_valid_hashtag,
    is_valid_list,
    is_valid_username,
)
from parvis.networks.textrules.twitter import (
    CONFIG_V1,
    CONFIG_V2,
    CONFIG_V3,
    TwitterConfig,
    parse_tweet,
)


def _specs_dir() -> Path:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "specs" / "twitter-text"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("shared/specs/twitter-text not found above the tests")


SPECS = _specs_dir()


def _cases(file: str, *sections: str) -> list[Any]:
    tests = yaml.safe_load((SPECS / file).read_text(encoding="utf-8"))["tests"]
    return [
        pytest.param(section, case, id=f"{section}: {case['description']}")
        for section in sections
        for case in tests[section]
    ]


# validate.yml: the parseTweet sections, each with the configuration its official
# test runs it with (v2 = v3 ranges without emoji parsing).
PARSE_CONFIGS: dict[str, TwitterConfig] = {
    "WeightedTweetsCounterTest": CONFIG_V2,
    "WeightedTweetsWithDiscountedEmojiCounterTest": CONFIG_V3,
    "UnicodeDirectionalMarkerCounterTest": CONFIG_V3,
}


@pytest.mark.parametrize(("section", "case"), _cases("validate.yml", *PARSE_CONFIGS))
def test_parse_tweet(section: str, case: dict[str, Any]) -> None:
    result = parse_tweet(case["text"], PARSE_CONFIGS[section])
    assert result.as_conformance_dict() == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases("validate.yml", "tweets"))
def test_tweet_validity(section: str, case: dict[str, Any]) -> None:
    # The official suite checks this section with the 140-character version 1 config.
    assert parse_tweet(case["text"], CONFIG_V1).valid is case["expected"]


VALIDATORS = {"usernames": is_valid_username, "lists": is_valid_list, "hashtags": is_valid_hashtag}


@pytest.mark.parametrize(("section", "case"), _cases("validate.yml", *VALIDATORS))
def test_entity_validity(section: str, case: dict[str, Any]) -> None:
    assert VALIDATORS[section](case["text"]) is case["expected"]


def test_config_v3_matches_the_official_json() -> None:
    official = json.loads((SPECS / "config-v3.json").read_text(encoding="utf-8"))
    assert TwitterConfig.from_json(official) == CONFIG_V3


def _with_indices(entities: list[Any], key: str) -> list[dict[str, Any]]:
    return [{key: e.text, "indices": [e.start, e.end]} for e in entities]


@pytest.mark.parametrize(
    ("section", "case"),
    _cases("extract.yml", "urls", "tco_urls_with_params"),
)
def test_extract_urls(section: str, case: dict[str, Any]) -> None:
    assert [u.text for u in extract_urls(case["text"])] == case["expected"]


@pytest.mark.parametrize(
    ("section", "case"),
    _cases("extract.yml", "urls_with_indices", "urls_with_directional_markers"),
)
def test_extract_urls_with_indices(section: str, case: dict[str, Any]) -> None:
    assert _with_indices(extract_urls(case["text"]), "url") == case["expected"]


@pytest.mark.parametrize(
    ("section", "case"),
    _cases("extract.yml", "hashtags", "hashtags_from_astral"),
)
def test_extract_hashtags(section: str, case: dict[str, Any]) -> None:
    assert [h.text for h in extract_hashtags(case["text"])] == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases("extract.yml", "hashtags_with_indices"))
def test_extract_hashtags_with_indices(section: str, case: dict[str, Any]) -> None:
    assert _with_indices(extract_hashtags(case["text"]), "hashtag") == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases("extract.yml", "mentions"))
def test_extract_mentions(section: str, case: dict[str, Any]) -> None:
    assert [m.text for m in extract_mentions(case["text"])] == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases("extract.yml", "mentions_with_indices"))
def test_extract_mentions_with_indices(section: str, case: dict[str, Any]) -> None:
    assert _with_indices(extract_mentions(case["text"]), "screen_name") == case["expected"]
