"""A network's media rules, the media it is given, and what breaks its rules.

Part of the network contract: ``networks.base`` re-exports these names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise

from parvis.networks import media_messages


@dataclass(frozen=True)
class TextProblem:
    code: str  # stable, e.g. "too_long", "too_many_hashtags", "media_required"
    message: str | Promise  # in the user's language: what to change


@dataclass(frozen=True)
class MediaRules:
    """What a network accepts as a post's images and videos (``Network.check_media``).

    Sizes are in bytes, aspect ratios are (width, height) pairs: (4, 5) is 4:5.
    ``None`` means the network sets no limit there. The count of media and whether
    one is required stay in ``TextRules`` (``measure_text`` reports them).
    """

    image_types: frozenset[str] = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
    video_types: frozenset[str] = frozenset({"video/mp4", "video/quicktime"})
    max_image_bytes: int | None = None
    max_gif_bytes: int | None = None  # an animated GIF
    max_video_bytes: int | None = None
    max_videos: int = 1
    min_width: int | None = None
    max_width: int | None = None
    image_aspect: tuple[tuple[float, float], tuple[float, float]] | None = None
    video_aspect: tuple[tuple[float, float], tuple[float, float]] | None = None
    min_duration_s: float | None = None
    max_duration_s: float | None = None
    mix: bool = False  # images and videos in the same post
    gif_alone: bool = False  # an animated GIF is the post's only media
    max_alt_text: int | None = None
    sendable: bool = True  # False: this connector cannot send media yet


@dataclass(frozen=True)
class MediaItem:
    path: str  # a local file path or URL the network can read
    mime_type: str
    alt_text: str = ""
    width: int | None = None
    height: int | None = None
    size_bytes: int | None = None
    duration_s: float | None = None
    animated: bool = False  # an animated GIF
    codec: str = ""  # a video's codec, e.g. "h264"
    # A public address of the file, served by Parvis for a limited time, for networks
    # that fetch media themselves (Instagram's containers). "" when Parvis has none.
    url: str = ""

    @property
    def kind(self) -> str:
        """ "image", "gif" (animated) or "video"."""
        if self.mime_type.startswith("video/"):
            return "video"
        return "gif" if self.animated else "image"


def _fits_aspect(width: int, height: int, bounds: tuple[tuple[float, float], ...]) -> bool:
    (low_w, low_h), (high_w, high_h) = bounds
    ratio = width / height
    return low_w / low_h - 0.005 <= ratio <= high_w / high_h + 0.005


def _item_problems(
    item: MediaItem, rules: MediaRules, name: str, network: str | Promise
) -> list[TextProblem]:
    problems: list[TextProblem] = []

    def add(code: str, message: Promise) -> None:
        problems.append(TextProblem(code=code, message=message))

    kind = item.kind
    accepted = rules.video_types if kind == "video" else rules.image_types
    if item.mime_type not in accepted:
        add("media_type", media_messages.wrong_type(name, item.mime_type, accepted, network))
        return problems
    limit = {
        "image": rules.max_image_bytes,
        "gif": rules.max_gif_bytes or rules.max_image_bytes,
        "video": rules.max_video_bytes,
    }[kind]
    if limit is not None and item.size_bytes is not None and item.size_bytes > limit:
        add("media_too_heavy", media_messages.too_heavy(name, item.size_bytes, limit, network))
    if item.width and rules.min_width is not None and item.width < rules.min_width:
        add(
            "media_too_narrow",
            media_messages.too_narrow(name, item.width, rules.min_width, network),
        )
    if item.width and rules.max_width is not None and item.width > rules.max_width:
        add("media_too_wide", media_messages.too_wide(name, item.width, rules.max_width, network))
    bounds = rules.video_aspect if kind == "video" else rules.image_aspect
    if bounds and item.width and item.height and not _fits_aspect(item.width, item.height, bounds):
        add(
            "media_aspect",
            media_messages.aspect(name, kind, item.width, item.height, bounds, network),
        )
    if kind == "video" and item.duration_s is not None:
        too_short = rules.min_duration_s is not None and item.duration_s < rules.min_duration_s
        too_long = rules.max_duration_s is not None and item.duration_s > rules.max_duration_s
        if too_short or too_long:
            add(
                "media_duration",
                media_messages.duration(
                    name, item.duration_s, rules.min_duration_s, rules.max_duration_s, network
                ),
            )
    if rules.max_alt_text is not None and len(item.alt_text) > rules.max_alt_text:
        add(
            "alt_text_too_long",
            media_messages.alt_too_long(name, len(item.alt_text), rules.max_alt_text, network),
        )
    return problems


def check_media(
    media: Sequence[MediaItem], rules: MediaRules, *, network: str | Promise = ""
) -> tuple[TextProblem, ...]:
    """Each problem these media have with ``rules``, with what to change."""
    if not media:
        return ()
    if not rules.sendable:
        return (TextProblem("media_not_sendable", media_messages.not_sendable(network)),)
    problems: list[TextProblem] = []
    kinds = [item.kind for item in media]
    videos = kinds.count("video")
    if not rules.mix and videos and videos < len(kinds):
        problems.append(TextProblem("media_mixed", media_messages.mixed(network)))
    elif videos > rules.max_videos:
        problems.append(
            TextProblem(
                "too_many_videos", media_messages.too_many_videos(rules.max_videos, network)
            )
        )
    if rules.gif_alone and "gif" in kinds and len(kinds) > 1:
        problems.append(TextProblem("gif_not_alone", media_messages.gif_alone(network)))
    for position, item in enumerate(media, start=1):
        name = media_messages.item_name(item.kind, position if len(media) > 1 else 0)
        problems += _item_problems(item, rules, name, network)
    return tuple(problems)
