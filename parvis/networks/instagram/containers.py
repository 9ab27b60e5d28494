"""Instagram's media containers: what each ``status_code`` means for a publication.

Publishing on Instagram is three steps: make a container (Instagram downloads the
media from a public URL), wait until its ``status_code`` is FINISHED, then
``media_publish`` it. The codes:

- IN_PROGRESS: still downloading or processing (videos take a while): wait, reading
  it again with a growing delay, within the publishing lease;
- FINISHED: ready to publish;
- ERROR: Instagram could not use the media: a permanent failure, with its reason
  (``status`` holds the error subcode);
- EXPIRED: not published within 24 hours: a permanent failure;
- PUBLISHED: already published (found again after a lost answer).

https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-container
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parvis.networks.base import PermanentError, TransientError
from parvis.networks.lazytext import with_values

# Delays between reads of an IN_PROGRESS container, in seconds: about 80 s in all,
# well within the publishing lease (120 s). Still processing after that: try later.
POLL_DELAYS: tuple[float, ...] = (1, 2, 3, 5, 8, 13, 20, 30)

# The container error subcodes Meta documents that a person can act on.
ERROR_REASONS: dict[int, Promise] = {
    2207003: _("Instagram took too long to download the file"),
    2207004: _("the image is larger than Instagram accepts (8 MB)"),
    2207005: _("Instagram does not accept this image's format: use a JPEG"),
    2207009: _("the image's proportions are outside what Instagram accepts (4:5 to 1.91:1)"),
    2207026: _("Instagram does not accept this video's format: use an MP4 (H.264, AAC)"),
    2207052: _(
        "Instagram could not download the file from Parvis: PARVIS_BASE_URL must be a "
        "public address Instagram can reach"
    ),
}


class ContainerStatus(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    FINISHED = "FINISHED"
    ERROR = "ERROR"
    EXPIRED = "EXPIRED"
    PUBLISHED = "PUBLISHED"


def subcode_of(status: str) -> int | None:
    """The error subcode in a container's ``status`` ("Error: 2207026"), if any."""
    found = re.search(r"\b(2207\d{3})\b", status or "")
    return int(found.group(1)) if found else None


def failure(body: dict[str, Any]) -> PermanentError | None:
    """The permanent error an ERROR or EXPIRED container means; None otherwise."""
    code = str(body.get("status_code", ""))
    detail = f"container {body.get('id', '?')}: {code} {body.get('status', '')}".strip()
    if code == ContainerStatus.EXPIRED:
        return PermanentError(
            _(
                "Instagram discarded the prepared post because it was not published within "
                "24 hours: publish it again."
            ),
            detail=detail,
        )
    if code != ContainerStatus.ERROR:
        return None
    subcode = subcode_of(str(body.get("status", "")))
    reason = ERROR_REASONS.get(subcode or 0)
    if reason is None:
        message = with_values(
            _(
                "Instagram could not process this post's media (%(status)s): check the "
                "images and videos, then publish again."
            ),
            status=str(body.get("status") or code),
        )
    else:
        message = with_values(
            _("Instagram could not process this post's media: %(reason)s."), reason=reason
        )
    return PermanentError(message, detail=detail)


async def wait_until_finished(
    read: Callable[[], Awaitable[dict[str, Any]]],
    *,
    delays: Sequence[float] = POLL_DELAYS,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> ContainerStatus:
    """Read the container until it is FINISHED (or PUBLISHED); raise what ERROR or
    EXPIRED mean, or TransientError if it is still processing after every delay."""
    for delay in (*delays, None):
        body = await read()
        error = failure(body)
        if error is not None:
            raise error
        code = str(body.get("status_code", ""))
        if code in (ContainerStatus.FINISHED, ContainerStatus.PUBLISHED):
            return ContainerStatus(code)
        if delay is None:
            break
        await sleep(delay)
    raise TransientError(
        _("Instagram is still processing this post's media: Parvis will try again shortly."),
        detail=f"container still {body.get('status_code')} after {len(delays) + 1} reads",
    )
