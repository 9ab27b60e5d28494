"""Every network says how its feed shows a post; a Sandbox flavour as the network it imitates."""

from __future__ import annotations

import pytest

from parvis.networks import feeds, registry
from parvis.networks.x.network import X


@pytest.mark.parametrize(
    ("key", "family"),
    [("sandbox_facebook", "facebook"), ("sandbox_instagram", "instagram"), ("sandbox_x", "x")],
)
def test_each_sandbox_flavour_displays_as_the_network_it_imitates(key, family):
    assert registry.get(key).display is feeds.ALL[family]


def test_the_feeds_facts():
    assert X.display is feeds.X and feeds.X.link_display_length == X.text_rules.url_length == 23
    folds = {f: (d.fold_characters, d.fold_lines) for f, d in feeds.ALL.items()}
    assert folds == {
        "x": (None, None),
        "facebook": (480, 5),
        "instagram": (125, 3),
        "linkedin": (210, 3),
        "bluesky": (None, None),
        "mastodon": (None, None),
        "threads": (None, None),
    }
