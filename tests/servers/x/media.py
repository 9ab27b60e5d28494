"""Media upload v2, as X documents it: INIT, APPEND, FINALIZE, STATUS, then metadata.

``POST /2/media/upload/initialize`` (JSON) opens a session; ``POST
/2/media/upload/{id}/append`` (multipart: ``media``, ``segment_index``) adds a chunk;
``POST /2/media/upload/{id}/finalize`` checks the bytes add up. Images are ready at
once; videos and animated GIFs answer ``processing_info`` (``pending``, then
``in_progress`` on each ``GET /2/media/upload?command=STATUS`` until ``succeeded``, or
``failed`` with an ``error``). ``POST /2/media/metadata`` sets the alt text.
"""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tests.servers.x.responses import invalid, not_found, problem_response
from tests.servers.x.state import Media, State, User

EXPIRES_AFTER = 86_400
MAX_SEGMENT = 5 * 1024 * 1024  # X refuses a chunk over 5 MB
MEDIA_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/quicktime"}
CATEGORIES = {"tweet_image", "tweet_gif", "tweet_video", "amplify_video"}
PROCESSED = {"tweet_gif", "tweet_video", "amplify_video"}


def multipart_fields(content_type: str, body: bytes) -> dict[str, bytes]:
    """The parts of a multipart/form-data body, by name (no extra package needed)."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: dict[str, bytes] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            fields[str(name)] = part.get_payload(decode=True) or b""
    return fields


def _session(state: State, user: User, media_id: str) -> Media | Response:
    media = state.media.get(media_id)
    if media is None or media.owner_id != user.id:
        return not_found("media", media_id)
    return media


async def initialize(request: Request, user: User, state: State) -> Response:
    try:
        body = json.loads(await request.body())
    except ValueError:
        return invalid("The request body is not valid JSON.")
    media_type = body.get("media_type", "")
    total = body.get("total_bytes")
    category = body.get("media_category") or "tweet_image"
    if media_type not in MEDIA_TYPES:
        return invalid(f"$.media_type: {media_type} is not supported.", "media_type", media_type)
    if not isinstance(total, int) or total <= 0:
        return invalid("$.total_bytes: must be a positive integer.", "total_bytes", str(total))
    if category not in CATEGORIES:
        return invalid(f"$.media_category: {category} is not valid.", "media_category", category)
    media = Media(state.new_media_id(), user.id, media_type, category, total)
    state.media[media.id] = media
    data = {"id": media.id, "media_key": media.key, "expires_after_secs": EXPIRES_AFTER}
    return JSONResponse({"data": data})


async def append(request: Request, user: User, state: State) -> Response:
    media = _session(state, user, request.path_params["id"])
    if isinstance(media, Response):
        return media
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        return invalid("APPEND takes a multipart/form-data body.")
    fields = multipart_fields(content_type, await request.body())
    index = fields.get("segment_index", b"").decode()
    if "media" not in fields or not index.isdigit() or int(index) > 999:
        return invalid("$.segment_index and $.media are required.", "segment_index", index)
    if len(fields["media"]) > MAX_SEGMENT:
        return invalid("A segment is at most 5 MB.", "media", "")
    if media.finalized:
        return invalid("This upload was already finalized.", "id", media.id)
    media.segments[int(index)] = len(fields["media"])
    return JSONResponse({"data": {"expires_at": int(state.now()) + EXPIRES_AFTER}})


def _upload_json(media: Media, check_after: int) -> dict:
    data: dict = {
        "id": media.id,
        "media_key": media.key,
        "size": media.total_bytes,
        "expires_after_secs": EXPIRES_AFTER,
    }
    if media.state in ("pending", "in_progress", "failed"):
        info: dict = {"state": media.state, "type": "processing"}
        if media.state != "failed":
            info["check_after_secs"] = check_after
        if media.state == "in_progress":
            info["progress_percent"] = 50
        if media.state == "failed":
            info["error"] = {"code": 1, "name": "InvalidMedia", "message": "Unsupported video."}
        data["processing_info"] = info
    elif media.category in PROCESSED:
        data["processing_info"] = {"state": "succeeded", "type": "processing"}
    return {"data": data}


async def finalize(request: Request, user: User, state: State) -> Response:
    media = _session(state, user, request.path_params["id"])
    if isinstance(media, Response):
        return media
    received = sum(media.segments.values())
    if received != media.total_bytes or sorted(media.segments) != list(range(len(media.segments))):
        detail = f"File size mismatch: {received} bytes received, {media.total_bytes} expected."
        return invalid(detail, "id", media.id)
    if not media.finalized:
        media.finalized = True
        if media.category in PROCESSED:
            media.state, media.polls_left = "pending", state.config.processing_polls
        else:
            media.state = "succeeded"
    return JSONResponse(_upload_json(media, state.config.processing_check_after))


async def status(request: Request, user: User, state: State) -> Response:
    media_id = request.query_params.get("media_id", "")
    if request.query_params.get("command", "STATUS") != "STATUS":
        return invalid("command must be STATUS.", "command", request.query_params["command"])
    media = _session(state, user, media_id)
    if isinstance(media, Response):
        return media
    if media.state in ("pending", "in_progress"):
        if media.polls_left > 0:
            media.polls_left -= 1
            media.state = "in_progress"
        else:
            media.state = "failed" if state.config.processing_fails else "succeeded"
    return JSONResponse(_upload_json(media, state.config.processing_check_after))


async def metadata(request: Request, user: User, state: State) -> Response:
    try:
        body = json.loads(await request.body())
    except ValueError:
        return invalid("The request body is not valid JSON.")
    media = _session(state, user, str(body.get("id", "")))
    if isinstance(media, Response):
        return media
    alt = ((body.get("metadata") or {}).get("alt_text") or {}).get("text", "")
    if not isinstance(alt, str) or len(alt) > 1000:
        return invalid("$.metadata.alt_text.text: at most 1000 characters.", "alt_text", "")
    if media.state != "succeeded":
        return problem_response(400, "The media is not ready: finish its upload first.")
    media.alt_text = alt
    data = {"id": media.id, "associated_metadata": {"alt_text": {"text": alt}}}
    return JSONResponse({"data": data})
