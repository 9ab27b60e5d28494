"""The sentences that tell a person what to change in a post's images and videos.

Like ``textrules/messages.py``: each builder returns a lazy string, translated into the
active language with its figures put in only when rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction

from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, ngettext, pgettext

Network = str | Promise

# Names people know the formats by.
FORMAT_NAMES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "video/mp4": "MP4",
    "video/quicktime": "MOV",
    "video/webm": "WebM",
}


def _lazy(build: Callable[..., str]) -> Callable[..., Promise]:
    return lazy(build, str)


def _network(network: Network) -> str:
    return str(network) or gettext("This network")


@_lazy
def item_name(kind: str, position: int) -> str:
    """ "The image", or "Image 2" when the post has several media."""
    if position:
        names = {
            "image": pgettext("media", "Image %(n)d"),
            "gif": pgettext("media", "GIF %(n)d"),
            "video": pgettext("media", "Video %(n)d"),
        }
        return names[kind] % {"n": position}
    return {
        "image": pgettext("media", "The image"),
        "gif": pgettext("media", "The GIF"),
        "video": pgettext("media", "The video"),
    }[kind]


def format_name(mime_type: str) -> str:
    return FORMAT_NAMES.get(mime_type, mime_type.split("/")[-1].upper())


def ratio_label(width: float, height: float) -> str:
    """An aspect ratio as people write it: 4:5, 16:9, 1.91:1, 1:3."""
    near = Fraction(width / height).limit_denominator(9)  # 16:9, 4:5, 1:3...
    if abs(float(near) - width / height) <= 0.005 * width / height and near.numerator <= 21:
        return f"{near.numerator}:{near.denominator}"
    if width >= height:
        return f"{width / height:.2f}".rstrip("0").rstrip(".") + ":1"
    return "1:" + f"{height / width:.2f}".rstrip("0").rstrip(".")


def duration_label(seconds: float) -> str:
    if seconds < 60:
        return gettext("%(s)s s") % {"s": f"{seconds:.1f}".rstrip("0").rstrip(".")}
    minutes, rest = divmod(round(seconds), 60)
    return gettext("%(m)d min %(s)02d s") % {"m": minutes, "s": rest}


@_lazy
def wrong_type(name: Promise, mime_type: str, accepted: Iterable[str], network: Network) -> str:
    return gettext(
        "%(network)s does not take %(format)s files (%(name)s); it takes %(accepted)s. "
        "Convert it, or choose another file."
    ) % {
        "network": _network(network),
        "format": format_name(mime_type),
        "name": str(name).lower(),
        "accepted": ", ".join(sorted(format_name(t) for t in accepted)),
    }


@_lazy
def too_heavy(name: Promise, size: int, limit: int, network: Network) -> str:
    return gettext(
        "%(name)s weighs %(size)s; %(network)s takes at most %(max)s. "
        "Compress it, or choose a lighter file."
    ) % {
        "name": name,
        "size": filesizeformat(size),
        "max": filesizeformat(limit),
        "network": _network(network),
    }


@_lazy
def too_narrow(name: Promise, width: int, limit: int, network: Network) -> str:
    return gettext(
        "%(name)s is %(width)d pixels wide; %(network)s needs at least %(min)d. "
        "Choose a larger file."
    ) % {"name": name, "width": width, "min": limit, "network": _network(network)}


@_lazy
def too_wide(name: Promise, width: int, limit: int, network: Network) -> str:
    return gettext(
        "%(name)s is %(width)d pixels wide; %(network)s takes at most %(max)d. Resize it."
    ) % {"name": name, "width": width, "max": limit, "network": _network(network)}


@_lazy
def aspect(
    name: Promise,
    kind: str,
    width: int,
    height: int,
    bounds: tuple[tuple[float, float], tuple[float, float]],
    network: Network,
) -> str:
    (low_w, low_h), (high_w, high_h) = bounds
    params = {
        "network": _network(network),
        "low": ratio_label(low_w, low_h),
        "high": ratio_label(high_w, high_h),
        "ratio": ratio_label(width, height),
        "name": str(name).lower(),
    }
    if kind == "video":
        return (
            gettext(
                "%(network)s takes videos between %(low)s and %(high)s; %(name)s is "
                "%(ratio)s. Crop it, or choose another video."
            )
            % params
        )
    return (
        gettext(
            "%(network)s takes images between %(low)s and %(high)s; %(name)s is "
            "%(ratio)s. Crop it, or choose another image."
        )
        % params
    )


@_lazy
def duration(
    name: Promise,
    seconds: float,
    low: float | None,
    high: float | None,
    network: Network,
) -> str:
    params = {
        "name": name,
        "length": duration_label(seconds),
        "network": _network(network),
        "min": duration_label(low or 0),
        "max": duration_label(high or 0),
    }
    if high is not None and seconds > high:
        return (
            gettext("%(name)s lasts %(length)s; %(network)s takes at most %(max)s. Shorten it.")
            % params
        )
    return (
        gettext(
            "%(name)s lasts %(length)s; %(network)s needs at least %(min)s. Choose a longer video."
        )
        % params
    )


@_lazy
def alt_too_long(name: Promise, length: int, limit: int, network: Network) -> str:
    return gettext(
        "The description of %(name)s has %(length)d characters; %(network)s takes at most "
        "%(max)d. Shorten it."
    ) % {"name": str(name).lower(), "length": length, "max": limit, "network": _network(network)}


@_lazy
def not_sendable(network: Network) -> str:
    return gettext(
        'Parvis cannot send images or videos to %(network)s yet: under "Different '
        'media for a channel", leave this channel without any, or choose another channel.'
    ) % {"network": _network(network)}


@_lazy
def mixed(network: Network) -> str:
    return gettext(
        "%(network)s does not mix images and videos in one post: keep only images, "
        "or only the video."
    ) % {"network": _network(network)}


@_lazy
def too_many_videos(limit: int, network: Network) -> str:
    return ngettext(
        "%(network)s takes at most %(max)d video per post: remove the others.",
        "%(network)s takes at most %(max)d videos per post: remove the others.",
        limit,
    ) % {"network": _network(network), "max": limit}


@_lazy
def gif_alone(network: Network) -> str:
    return gettext(
        "On %(network)s an animated GIF is the post's only media: remove the others, or the GIF."
    ) % {"network": _network(network)}
