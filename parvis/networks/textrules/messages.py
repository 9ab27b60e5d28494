"""The sentences that tell a person what to change in a post (lazy translations).

Each builder returns a lazy string: it is translated into the active language, with
its numbers put in, only when rendered. With ``network`` empty the sentence leaves
the network unnamed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, ngettext

Network = str | Promise


def _lazy(build: Callable[..., str]) -> Callable[..., Promise]:
    return lazy(build, str)


@_lazy
def too_long(over: int, limit: int, network: Network = "") -> str:
    params = {"over": over, "max": limit, "network": network}
    if network:
        return (
            ngettext(
                "The text is %(over)d character too long for %(network)s (max. %(max)d): "
                "shorten it.",
                "The text is %(over)d characters too long for %(network)s (max. %(max)d): "
                "shorten it.",
                over,
            )
            % params
        )
    return (
        ngettext(
            "The text is %(over)d character too long (max. %(max)d): shorten it.",
            "The text is %(over)d characters too long (max. %(max)d): shorten it.",
            over,
        )
        % params
    )


@_lazy
def too_many_bytes(over: int, limit: int, network: Network = "") -> str:
    params = {"over": over, "max": limit, "network": network}
    if network:
        return (
            ngettext(
                "The text is %(over)d byte too heavy for %(network)s (max. %(max)d bytes): "
                "shorten it or use fewer emoji and accented letters.",
                "The text is %(over)d bytes too heavy for %(network)s (max. %(max)d bytes): "
                "shorten it or use fewer emoji and accented letters.",
                over,
            )
            % params
        )
    return (
        ngettext(
            "The text is %(over)d byte too heavy (max. %(max)d bytes): "
            "shorten it or use fewer emoji and accented letters.",
            "The text is %(over)d bytes too heavy (max. %(max)d bytes): "
            "shorten it or use fewer emoji and accented letters.",
            over,
        )
        % params
    )


@_lazy
def too_many_hashtags(count: int, limit: int, network: Network = "") -> str:
    params = {"count": count, "max": limit, "over": count - limit, "network": network}
    if network:
        return (
            ngettext(
                "The text has %(count)d hashtags but %(network)s allows %(max)d: "
                "remove %(over)d of them.",
                "The text has %(count)d hashtags but %(network)s allows %(max)d: "
                "remove %(over)d of them.",
                count - limit,
            )
            % params
        )
    return (
        ngettext(
            "The text has %(count)d hashtags, more than %(max)d: remove %(over)d of them.",
            "The text has %(count)d hashtags, more than %(max)d: remove %(over)d of them.",
            count - limit,
        )
        % params
    )


@_lazy
def too_many_mentions(count: int, limit: int, network: Network = "") -> str:
    params = {"count": count, "max": limit, "over": count - limit, "network": network}
    if network:
        return (
            ngettext(
                "The text mentions %(count)d accounts but %(network)s allows %(max)d: "
                "remove %(over)d mention.",
                "The text mentions %(count)d accounts but %(network)s allows %(max)d: "
                "remove %(over)d mentions.",
                count - limit,
            )
            % params
        )
    return (
        ngettext(
            "The text mentions %(count)d accounts, more than %(max)d: remove %(over)d mention.",
            "The text mentions %(count)d accounts, more than %(max)d: remove %(over)d mentions.",
            count - limit,
        )
        % params
    )


@_lazy
def media_required(network: Network = "") -> str:
    if network:
        return gettext("%(network)s needs an image or a video: add one.") % {"network": network}
    return gettext("This network needs an image or a video: add one.")


@_lazy
def too_many_media(count: int, limit: int, network: Network = "") -> str:
    params = {"count": count, "max": limit, "over": count - limit, "network": network}
    if network:
        return (
            ngettext(
                "%(network)s takes at most %(max)d images or videos and there are %(count)d: "
                "remove %(over)d.",
                "%(network)s takes at most %(max)d images or videos and there are %(count)d: "
                "remove %(over)d.",
                count - limit,
            )
            % params
        )
    return (
        ngettext(
            "There are %(count)d images or videos, more than %(max)d: remove %(over)d.",
            "There are %(count)d images or videos, more than %(max)d: remove %(over)d.",
            count - limit,
        )
        % params
    )


@_lazy
def empty(network: Network = "") -> str:
    if network:
        return gettext("The text for %(network)s is empty: write something.") % {"network": network}
    return gettext("The text is empty: write something.")


@_lazy
def invalid_characters(network: Network = "") -> str:
    if network:
        return gettext(
            "The text contains invisible characters that %(network)s refuses "
            "(U+FEFF, U+FFFE or U+FFFF): remove them, often by retyping the pasted part."
        ) % {"network": network}
    return gettext(
        "The text contains invisible characters that networks refuse "
        "(U+FEFF, U+FFFE or U+FFFF): remove them, often by retyping the pasted part."
    )
