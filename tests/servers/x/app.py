"""The X API v2 test server's endpoints, as a Starlette application.

API routes (Bearer user token): ``POST /2/tweets``, ``GET /2/users/{id}/tweets``,
``DELETE /2/tweets/{id}``, ``GET /2/users/me``. Test routes, for the tests and the
benchmark, under ``/_test/``: ``stats``, ``tweets``, ``tokens``, ``revoke``, ``faults``,
``config`` and ``reset``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from parvis.networks.textrules.twitter import parse_tweet
from tests.servers.x.state import (
    DUPLICATE_DETAIL,
    FAULTS,
    INVALID_REQUEST,
    NOT_FOUND,
    REPLY_GONE_DETAIL,
    Config,
    State,
    User,
    Window,
    problem,
)

PROBLEM_JSON = "application/problem+json"
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
_STATUS_TITLES = {
    401: "Unauthorized",
    403: "Forbidden",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

Handler = Callable[[Request, User, State], Awaitable[Response]]


def _problem(status: int, detail: str = "", headers: dict[str, str] | None = None) -> Response:
    title = _STATUS_TITLES[status]
    body = problem(status, title, detail or title)
    return JSONResponse(body, status, headers=headers, media_type=PROBLEM_JSON)


def _invalid(message: str, parameter: str = "", value: str = "") -> Response:
    error: dict[str, Any] = {"message": message}
    if parameter:
        error["parameters"] = {parameter: [value]}
    body = {
        "errors": [error],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": INVALID_REQUEST,
    }
    return JSONResponse(body, 400, media_type=PROBLEM_JSON)


def _drop(request: Request, state: State, counter: str) -> Response:
    """Close the connection without an answer (see DroppingApp)."""
    request.scope["x_test.drop"] = True
    state.counters[counter] += 1
    return Response(status_code=204)


def api(endpoint: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """What every API call goes through: latency, injected faults, the Bearer token."""

    async def view(request: Request) -> Response:
        state: State = request.app.state.x
        config = state.config
        state.counters["requests"] += 1
        if config.latency_ms:
            await asyncio.sleep(config.latency_ms / 1000)
        fault = state.take_fault(request.url.path)
        if not fault and config.fail_rate and state.random.random() < config.fail_rate:
            fault = "503"
        if fault in ("500", "503", "504"):
            state.counters[f"status_{fault}"] += 1
            return _problem(int(fault))
        if fault == "drop":  # before anything is applied
            return _drop(request, state, "dropped")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        user = state.user_for(token) if scheme.lower() == "bearer" else None
        if user is None or fault == "401":
            state.counters["status_401"] += 1
            return _problem(401)
        window = state.window(user.id, endpoint)
        if fault == "429" or not window.take(state.now()):
            state.counters["status_429"] += 1
            headers = window.headers(state.now())
            headers["x-rate-limit-remaining"] = "0"
            return _problem(429, headers=headers)
        request.scope["x_test.fault"] = fault
        response = await handler(request, user, state)
        if not request.scope.get("x_test.drop"):
            response.headers.update(window.headers(state.now()))
        return response

    return view


async def create_tweet(request: Request, user: User, state: State) -> Response:
    try:
        body = json.loads(await request.body())
    except ValueError:
        return _invalid("The request body is not valid JSON.")
    if not isinstance(body, dict):
        return _invalid("The request body must be a JSON object.")
    for key in body:
        if key not in _CREATE_FIELDS:
            return _invalid(f"$.{key}: is not defined in the schema", key, "")
    text = body.get("text", "")
    if not isinstance(text, str) or not (text.strip() or body.get("media")):
        return _invalid("$.text: Post text is empty and there is no media.", "text", str(text))
    if not parse_tweet(text).valid and text.strip():
        return _invalid("$.text: Post text is too long.", "text", text)
    reply_to = ""
    if "reply" in body:
        reply = body["reply"]
        reply_to = reply.get("in_reply_to_tweet_id", "") if isinstance(reply, dict) else ""
        if not (isinstance(reply_to, str) and reply_to.isdigit()):
            return _invalid("$.reply.in_reply_to_tweet_id: is not a post id.", "reply", str(reply))
    app_window, now = state.app_window, state.now()
    app_headers: dict[str, str] = {}
    if app_window is not None:
        allowed = app_window.take(now)
        app_headers = app_window.headers(now, "x-app-limit-24hour")
        if not allowed:
            state.counters["status_429"] += 1
            user_window = state.window(user.id, "post")
            headers = {**user_window.headers(now), **app_headers}
            return _problem(429, headers=headers)
    if state.config.refuse_duplicates and state.is_duplicate(user, text):
        state.counters["status_403_duplicate"] += 1
        return _problem(403, DUPLICATE_DETAIL)
    if reply_to:
        target = state.tweets.get(reply_to)
        if target is None or target.deleted:
            return _problem(403, REPLY_GONE_DETAIL)
    tweet = state.create(user, text, reply_to)
    lost = request.scope.get("x_test.fault") == "lost"
    if lost or (state.config.lost_rate and state.random.random() < state.config.lost_rate):
        return _drop(request, state, "lost")  # applied, but nobody hears of it
    data = {"id": tweet.id, "text": tweet.shown, "edit_history_tweet_ids": [tweet.id]}
    return JSONResponse({"data": data}, 201, headers=app_headers)


def _when(raw: str) -> datetime | None:
    return datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None


async def user_tweets(request: Request, user: User, state: State) -> Response:
    user_id = request.path_params["id"]
    query = request.query_params
    if not user_id.isdigit() or len(user_id) > 19:
        return _invalid(f"The `id` query parameter value [{user_id}] is not valid", "id", user_id)
    raw_max = query.get("max_results", "10")
    if not raw_max.isdigit() or not 5 <= int(raw_max) <= 100:
        message = f"The `max_results` query parameter value [{raw_max}] is not between 5 and 100"
        return _invalid(message, "max_results", raw_max)
    try:
        start, end = _when(query.get("start_time", "")), _when(query.get("end_time", ""))
    except ValueError:
        return _invalid("Invalid start_time or end_time: use YYYY-MM-DDTHH:mm:ssZ.")
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
    meta: dict[str, Any] = {
        "result_count": len(page),
        "newest_id": page[0].id,
        "oldest_id": page[-1].id,
    }
    if len(matching) > len(page):
        meta["next_token"] = _base36(int(page[-1].id))
    return JSONResponse({"data": [t.as_json(fields) for t in page], "meta": meta})


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


async def delete_tweet(request: Request, user: User, state: State) -> Response:
    tweet_id = request.path_params["id"]
    if not tweet_id.isdigit() or len(tweet_id) > 19:
        return _invalid(f"The `id` query parameter value [{tweet_id}] is not valid", "id", tweet_id)
    tweet = state.tweets.get(tweet_id)
    if tweet is None or tweet.deleted:
        body = problem(
            404,
            "Not Found Error",
            f"Could not find tweet with id: [{tweet_id}].",
            NOT_FOUND,
            resource_type="tweet",
            resource_id=tweet_id,
            parameter="id",
            value=tweet_id,
        )
        return JSONResponse(body, 404, media_type=PROBLEM_JSON)
    if tweet.author_id != user.id:
        return _problem(403, "You are not allowed to delete this Tweet.")
    state.delete(tweet)
    return JSONResponse({"data": {"deleted": True}})


async def users_me(request: Request, user: User, state: State) -> Response:
    return JSONResponse({"data": {"id": user.id, "name": user.name, "username": user.username}})


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
        Route("/2/users/me", api("read", users_me), methods=["GET"]),
        Route("/2/users/{id}/tweets", api("read", user_tweets), methods=["GET"]),
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
