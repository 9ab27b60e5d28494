"""Publishing on a Page: text and link (``/feed``), one photo (``/photos``), several
photos (unpublished ``/photos``, then ``/feed`` with ``attached_media``), a video
(``/videos``), and a first comment (``/{post-id}/comments``).

https://developers.facebook.com/docs/pages-api/posts
https://developers.facebook.com/docs/graph-api/reference/page/photos/
https://developers.facebook.com/docs/video-api/guides/publishing
"""

from __future__ import annotations

import json
import mimetypes
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from parvis.networks.base import (
    ChannelRef,
    MediaItem,
    NetworkError,
    PermanentError,
    PublishRequest,
)
from parvis.networks.meta.graph import GraphAnswer, GraphClient


def _is_url(path: str) -> bool:
    return path.startswith(("https://", "http://"))


def _file(stack: ExitStack, item: MediaItem) -> tuple[str, Any, str]:
    path = Path(item.path)
    if not path.is_file():
        raise PermanentError(
            _("A media file of this post is missing from Parvis: add it again, then publish."),
            detail=f"no file at {item.path}",
        )
    handle = stack.enter_context(path.open("rb"))
    mime = item.mime_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return path.name, handle, mime


async def _with_media(
    graph: GraphClient,
    edge: str,
    channel: ChannelRef,
    item: MediaItem,
    fields: dict[str, str],
    *,
    url_field: str,
    write: bool,
) -> GraphAnswer:
    """POST to a photos or videos edge, by URL when the file is online, else uploaded."""
    if _is_url(item.path):
        data = {**fields, url_field: item.path}
        return await graph.call("POST", edge, token=channel.access_token, data=data, write=write)
    with ExitStack() as stack:
        files = {"source": _file(stack, item)}
        return await graph.call(
            "POST", edge, token=channel.access_token, data=fields, files=files, write=write
        )


def _post_id(answer: GraphAnswer, *keys: str) -> str:
    for key in keys:
        if answer.data.get(key):
            return str(answer.data[key])
    return ""


def text_with_link(request: PublishRequest) -> str:
    """A post with media cannot show a link card: the link goes at the end of the text
    (unless the text has it already), where Facebook makes it clickable."""
    link = request.link.strip()
    if not link or not request.media or link in request.text:
        return request.text
    return f"{request.text.rstrip()}\n\n{link}"


async def publish_post(
    graph: GraphClient, channel: ChannelRef, request: PublishRequest
) -> GraphAnswer:
    """Make the post; the answer's ``id`` (or ``post_id``) is the new post's."""
    page = channel.external_id
    if request.part == "comment":
        if not request.reply_to_id:
            raise PermanentError(_("A first comment needs the post it comments on."))
        data = {"message": request.text}
        return await graph.call(
            "POST",
            f"{request.reply_to_id}/comments",
            token=channel.access_token,
            data=data,
            write=True,
        )
    videos = [m for m in request.media if m.kind == "video"]
    if videos:
        fields = {"description": text_with_link(request)}
        return await _with_media(
            graph, f"{page}/videos", channel, videos[0], fields, url_field="file_url", write=True
        )
    if len(request.media) == 1:
        fields = {"caption": text_with_link(request), "published": "true"}
        if request.media[0].alt_text:
            fields["alt_text_custom"] = request.media[0].alt_text
        return await _with_media(
            graph, f"{page}/photos", channel, request.media[0], fields, url_field="url", write=True
        )
    data: dict[str, str] = {"message": text_with_link(request)}
    if request.link and not request.media:
        data["link"] = request.link
    for position, item in enumerate(request.media):
        # Unpublished photos show nowhere until attached: sending one again is harmless.
        fields = {"published": "false", "temporary": "true"}
        if item.alt_text:
            fields["alt_text_custom"] = item.alt_text
        answer = await _with_media(
            graph, f"{page}/photos", channel, item, fields, url_field="url", write=False
        )
        data[f"attached_media[{position}]"] = json.dumps({"media_fbid": _post_id(answer, "id")})
    return await graph.call(
        "POST", f"{page}/feed", token=channel.access_token, data=data, write=True
    )


async def video_post_id(graph: GraphClient, channel: ChannelRef, video_id: str) -> str:
    """The Page post showing a video (``/videos`` answers with the video's id): what
    the Page's posts, comments and insights know it by. The video's id if Meta does
    not say (the video is published either way)."""
    try:
        node = await graph.get(video_id, token=channel.access_token, fields="post_id")
    except NetworkError:
        return video_id
    post_id = str(node.get("post_id") or "")
    return post_id if post_id else video_id


def new_post_id(answer: GraphAnswer) -> str:
    """The post a publishing answer made (a photo answers with ``post_id`` and ``id``)."""
    return _post_id(answer, "post_id", "id")
