"""What every route of the X test server answers with: problems, invalid requests, the
``api`` wrapper (latency, injected faults, the Bearer token, rate-limit headers)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tests.servers.x.state import INVALID_REQUEST, NOT_FOUND, State, Tweet, User, base36, problem

PROBLEM_JSON = "application/problem+json"
STATUS_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

Handler = Callable[[Request, User, State], Awaitable[Response]]


def problem_response(
    status: int, detail: str = "", headers: dict[str, str] | None = None
) -> Response:
    title = STATUS_TITLES[status]
    body = problem(status, title, detail or title)
    return JSONResponse(body, status, headers=headers, media_type=PROBLEM_JSON)


def invalid(message: str, parameter: str = "", value: str = "") -> Response:
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


def drop(request: Request, state: State, counter: str) -> Response:
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
        state.counters[f"{request.method} {request.url.path}"] += 1
        await state.note_request(request)
        if config.latency_ms:
            await asyncio.sleep(config.latency_ms / 1000)
        fault = state.take_fault(request.url.path)
        if not fault and config.fail_rate and state.random.random() < config.fail_rate:
            fault = "503"
        if fault in ("500", "503", "504"):
            state.counters[f"status_{fault}"] += 1
            return problem_response(int(fault))
        if fault == "drop":  # before anything is applied
            return drop(request, state, "dropped")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        user = state.user_for(token) if scheme.lower() == "bearer" else None
        if user is None or fault == "401":
            state.counters["status_401"] += 1
            return problem_response(401)
        if fault == "usage-capped":
            state.counters["status_429"] += 1
            return JSONResponse(state.usage_capped(), 429, media_type=PROBLEM_JSON)
        window = state.window(user.id, endpoint)
        if fault == "429" or not window.take(state.now()):
            state.counters["status_429"] += 1
            headers = window.headers(state.now())
            headers["x-rate-limit-remaining"] = "0"
            return problem_response(429, headers=headers)
        request.scope["x_test.fault"] = fault
        response = await handler(request, user, state)
        if not request.scope.get("x_test.drop"):
            response.headers.update(window.headers(state.now()))
        return response

    return view


def not_found(kind: str, value: str) -> Response:
    """X's 404 problem for a post, a user or a media that does not exist."""
    body = problem(
        404,
        "Not Found Error",
        f"Could not find {kind} with id: [{value}].",
        NOT_FOUND,
        resource_type=kind,
        resource_id=value,
        parameter="id",
        value=value,
    )
    return JSONResponse(body, 404, media_type=PROBLEM_JSON)


def page_meta(page: list[Tweet], matching: list[Tweet]) -> dict[str, Any]:
    """A timeline page's ``meta``: its newest and oldest ids, the token to go on."""
    meta: dict[str, Any] = {
        "result_count": len(page),
        "newest_id": page[0].id,
        "oldest_id": page[-1].id,
    }
    if len(matching) > len(page):
        meta["next_token"] = base36(int(page[-1].id))
    return meta
