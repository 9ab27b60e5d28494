"""Each network's media rules, at their boundaries, and the sentences that say what to change."""

from __future__ import annotations

import pytest
from django.utils import translation

from parvis.networks import registry
from parvis.networks.base import MediaItem, MediaRules, check_media
from parvis.networks.media_figures import (
    BLUESKY_MEDIA_RULES,
    FACEBOOK_MEDIA_RULES,
    INSTAGRAM_MEDIA_RULES,
    LINKEDIN_MEDIA_RULES,
    MASTODON_MEDIA_RULES,
    MB,
    THREADS_MEDIA_RULES,
    X_MEDIA_RULES,
)
from parvis.networks.media_messages import ratio_label
from parvis.networks.x.network import X


def image(width=1080, height=1080, mime="image/jpeg", size=500_000, alt="", animated=False):
    return MediaItem(
        "/tmp/i", mime, alt_text=alt, width=width, height=height, size_bytes=size,
        animated=animated,
    )  # fmt: skip


def video(seconds=10.0, width=1080, height=1920, mime="video/mp4", size=5 * MB):
    return MediaItem(
        "/tmp/v", mime, width=width, height=height, size_bytes=size, duration_s=seconds
    )


def codes(media, rules, network="Net"):
    return [p.code for p in check_media(media, rules, network=network)]


@pytest.mark.parametrize(
    ("width", "height", "ok"),
    [
        (1080, 1350, True),  # 4:5, the tallest accepted
        (1080, 1360, False),  # a little taller
        (1080, 566, True),  # 1.91:1, the widest
        (1080, 540, False),  # 2:1
        (1080, 1080, True),
    ],
)
def test_instagram_takes_images_between_4_5_and_1_91_1(width, height, ok):
    assert (codes([image(width, height)], INSTAGRAM_MEDIA_RULES) == []) is ok


def test_instagram_says_what_to_change_for_a_tall_image():
    instagram = registry.get("sandbox_instagram")
    (problem,) = instagram.check_media([image(1000, 3000)])
    assert problem.code == "media_aspect"
    assert str(problem.message) == (
        "Sandbox · Instagram takes images between 4:5 and 1.91:1; the image is 1:3. "
        "Crop it, or choose another image."
    )
    with translation.override("fr"):
        assert "entre 4:5 et 1.91:1" in str(problem.message)


def test_instagram_takes_jpeg_only_and_8_mb():
    assert codes([image(mime="image/png")], INSTAGRAM_MEDIA_RULES) == ["media_type"]
    assert codes([image(size=8 * MB)], INSTAGRAM_MEDIA_RULES) == []
    assert codes([image(size=8 * MB + 1)], INSTAGRAM_MEDIA_RULES) == ["media_too_heavy"]
    assert codes([image(319, 319)], INSTAGRAM_MEDIA_RULES) == ["media_too_narrow"]
    assert codes([image(1441, 1441)], INSTAGRAM_MEDIA_RULES) == ["media_too_wide"]


def test_instagram_reels_last_3_seconds_to_15_minutes_and_carousels_mix():
    assert codes([video(3)], INSTAGRAM_MEDIA_RULES) == []
    assert codes([video(2.9)], INSTAGRAM_MEDIA_RULES) == ["media_duration"]
    assert codes([video(15 * 60 + 1)], INSTAGRAM_MEDIA_RULES) == ["media_duration"]
    assert codes([image(), video()], INSTAGRAM_MEDIA_RULES) == []


def test_instagram_needs_a_media_and_at_most_10():
    instagram = registry.get("sandbox_instagram")
    assert "media_required" in [p.code for p in instagram.measure_text("Bonjour").problems]
    assert instagram.measure_text("Bonjour", media_count=10).valid
    too_many = instagram.measure_text("Bonjour", media_count=11).problems
    assert [p.code for p in too_many] == ["too_many_media"]


def test_x_limits_per_kind_and_does_not_mix():
    assert codes([image(size=5 * MB)], X_MEDIA_RULES) == []
    assert codes([image(size=5 * MB + 1)], X_MEDIA_RULES) == ["media_too_heavy"]
    gif = image(mime="image/gif", size=15 * MB, animated=True)
    assert codes([gif], X_MEDIA_RULES) == []
    assert codes([gif, image()], X_MEDIA_RULES) == ["gif_not_alone"]
    assert codes([video(140)], X_MEDIA_RULES) == []
    assert codes([video(140.5)], X_MEDIA_RULES) == ["media_duration"]
    assert codes([video(0.4)], X_MEDIA_RULES) == ["media_duration"]
    assert codes([video(10, 300, 1000)], X_MEDIA_RULES) == ["media_aspect"]  # taller than 1:3
    assert codes([image(), video()], X_MEDIA_RULES) == ["media_mixed"]
    assert codes([video(), video()], X_MEDIA_RULES) == ["too_many_videos"]
    assert codes([image(alt="a" * 1000)], X_MEDIA_RULES) == []
    assert codes([image(alt="a" * 1001)], X_MEDIA_RULES) == ["alt_text_too_long"]


def test_the_x_connector_sends_media_within_x_rules():
    assert X().check_media([image()]) == ()
    assert X().check_media([]) == ()
    assert [p.code for p in X().check_media([image(), video()])] == ["media_mixed"]


def test_sandbox_flavours_mirror_their_networks():
    assert registry.get("sandbox_instagram").media_rules == INSTAGRAM_MEDIA_RULES
    assert registry.get("sandbox_facebook").media_rules == FACEBOOK_MEDIA_RULES
    assert registry.get("sandbox_x").media_rules == X_MEDIA_RULES


def test_facebook_bluesky_mastodon_threads_linkedin_boundaries():
    assert codes([image(size=4 * MB + 1)], FACEBOOK_MEDIA_RULES) == ["media_too_heavy"]
    assert codes([image(), video()], FACEBOOK_MEDIA_RULES) == ["media_mixed"]
    assert codes([image(size=1_000_000)], BLUESKY_MEDIA_RULES) == []
    assert codes([image(size=1_000_001)], BLUESKY_MEDIA_RULES) == ["media_too_heavy"]
    assert codes([video(181)], BLUESKY_MEDIA_RULES) == ["media_duration"]
    assert codes([image(alt="a" * 1501)], MASTODON_MEDIA_RULES) == ["alt_text_too_long"]
    assert codes([video(mime="video/webm")], MASTODON_MEDIA_RULES) == []
    assert codes([image(mime="image/webp")], THREADS_MEDIA_RULES) == ["media_type"]
    assert codes([video(2.9)], LINKEDIN_MEDIA_RULES) == ["media_duration"]


def test_several_media_are_named_by_position_and_messages_are_french_too():
    problems = check_media([image(), image(size=6 * MB)], X_MEDIA_RULES, network="X")
    assert str(problems[0].message).replace("\xa0", " ").startswith("Image 2 weighs 6.0 MB; X")
    with translation.override("fr"):
        assert str(problems[0].message).replace("\xa0", " ").startswith("Image 2 pèse 6,0 Mio")


def test_no_rules_no_problem_and_ratio_labels():
    assert check_media([image(5000, 100, size=10**9)], MediaRules()) == ()
    assert [ratio_label(*r) for r in [(4, 5), (1080, 566), (1000, 3000), (1920, 1080)]] == [
        "4:5",
        "1.91:1",
        "1:3",
        "16:9",
    ]
