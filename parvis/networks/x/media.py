"""Uploading an image, GIF or video to X (media upload v2), before the post that uses it.

INIT (``/2/media/upload/initialize``), APPEND in chunks of at most 4 MB, FINALIZE; a
video or GIF then shows ``processing_info``: Parvis waits ``check_after_secs`` and asks
STATUS until ``succeeded`` (or ``failed``: the post is refused with X's reason). The
description (alt text) goes in ``/2/media/metadata``. Uploading again is harmless: a
media nobody posts expires by itself, so none of these calls is an unknown outcome.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from django.utils.translation import gettext_lazy as _

from parvis.core import http
from parvis.networks.base import ChannelRef, MediaItem, PermanentError, TransientError
from parvis.networks.x.errors import from_transport, with_values

CHUNK_BYTES = 4 * 1024 * 1024
MAX_STATUS_CHECKS = 40
MAX_WAIT_SECONDS = 30  # between two STATUS checks, whatever X suggests
CATEGORIES = {"image": "tweet_image", "gif": "tweet_gif", "video": "tweet_video"}

Call = Callable[..., Awaitable[dict[str, Any]]]
Sleep = Callable[[float], Awaitable[None]]


async def read_bytes(item: MediaItem) -> bytes:
    """The file's bytes: a local path, or a URL when the storage keeps no local files."""
    if item.path.startswith(("http://", "https://")):
        try:
            async with http.async_session(base_url="") as client:
                response = await client.get(item.path)
        except httpx.TransportError as error:
            raise from_transport(error, write=False) from error
        if not response.is_success:
            raise TransientError(
                _("Parvis could not read a media file from its storage: it will try again."),
                detail=f"{response.status_code} for {item.path}",
            )
        return response.content
    try:
        return await asyncio.to_thread(Path(item.path).read_bytes)
    except OSError as error:
        raise PermanentError(
            _("A media file of this post is missing from Parvis's storage: choose it again."),
            detail=str(error),
        ) from error


async def upload(call: Call, channel: ChannelRef, item: MediaItem, *, sleep: Sleep) -> str:
    """Upload one media and return its id, ready to attach to a post."""
    payload = await read_bytes(item)
    opened = await call(
        "POST",
        "/2/media/upload/initialize",
        channel,
        json={
            "media_type": item.mime_type,
            "total_bytes": len(payload),
            "media_category": CATEGORIES[item.kind],
        },
    )
    media_id = str((opened.get("data") or {}).get("id") or "")
    if not media_id:
        raise TransientError(
            _("X did not open the media upload: Parvis will try again."), detail=str(opened)[:200]
        )
    for index, start in enumerate(range(0, len(payload), CHUNK_BYTES)):
        chunk = payload[start : start + CHUNK_BYTES]
        await call(
            "POST",
            f"/2/media/upload/{media_id}/append",
            channel,
            data={"segment_index": str(index)},
            files={"media": ("media", chunk, "application/octet-stream")},
        )
    done = await call("POST", f"/2/media/upload/{media_id}/finalize", channel)
    await _wait_for_processing(call, channel, media_id, done, sleep=sleep)
    if item.alt_text:
        await call(
            "POST",
            "/2/media/metadata",
            channel,
            json={"id": media_id, "metadata": {"alt_text": {"text": item.alt_text[:1000]}}},
        )
    return media_id


async def _wait_for_processing(
    call: Call, channel: ChannelRef, media_id: str, answer: dict[str, Any], *, sleep: Sleep
) -> None:
    for _check in range(MAX_STATUS_CHECKS):
        info = (answer.get("data") or {}).get("processing_info") or {}
        state = info.get("state", "succeeded")
        if state == "succeeded":
            return
        if state == "failed":
            reason = (info.get("error") or {}).get("message") or "processing failed"
            raise PermanentError(
                with_values(_("X could not process this video: %(reason)s"), reason=reason),
                detail=f"media {media_id}: {info}",
            )
        await sleep(min(float(info.get("check_after_secs") or 1), MAX_WAIT_SECONDS))
        answer = await call(
            "GET",
            "/2/media/upload",
            channel,
            params={"media_id": media_id, "command": "STATUS"},
        )
    raise TransientError(
        _("X is still processing the video: Parvis will try again."),
        detail=f"media {media_id} not processed after {MAX_STATUS_CHECKS} checks",
    )
