"""Reading and moderating: mentions, hidden replies, post look-up with public_metrics.

``GET /2/users/{id}/mentions`` (``since_id``, ``pagination_token``, ``expansions=author_id``
with ``includes.users``), ``PUT /2/tweets/{tweet_id}/hidden``, ``GET /2/tweets?ids=``,
likes: ``POST /2/users/{id}/likes`` and ``DELETE /2/users/{id}/likes/{tweet_id}``.
Test routes: ``/_test/consent`` (a person's next answer on the consent page),
``/_test/clock`` (time moves on: tokens expire), ``/_test/metrics`` (a post's or an
account's public figures).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tests.servers.x.responses import invalid, not_found, page_meta, problem_response
from tests.servers.x.state import NOT_FOUND, State, User, problem


def _fields(request: Request, name: str) -> set[str]:
    return set(request.query_params.get(name, "").split(","))


def _id_or_none(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) <= 19 else None


def _not_found(kind: str, value: str, parameter: str = "id") -> dict[str, Any]:
    error = problem(
        404,
        "Not Found Error",
        f"Could not find {kind} with {parameter}: [{value}].",
        NOT_FOUND,
        resource_type=kind,
        resource_id=value,
        parameter=parameter,
        value=value,
    )
    del error["status"]
    return error


async def mentions(request: Request, user: User, state: State) -> Response:
    user_id, query = request.path_params["id"], request.query_params
    if _id_or_none(user_id) is None:
        return invalid(f"The `id` query parameter value [{user_id}] is not valid", "id", user_id)
    raw_max = query.get("max_results", "10")
    if not raw_max.isdigit() or not 5 <= int(raw_max) <= 100:
        message = f"The `max_results` query parameter value [{raw_max}] is not between 5 and 100"
        return invalid(message, "max_results", raw_max)
    since_id, token = query.get("since_id", ""), query.get("pagination_token", "")
    if since_id and _id_or_none(since_id) is None:
        return invalid(f"The `since_id` query parameter value [{since_id}] is not valid")
    target = state.users.get(user_id)
    if target is None:
        return JSONResponse({"errors": [_not_found("user", user_id)]})
    before = int(token, 36) if token else None
    matching = [
        t
        for t in state.mentions_of(target)
        if (not since_id or int(t.id) > int(since_id)) and (before is None or int(t.id) < before)
    ]
    page = matching[: int(raw_max)]
    if not page:
        return JSONResponse({"meta": {"result_count": 0}})
    fields = _fields(request, "tweet.fields")
    body: dict[str, Any] = {"data": [t.as_json(fields) for t in page]}
    if "author_id" in _fields(request, "expansions"):
        authors = {t.author_id for t in page}
        user_fields = _fields(request, "user.fields")
        body["includes"] = {"users": [state.users[a].as_json(user_fields) for a in sorted(authors)]}
    body["meta"] = page_meta(page, matching)
    return JSONResponse(body)


async def hide_reply(request: Request, user: User, state: State) -> Response:
    tweet_id = request.path_params["tweet_id"]
    try:
        body = json.loads(await request.body())
    except ValueError:
        return invalid("The request body is not valid JSON.")
    if not isinstance(body, dict) or not isinstance(body.get("hidden"), bool):
        return invalid("$.hidden: is required and must be a boolean.", "hidden", "")
    tweet = state.tweets.get(tweet_id)
    if tweet is None or tweet.deleted:
        return not_found("tweet", tweet_id)
    root = state.tweets.get(tweet.conversation_id or tweet.id)
    if not tweet.in_reply_to_id or root is None or root.author_id != user.id:
        return problem_response(
            403, "You can only hide or unhide replies to conversations you authored."
        )
    tweet.hidden = body["hidden"]
    return JSONResponse({"data": {"hidden": tweet.hidden}})


LIKE_SCOPE = "like.write"


async def like(request: Request, user: User, state: State) -> Response:
    """Like (POST, ``{"tweet_id"}``) or unlike (DELETE) a post as the token's user."""
    if request.path_params["id"] != user.id:
        return problem_response(403, "You are not permitted to perform this action.")
    scopes = state.token_scopes.get(request.headers["authorization"].partition(" ")[2])
    if scopes is not None and LIKE_SCOPE not in scopes:
        return problem_response(403, "Missing the like.write scope for this action.")
    liked = request.method == "POST"
    tweet_id = request.path_params.get("tweet_id", "")
    if liked:
        try:
            body = json.loads(await request.body())
        except ValueError:
            return invalid("The request body is not valid JSON.")
        tweet_id = body.get("tweet_id", "") if isinstance(body, dict) else ""
        if not (isinstance(tweet_id, str) and _id_or_none(tweet_id)):
            return invalid("$.tweet_id: is required and must be a post id.", "tweet_id", "")
    tweet = state.tweets.get(tweet_id)
    if tweet is None or tweet.deleted:
        return not_found("tweet", tweet_id)
    if liked:
        tweet.liked_by.add(user.id)
    else:
        tweet.liked_by.discard(user.id)
    tweet.metrics["like_count"] = len(tweet.liked_by)
    return JSONResponse({"data": {"liked": liked}})


async def lookup(request: Request, user: User, state: State) -> Response:
    raw = request.query_params.get("ids", "")
    ids = [i for i in raw.split(",") if i]
    if not ids or len(ids) > 100 or any(_id_or_none(i) is None for i in ids):
        return invalid(f"The `ids` query parameter value [{raw}] is not valid", "ids", raw)
    fields = _fields(request, "tweet.fields")
    found = [state.tweets[i] for i in ids if i in state.tweets and not state.tweets[i].deleted]
    body: dict[str, Any] = {}
    if found:
        body["data"] = [t.as_json(fields) for t in found]
    missing = [i for i in ids if i not in {t.id for t in found}]
    if missing:
        body["errors"] = [_not_found("tweet", i) for i in missing]
    return JSONResponse(body)


async def users_me(request: Request, user: User, state: State) -> Response:
    return JSONResponse({"data": user.as_json(_fields(request, "user.fields"))})


# --- Test routes -------------------------------------------------------------------


async def test_consent(request: Request) -> Response:
    """The next person on the consent page: {"user_id", "username", "answer"}."""
    body = await request.json()
    state: State = request.app.state.x
    state.consents.append(
        (str(body["user_id"]), body.get("username", ""), body.get("answer", "approve"))
    )
    return JSONResponse({"queued": len(state.consents)})


async def test_clock(request: Request) -> Response:
    state: State = request.app.state.x
    state.clock_offset += float((await request.json()).get("advance", 0))
    return JSONResponse({"offset": state.clock_offset})


async def test_metrics(request: Request) -> Response:
    """Set figures: {"tweet": id, "metrics": {...}} or {"user": id, "metrics": {...}}."""
    body = await request.json()
    state: State = request.app.state.x
    target = state.tweets.get(body.get("tweet", "")) or state.users.get(body.get("user", ""))
    if target is None:
        return JSONResponse({"error": "no such tweet or user"}, 404)
    target.metrics.update({k: int(v) for k, v in body["metrics"].items()})
    return JSONResponse({"metrics": target.metrics})


async def test_requests(request: Request) -> Response:
    """The API requests received with one of these Bearer tokens (``?token=a&token=b``)."""
    state: State = request.app.state.x
    tokens = set(request.query_params.getlist("token"))
    rows = [r for r in state.requests if not tokens or r["token"] in tokens]
    return JSONResponse({"requests": rows})
