"""Facebook Pages endpoints of the Meta test server, answering as the Graph API does.

Nodes ``/{id}`` (a Page, post, photo, video or comment: GET, POST ``is_hidden``,
DELETE) and edges ``/{id}/{edge}``: ``feed`` / ``published_posts`` / ``posts``
(GET, and POST ``message``, ``link``, ``attached_media[n]``), ``photos`` and
``videos`` (POST with ``url`` / ``file_url`` or a ``source`` upload; photos may be
``published=false`` to be attached later), ``comments`` (GET, POST), a comment's
``likes`` (POST, DELETE: the Page likes it or not) and ``insights``.
Test routes: ``/_test/fb/comment`` (someone comments; answers with the webhook
payload Meta would send), ``/_test/fb/posts``, ``/_test/fb/insights``, ``/_test/fb/clock``.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from tests.servers.meta.graph import Upload, error_response, graph, invalid, not_found
from tests.servers.meta.page_state import (
    PAGE_INSIGHTS,
    POST_INSIGHTS,
    Comment,
    Media,
    PageContent,
    Post,
    content,
    graph_time,
)
from tests.servers.meta.state import State, Token

PAGE_SIZE = 25
_NO_PERMISSION = (
    "(#200) If posting to a page, requires both pages_read_engagement and "
    "pages_manage_posts as an admin with sufficient administrative permission"
)


def fields_of(params: dict[str, Any]) -> list[str]:
    """The top-level names in ``fields`` (``comments.summary(true){id}`` -> comments)."""
    names, depth, current = [], 0, ""
    for char in str(params.get("fields", "")):
        depth += char in "({"
        depth -= char in ")}"
        if char == "," and depth == 0:
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    cleaned = [name.split("{")[0].split(".")[0].split("(")[0].strip() for name in names]
    return [name for name in cleaned if name]


def select(node: dict[str, Any], params: dict[str, Any], default: tuple[str, ...]) -> dict:
    wanted = fields_of(params) or list(default)
    return {"id": node["id"], **{k: node[k] for k in wanted if k in node and k != "id"}}


def page_of(state: State, object_id: str) -> str:
    """The Page an object belongs to ("" when unknown)."""
    fb = content(state)
    if object_id in state.pages:
        return object_id
    if object_id in fb.posts:
        return fb.posts[object_id].page_id
    if object_id in fb.media:
        return fb.media[object_id].page_id
    if object_id in fb.comments:
        return fb.posts[fb.comments[object_id].post_id].page_id
    return ""


def may_read(state: State, token: Token, page_id: str) -> bool:
    if token.kind == "page":
        return token.page_id == page_id
    return page_id in state.people[token.user_id].page_ids


def may_write(token: Token, page_id: str) -> bool:
    return token.kind == "page" and token.page_id == page_id


def paged(items: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
    limit = min(int(params.get("limit") or PAGE_SIZE), 100)
    start = int(params.get("after") or 0)
    body: dict[str, Any] = {"data": items[start : start + limit]}
    if items:
        end = min(start + limit, len(items))
        body["paging"] = {"cursors": {"before": str(start), "after": str(end)}}
        if end < len(items):
            body["paging"]["next"] = f"https://graph.facebook.com/next?after={end}"
    return body


def _since_until(params: dict[str, Any], created: float) -> bool:
    since, until = params.get("since"), params.get("until")
    return (not since or created >= int(since)) and (not until or created <= int(until))


# --- What nodes look like ---------------------------------------------------------------


def post_node(fb: PageContent, post: Post) -> dict[str, Any]:
    tail = post.id.split("_")[-1]
    comments = fb.stream_of(post.id)
    node: dict[str, Any] = {
        "id": post.id,
        "message": post.message,
        "created_time": graph_time(post.created),
        "permalink_url": f"https://www.facebook.com/{post.page_id}/posts/{tail}",
        "comments": {"data": [], "summary": {"total_count": len(comments)}},
        "shares": {"count": post.shares},
    }
    if post.photo_ids:
        node["attachments"] = {
            "data": [{"media_type": "album" if len(post.photo_ids) > 1 else "photo"}]
        }
    return node


def comment_node(state: State, comment: Comment) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": comment.id,
        "message": comment.message,
        "created_time": graph_time(comment.created),
        "from": {"id": comment.author_id, "name": comment.author_name},
        "is_hidden": comment.hidden,
        "user_likes": comment.liked,
        "permalink_url": f"https://www.facebook.com/{comment.post_id}?comment_id={comment.id}",
    }
    if comment.parent_id:
        node["parent"] = {"id": comment.parent_id}
    return node


# --- Nodes ------------------------------------------------------------------------------


async def node(request: Request, token: Token, state: State, params: dict[str, Any]) -> Response:
    object_id = request.path_params["object_id"]
    fb = content(state)
    page_id = page_of(state, object_id)
    if not page_id or not may_read(state, token, page_id):
        return not_found(object_id)
    if request.method == "DELETE":
        if not may_write(token, page_id):
            return error_response(200, _NO_PERMISSION)
        target = fb.posts.get(object_id) or fb.comments.get(object_id) or fb.media.get(object_id)
        if target is None or target.deleted:
            return not_found(object_id)
        target.deleted = True
        return JSONResponse({"success": True})
    if request.method == "POST":
        comment = fb.comments.get(object_id)
        if comment is None or "is_hidden" not in params:
            return invalid("The parameter is_hidden is required on a comment")
        if not may_write(token, page_id):
            return error_response(200, "(#200) The user does not have permission to hide comments")
        comment.hidden = str(params["is_hidden"]).lower() == "true"
        return JSONResponse({"success": True})
    if object_id in state.pages:
        page = state.pages[object_id]
        data = {
            "id": page.id,
            "name": page.name,
            "category": page.category,
            "followers_count": page.followers,
            "fan_count": page.followers,
        }
        return JSONResponse(select(data, params, ("name",)))
    if object_id in fb.posts and not fb.posts[object_id].deleted:
        return JSONResponse(
            select(post_node(fb, fb.posts[object_id]), params, ("message", "created_time"))
        )
    if object_id in fb.comments and not fb.comments[object_id].deleted:
        return JSONResponse(
            select(
                comment_node(state, fb.comments[object_id]),
                params,
                ("message", "created_time", "from"),
            )
        )
    media = fb.media.get(object_id)
    if media is None or media.deleted:
        return not_found(object_id)
    node = {"id": media.id, "created_time": graph_time(media.created)}
    if media.kind == "video":
        node |= {"post_id": media.post_id, "description": media.caption}
    return JSONResponse(select(node, params, ("created_time",)))


# --- Edges ------------------------------------------------------------------------------


async def edge(request: Request, token: Token, state: State, params: dict[str, Any]) -> Response:
    object_id, name = request.path_params["object_id"], request.path_params["edge"]
    page_id = page_of(state, object_id)
    if not page_id or not may_read(state, token, page_id):
        return not_found(object_id)
    handler = EDGES.get((request.method, name))
    if handler is None:
        return invalid(f"Tried accessing nonexisting field ({name})")
    if request.method != "GET" and not may_write(token, page_id):
        return error_response(200, _NO_PERMISSION)
    return await handler(state, object_id, params)


async def list_posts(state: State, page_id: str, params: dict[str, Any]) -> Response:
    if page_id not in state.pages:
        return invalid("Tried accessing nonexisting field (published_posts) on node type (Post)")
    fb = content(state)
    posts = [p for p in fb.page_posts(page_id) if _since_until(params, p.created)]
    nodes = [select(post_node(fb, p), params, ("message", "created_time")) for p in posts]
    return JSONResponse(paged(nodes, params))


def _is_duplicate(fb: PageContent, page_id: str, message: str, link: str) -> bool:
    latest = fb.page_posts(page_id)[:1]
    return (
        bool(message) and bool(latest) and latest[0].message == message and latest[0].link == link
    )


async def create_post(state: State, page_id: str, params: dict[str, Any]) -> Response:
    fb = content(state)
    message, link = str(params.get("message", "")), str(params.get("link", ""))
    attached = []
    for key in sorted(k for k in params if k.startswith("attached_media[")):
        try:
            media_id = str(json.loads(params[key])["media_fbid"])
        except (ValueError, KeyError, TypeError):
            return invalid(f"param {key} must be a JSON object with media_fbid")
        media = fb.media.get(media_id)
        if media is None or media.page_id != page_id or media.published or media.post_id:
            return invalid(
                f"param {key} must be an unpublished photo of this Page", subcode=2069019
            )
        attached.append(media)
    if not (message or link or attached):
        return invalid("Status update is empty.")
    if not attached and _is_duplicate(fb, page_id, message, link):
        return error_response(506, "(#506) Duplicate status message")
    post = fb.post(page_id, message, link=link, photo_ids=[m.id for m in attached])
    for media in attached:
        media.post_id, media.published = post.id, True
    return JSONResponse({"id": post.id})


def _source(params: dict[str, Any], url_field: str) -> str | None:
    upload = params.get("source")
    if isinstance(upload, Upload):
        return f"upload:{len(upload.data)}" if upload.data else None
    url = str(params.get(url_field, ""))
    return url if url.startswith(("http://", "https://")) else None


async def create_photo(state: State, page_id: str, params: dict[str, Any]) -> Response:
    fb = content(state)
    source = _source(params, "url")
    if source is None:
        return error_response(324, "(#324) Requires upload file", status=400)
    published = str(params.get("published", "true")).lower() != "false"
    caption = str(params.get("caption") or params.get("message") or "")
    media = Media(
        fb.serial() + "0001",
        page_id,
        "photo",
        source,
        published,
        caption,
        str(params.get("alt_text_custom", "")),
        created=fb.now(),
    )
    fb.media[media.id] = media
    if not published:
        return JSONResponse({"id": media.id})
    post = fb.post(page_id, caption, photo_ids=[media.id])
    media.post_id = post.id
    return JSONResponse({"id": media.id, "post_id": post.id})


async def create_video(state: State, page_id: str, params: dict[str, Any]) -> Response:
    fb = content(state)
    source = _source(params, "file_url")
    if source is None:
        return error_response(
            100, "(#100) No file or file_url was provided for the video", status=400
        )
    media = Media(
        fb.serial() + "0002",
        page_id,
        "video",
        source,
        True,
        str(params.get("description", "")),
        created=fb.now(),
    )
    fb.media[media.id] = media
    post = fb.post(page_id, media.caption, video_id=media.id)
    media.post_id = post.id
    return JSONResponse({"id": media.id})


async def list_comments(state: State, object_id: str, params: dict[str, Any]) -> Response:
    fb = content(state)
    if params.get("filter") == "stream" and object_id in fb.posts:
        found = fb.stream_of(object_id)
    else:
        found = fb.comments_of(object_id)
    found = [c for c in found if _since_until(params, c.created)]
    if params.get("order") == "reverse_chronological":
        found.reverse()
    nodes = [
        select(comment_node(state, c), params, ("message", "created_time", "from")) for c in found
    ]
    body = paged(nodes, params)
    if "summary" in str(params.get("summary", "")) or params.get("summary") == "true":
        body["summary"] = {"total_count": len(found), "order": params.get("order", "chronological")}
    return JSONResponse(body)


async def create_comment(state: State, object_id: str, params: dict[str, Any]) -> Response:
    fb = content(state)
    message = str(params.get("message", ""))
    if not message and not params.get("attachment_url"):
        return invalid("Missing message or attachment")
    parent = fb.comments.get(object_id)
    post = fb.posts.get(parent.post_id if parent else object_id)
    if post is None or post.deleted or (parent and parent.deleted):
        return not_found(object_id)
    page = state.pages[post.page_id]
    comment = fb.comment(post, message, (page.id, page.name), parent.id if parent else "")
    return JSONResponse({"id": comment.id})


def like_comment(liked: bool):
    """The Page likes (POST) or stops liking (DELETE) a comment: ``/{comment-id}/likes``."""

    async def handler(state: State, object_id: str, params: dict[str, Any]) -> Response:
        comment = content(state).comments.get(object_id)
        if comment is None or comment.deleted:
            return not_found(object_id)
        comment.liked = liked
        return JSONResponse({"success": True})

    return handler


async def insights(state: State, object_id: str, params: dict[str, Any]) -> Response:
    fb = content(state)
    known = PAGE_INSIGHTS if object_id in state.pages else POST_INSIGHTS
    metrics = [m for m in str(params.get("metric", "")).split(",") if m]
    unknown = [m for m in metrics if m not in known]
    if not metrics or unknown:
        return invalid("The value must be a valid insights metric")
    period = str(params.get("period") or ("day" if object_id in state.pages else "lifetime"))
    data = []
    for metric in metrics:
        default: Any = {} if metric.endswith("_by_type_total") else 0
        value = fb.insights.get((object_id, metric), default)
        data.append(
            {
                "name": metric,
                "period": period,
                "values": [{"value": value, "end_time": graph_time(fb.now())}],
                "title": metric.replace("_", " ").title(),
                "description": f"{metric} ({period})",
                "id": f"{object_id}/insights/{metric}/{period}",
            }
        )
    return JSONResponse({"data": data, "paging": {}})


async def subscribe_app(state: State, page_id: str, params: dict[str, Any]) -> Response:
    fields = [f for f in str(params.get("subscribed_fields", "")).split(",") if f]
    if page_id not in state.pages or not fields:
        return invalid("Param subscribed_fields must be non-empty")
    content(state).subscriptions[page_id] = fields
    return JSONResponse({"success": True})


async def subscribed_apps(state: State, page_id: str, params: dict[str, Any]) -> Response:
    fields = content(state).subscriptions.get(page_id)
    apps = [{"id": state.app_id, "name": "Parvis", "subscribed_fields": fields}] if fields else []
    return JSONResponse({"data": apps})


EDGES = {
    ("POST", "likes"): like_comment(True),
    ("DELETE", "likes"): like_comment(False),
    ("POST", "subscribed_apps"): subscribe_app,
    ("GET", "subscribed_apps"): subscribed_apps,
    ("GET", "feed"): list_posts,
    ("GET", "posts"): list_posts,
    ("GET", "published_posts"): list_posts,
    ("POST", "feed"): create_post,
    ("POST", "photos"): create_photo,
    ("POST", "videos"): create_video,
    ("GET", "comments"): list_comments,
    ("POST", "comments"): create_comment,
    ("GET", "insights"): insights,
}


# --- Test routes ------------------------------------------------------------------------


async def test_comment(request: Request) -> Response:
    """Someone comments: {"on": post or comment id, "message", "from": {"id", "name"}}."""
    state: State = request.app.state.meta
    fb = content(state)
    body = await request.json()
    parent = fb.comments.get(body["on"])
    post = fb.posts[parent.post_id if parent else body["on"]]
    author = body.get("from") or {"id": "5550001", "name": "Camille Martin"}
    comment = fb.comment(
        post, body["message"], (str(author["id"]), author["name"]), parent.id if parent else ""
    )
    value = {
        "from": {"id": comment.author_id, "name": comment.author_name},
        "post": {
            "status_type": "mobile_status_update",
            "is_published": True,
            "updated_time": graph_time(comment.created),
            "permalink_url": post_node(fb, post)["permalink_url"],
            "promotion_status": "inactive",
            "id": post.id,
        },
        "message": comment.message,
        "post_id": post.id,
        "comment_id": comment.id,
        "created_time": int(comment.created),
        "item": "comment",
        "parent_id": comment.parent_id or post.id,
        "verb": "add",
    }
    payload = {
        "entry": [
            {
                "id": post.page_id,
                "time": int(comment.created),
                "changes": [{"value": value, "field": "feed"}],
            }
        ],
        "object": "page",
    }
    return JSONResponse({"id": comment.id, "webhook": payload})


async def test_posts(request: Request) -> Response:
    state: State = request.app.state.meta
    fb = content(state)
    page_id = request.query_params.get("page_id", "")
    rows = []
    for post in fb.posts.values():
        if page_id and post.page_id != page_id:
            continue
        rows.append(
            {
                "id": post.id,
                "message": post.message,
                "link": post.link,
                "deleted": post.deleted,
                "photos": [vars(fb.media[m]) for m in post.photo_ids],
                "video": vars(fb.media[post.video_id]) if post.video_id else None,
                "comments": [vars(c) for c in fb.stream_of(post.id)],
            }
        )
    return JSONResponse({"posts": rows, "media": [vars(m) for m in fb.media.values()]})


async def test_insights(request: Request) -> Response:
    state: State = request.app.state.meta
    body = await request.json()
    for metric, value in body["values"].items():
        content(state).insights[(str(body["object_id"]), metric)] = value
    return JSONResponse({"ok": True})


async def test_clock(request: Request) -> Response:
    body = await request.json()
    content(request.app.state.meta).clock = float(body.get("epoch", 0))
    return JSONResponse({"ok": True})


def page_routes() -> list[BaseRoute]:
    return [
        Route("/_test/fb/comment", test_comment, methods=["POST"]),
        Route("/_test/fb/posts", test_posts),
        Route("/_test/fb/insights", test_insights, methods=["POST"]),
        Route("/_test/fb/clock", test_clock, methods=["POST"]),
        Route("/{version}/{object_id}/{edge}", graph(edge), methods=["GET", "POST", "DELETE"]),
        Route("/{version}/{object_id}", graph(node), methods=["GET", "POST", "DELETE"]),
    ]
