"""The X API v2 test server's endpoints, as a Starlette application.

API routes (Bearer user token): ``POST /2/tweets``, ``GET /2/users/{id}/tweets``,
``DELETE /2/tweets/{id}``, here; users/me, mentions, hidden replies, likes and post look-up in
``conversations.py``; media upload in ``media.py``; OAuth 2.0 in ``oauth.py``. Test
routes, for the tests and the benchmark, under ``/_test/``: ``stats``, ``tweets``,
``tokens``, ``revoke``, ``faults``, ``config``, ``reset``, ``consent``, ``clock`` and
``metrics``.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from parvis.networks.textrules.twitter import parse_tweet
from tests.servers.x import conversations, media, oauth
from tests.servers.x.responses import api, drop, invalid, not_found, page_meta, problem_response
from tests.servers.x.state import (
    DUPLICATE_DETAIL,
    FAULTS,
    NOT_FOUND,
    REPLY_GONE_DETAIL,
    Config,
    State,
    User,
    Window,
    problem,
)

_CREATE_FIELDS = {
    "text",
    "reply",
    "media",
    "poll",
    "quote_tweet_id",
    "reply_settings",
    "for_super_followers_only",
    "direct_message_deep_link",
    "geo",
    "nullcast",
    "card_uri",
    "community_id",
    "edit_options",
    "share_with_followers",
    "made_with_ai",
    "paid_partnership",
}


async def create_tweet(request: Request, user: User, state: State) -> Response:
    try:
        body = json.loads(await request.body())
    except ValueError:
        return invalid("The request body is not valid JSON.")
    if not isinstance(body, dict):
        return invalid("The request body must be a JSON object.")
    for key in body:
        if key not in _CREATE_FIELDS:
            return invalid(f"$.{key}: is not defined in the schema", key, "")
    text = body.get("text", "")
    if not isinstance(text, str) or not (text.strip() or body.get("media")):
        return invalid("$.text: Post text is empty and there is no media.", "text", str(text))
    if not parse_tweet(text).valid and text.strip():
        return invalid("$.text: Post text is too long.", "text", text)
    reply_to = ""
    if "reply" in body:
        reply = body["reply"]
        reply_to = reply.get("in_reply_to_tweet_id", "") if isinstance(reply, dict) else ""
        if not (isinstance(reply_to, str) and reply_to.isdigit()):
            return invalid("$.reply.in_reply_to_tweet_id: is not a post id.", "reply", str(reply))
    app_window, now = state.app_window, state.now()
    app_headers: dict[str, str] = {}
    if app_window is not None:
        allowed = app_window.take(now)
        app_headers = app_window.headers(now, "x-app-limit-24hour")
        if not allowed:
            state.counters["status_429"] += 1
            user_window = state.window(user.id, "post")
            headers = {**user_window.headers(now), **app_headers}
            return problem_response(429, headers=headers)
    if state.config.refuse_duplicates and state.is_duplicate(user, text):
        state.counters["status_403_duplicate"] += 1
        return problem_response(403, DUPLICATE_DETAIL)
    if reply_to:
        target = state.tweets.get(reply_to)
        if target is None or target.deleted:
            return problem_response(403, REPLY_GONE_DETAIL)
    quote_id = body.get("quote_tweet_id", "")
    if quote_id and (not str(quote_id).isdigit() or quote_id not in state.tweets):
        return invalid("$.quote_tweet_id: is not a post one may quote.", "quote_tweet_id", quote_id)
    media_keys = _media_keys(body.get("media"), user, state)
    if isinstance(media_keys, Response):
        return media_keys
    tweet = state.create(user, text, reply_to, quote_id, media_keys)
    lost = request.scope.get("x_test.fault") == "lost"
    if lost or (state.config.lost_rate and state.random.random() < state.config.lost_rate):
        return drop(request, state, "lost")  # applied, but nobody hears of it
    data = {"id": tweet.id, "text": tweet.shown, "edit_history_tweet_ids": [tweet.id]}
    return JSONResponse({"data": data}, 201, headers=app_headers)


def _media_keys(raw: Any, user: User, state: State) -> tuple[str, ...] | Response:
    """The keys of the media a post attaches: each uploaded by the user and processed."""
    if raw is None:
        return ()
    ids = raw.get("media_ids") if isinstance(raw, dict) else None
    if not isinstance(ids, list) or not 1 <= len(ids) <= 4:
        return invalid("$.media.media_ids: between 1 and 4 media ids.", "media", str(raw))
    keys = []
    for media_id in ids:
        item = state.media.get(str(media_id))
        if item is None or item.owner_id != user.id:
            return invalid(f"$.media.media_ids: {media_id} is not a valid media id.", "media")
        if item.state != "succeeded":
            return invalid(
                f"Your media IDs are invalid: {media_id} is not ready (processing).", "media"
            )
        keys.append(item.key)
    return tuple(keys)


def _when(raw: str) -> datetime | None:
    return datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None


async def user_tweets(request: Request, user: User, state: State) -> Response:
    user_id = request.path_params["id"]
    query = request.query_params
    if not user_id.isdigit() or len(user_id) > 19:
        return invalid(f"The `id` query parameter value [{user_id}] is not valid", "id", user_id)
    raw_max = query.get("max_results", "10")
    if not raw_max.isdigit() or not 5 <= int(raw_max) <= 100:
        message = f"The `max_results` query parameter value [{raw_max}] is not between 5 and 100"
        return invalid(message, "max_results", raw_max)
    try:
        start, end = _when(query.get("start_time", "")), _when(query.get("end_time", ""))
    except ValueError:
        return invalid("Invalid start_time or end_time: use YYYY-MM-DDTHH:mm:ssZ.")
    if user_id not in state.users:
        error = problem(
            404,
            "Not Found Error",
            f"Could not find user with id: [{user_id}].",
            NOT_FOUND,
            resource_type="user",
            resource_id=user_id,
            parameter="id",
            value=user_id,
        )
        del error["status"]
        return JSONResponse({"errors": [error]})
    token = query.get("pagination_token", "")
    before = int(token, 36) if token else None
    since_id, until_id = query.get("since_id", ""), query.get("until_id", "")
    matching = [
        t
        for t in reversed(state.timelines[user_id])
        if not t.deleted
        and (start is None or t.created_at >= start)
        and (end is None or t.created_at < end)
        and (not since_id or int(t.id) > int(since_id))
        and (not until_id or int(t.id) < int(until_id))
        and (before is None or int(t.id) < before)
    ]
    page = matching[: int(raw_max)]
    if not page:
        return JSONResponse({"meta": {"result_count": 0}})
    fields = set(query.get("tweet.fields", "").split(","))
    meta = page_meta(page, matching)
    return JSONResponse({"data": [t.as_json(fields) for t in page], "meta": meta})


async def delete_tweet(request: Request, user: User, state: State) -> Response:
    tweet_id = request.path_params["id"]
    if not tweet_id.isdigit() or len(tweet_id) > 19:
        return invalid(f"The `id` query parameter value [{tweet_id}] is not valid", "id", tweet_id)
    tweet = state.tweets.get(tweet_id)
    if tweet is None or tweet.deleted:
        return not_found("tweet", tweet_id)
    if tweet.author_id != user.id:
        return problem_response(403, "You are not allowed to delete this Tweet.")
    state.delete(tweet)
    return JSONResponse({"data": {"deleted": True}})


# --- Test routes -------------------------------------------------------------------


async def test_stats(request: Request) -> Response:
    return JSONResponse(request.app.state.x.stats())


async def test_tweets(request: Request) -> Response:
    state: State = request.app.state.x
    user, text = request.query_params.get("user", ""), request.query_params.get("text")
    rows = [
        {
            "id": t.id,
            "author_id": t.author_id,
            "text": t.text,
            "shown": t.shown,
            "in_reply_to_id": t.in_reply_to_id,
            "deleted": t.deleted,
            "hidden": t.hidden,
            "liked_by": sorted(t.liked_by),
            "media_keys": list(t.media_keys),
            "quote_id": t.quote_id,
            "created_at": t.created_at.isoformat(),
        }
        for t in state.tweets.values()
        if (not user or t.author_id == user) and (text is None or t.text == text)
    ]
    return JSONResponse({"tweets": rows, "count": len(rows)})


async def test_tokens(request: Request) -> Response:
    body = await request.json()
    user = request.app.state.x.register_token(
        body["token"], str(body["user_id"]), body.get("username", "")
    )
    if "scopes" in body:  # a token granted only these (else: every scope)
        request.app.state.x.token_scopes[body["token"]] = tuple(body["scopes"])
    return JSONResponse({"id": user.id, "username": user.username})


async def test_revoke(request: Request) -> Response:
    body = await request.json()
    request.app.state.x.revoked.add(body["token"])
    return JSONResponse({"revoked": body["token"]})


async def test_faults(request: Request) -> Response:
    """Queue faults for the next matching calls: {"faults": ["lost"], "path": "/2/tweets"}."""
    body = await request.json()
    state: State = request.app.state.x
    faults = body.get("faults", [])
    unknown = [f for f in faults if f not in FAULTS]
    if unknown:
        return JSONResponse({"error": f"unknown faults {unknown}; known: {FAULTS}"}, 400)
    state.faults.extend((fault, body.get("path", "/2/")) for fault in faults)
    return JSONResponse({"queued": len(state.faults)})


async def test_config(request: Request) -> Response:
    body = await request.json()
    state: State = request.app.state.x
    for key, value in body.items():
        if not hasattr(state.config, key):
            return JSONResponse({"error": f"unknown setting {key}"}, 400)
        current = getattr(state.config, key)
        setattr(state.config, key, type(current)(value) if current is not None else value)
    state.windows.clear()  # new limits apply from a fresh window
    state.app_window = Window(state.config.app_limit, 24 * 3600) if state.config.app_limit else None
    return JSONResponse(vars(state.config))


async def test_reset(request: Request) -> Response:
    request.app.state.x = State(config=request.app.state.x.config)
    return JSONResponse({"reset": True})


class DroppingApp:
    """Closes the connection, unanswered, when a view asked for it.

    Lost answers are the case the publisher's verification must survive: the post is
    made, then the client sees the connection drop. Starlette cannot close a connection
    by itself, so this wrapper (the outermost ASGI app) aborts uvicorn's transport
    instead of sending the response.
    """

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self.state = app.state

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def guarded_send(message) -> None:
            if not scope.get("x_test.drop"):
                await send(message)
                return
            if message["type"] == "http.response.start":
                transport = getattr(getattr(send, "__self__", None), "transport", None)
                if transport is None:
                    raise RuntimeError("cannot reach the server's transport to drop it")
                transport.abort()
                await asyncio.sleep(0)  # let the server see the connection is gone

        await self.app(scope, receive, guarded_send)


def build_app(config: Config | None = None) -> DroppingApp:
    routes = [
        Route("/2/tweets", api("post", create_tweet), methods=["POST"]),
        Route("/2/tweets/{id}", api("delete", delete_tweet), methods=["DELETE"]),
        Route("/2/tweets", api("read", conversations.lookup), methods=["GET"]),
        Route(
            "/2/tweets/{tweet_id}/hidden", api("hide", conversations.hide_reply), methods=["PUT"]
        ),
        Route("/2/users/{id}/likes", api("like", conversations.like), methods=["POST"]),
        Route(
            "/2/users/{id}/likes/{tweet_id}", api("like", conversations.like), methods=["DELETE"]
        ),
        Route("/2/users/me", api("read", conversations.users_me), methods=["GET"]),
        Route("/2/users/{id}/tweets", api("read", user_tweets), methods=["GET"]),
        Route("/2/users/{id}/mentions", api("read", conversations.mentions), methods=["GET"]),
        Route("/2/media/upload/initialize", api("media", media.initialize), methods=["POST"]),
        Route("/2/media/upload/{id}/append", api("media", media.append), methods=["POST"]),
        Route("/2/media/upload/{id}/finalize", api("media", media.finalize), methods=["POST"]),
        Route("/2/media/upload", api("media", media.status), methods=["GET"]),
        Route("/2/media/metadata", api("media", media.metadata), methods=["POST"]),
        Route("/i/oauth2/authorize", oauth.authorize, methods=["GET"]),
        Route("/i/oauth2/authorize", oauth.authorize_answer, methods=["POST"]),
        Route("/2/oauth2/token", oauth.token, methods=["POST"]),
        Route("/_test/consent", conversations.test_consent, methods=["POST"]),
        Route("/_test/clock", conversations.test_clock, methods=["POST"]),
        Route("/_test/metrics", conversations.test_metrics, methods=["POST"]),
        Route("/_test/requests", conversations.test_requests),
        Route("/_test/stats", test_stats),
        Route("/_test/tweets", test_tweets),
        Route("/_test/tokens", test_tokens, methods=["POST"]),
        Route("/_test/revoke", test_revoke, methods=["POST"]),
        Route("/_test/faults", test_faults, methods=["POST"]),
        Route("/_test/config", test_config, methods=["POST"]),
        Route("/_test/reset", test_reset, methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    app.state.x = State(config=config or Config())
    return DroppingApp(app)
