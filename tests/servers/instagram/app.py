"""The Instagram test server, as a Starlette application.

API: the Graph routes (``graph.py``, under ``/{version}/`` or unversioned), Instagram
Login (``GET /oauth/authorize``, ``POST /oauth/access_token``, ``GET /access_token``,
``GET /refresh_access_token``) and Facebook Login (``GET /{version}/dialog/oauth``,
``GET /{version}/oauth/access_token``). Test routes under ``/_test/``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.servers.instagram import graph
from tests.servers.instagram.state import (
    CONTAINER_FATES,
    FAULTS,
    LONG_LIVED,
    REFRESH_MIN_AGE,
    SHORT_LIVED,
    Config,
    OAuthCode,
    State,
    Token,
)
from tests.servers.meta.client import APP_ID, APP_SECRET
from tests.servers.x.app import DroppingApp

VERSION = re.compile(r"^v\d+\.\d+$")
IG_APP = ("ig-app-id", "ig-app-secret")  # the Instagram app the server knows
META_APP = (APP_ID, APP_SECRET)  # the Meta app, as in tests/servers/meta


def _state(request: Request) -> State:
    return request.app.state.ig


def _token_value(request: Request, params: dict[str, str]) -> str:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value if scheme.lower() == "bearer" else params.get("access_token", "")


def _check_proof(params: dict[str, str], token: str, info: Token) -> bool:
    proof = params.get("appsecret_proof")
    if proof is None:
        return True
    secret = IG_APP[1] if info.kind.startswith("ig_") else META_APP[1]
    expected = hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(proof, expected)


async def api(request: Request) -> Response:
    """Every Graph call: faults, the token, then the node and edge."""
    state = _state(request)
    parts = [p for p in request.path_params["path"].split("/") if p]
    if parts and VERSION.match(parts[0]):
        parts = parts[1:]
    params = await graph.params_of(request)
    state.requests.append({"method": request.method, "path": "/".join(parts), **params})
    fault = state.take_fault("/" + "/".join(parts))
    if fault in ("500", "503"):
        return graph.error(
            int(fault), "An unexpected error has occurred.", 2, kind="OAuthException"
        )
    if fault == "rate_limit":
        usage = json.dumps({"call_count": 100, "total_cputime": 20, "total_time": 30})
        body = graph.graph_error("(#4) Application request limit reached", 4, is_transient=True)
        return JSONResponse(body, 400, headers={"X-App-Usage": usage})
    raw = _token_value(request, params)
    info = state.token(raw)
    if info is None:
        return graph.bad_token(state, raw)
    if not _check_proof(params, raw, info):
        return graph.error(400, "Invalid appsecret_proof provided in the API argument", 100)
    response = await _route(request, state, info, parts, params)
    if fault == "lost":  # applied, but the answer never arrives
        request.scope["x_test.drop"] = True
    return response


async def _route(
    request: Request, state: State, token: Token, parts: list[str], params: dict[str, str]
) -> Response:
    method = request.method
    if parts == ["me"]:
        if token.kind.startswith("ig_"):
            return JSONResponse(graph.account_json(state.accounts[token.account_id]))
        return JSONResponse({"id": f"fbuser-{token.account_id}", "name": "Camille Martin"})
    if parts == ["me", "accounts"] and token.kind.startswith("fb_"):
        return JSONResponse(graph.paged(request, _pages(state, token)))
    if not parts or len(parts) > 2:
        return graph.no_object("/".join(parts), method.lower())
    node, edge = parts[0], parts[1] if len(parts) == 2 else ""
    if node in state.accounts:
        if not graph.owner_allowed(token, node):
            return graph.no_object(node, method.lower())
        return await _account(request, state, state.accounts[node], edge, params)
    if node in state.containers and method == "GET" and not edge:
        container = state.containers[node]
        if not graph.owner_allowed(token, container.owner):
            return graph.no_object(node)
        return JSONResponse(graph.container_json(state.read_container(container)))
    if node in state.media:
        media = state.media[node]
        if (edge or method != "GET") and not graph.owner_allowed(token, media.owner):
            return graph.no_object(node, method.lower())
        return _media(request, state, media, edge, params)
    if node in state.comments and not state.comments[node].deleted:
        return _comment(request, state, token, state.comments[node], edge, params)
    return graph.no_object(node, method.lower())


def _pages(state: State, token: Token) -> list[dict[str, Any]]:
    pages = []
    for account in state.accounts.values():
        if token.account_id not in ("*", account.id) and account.id not in token.scopes:
            continue
        page_token, _ = state.issue("page", account.id, None)
        pages.append(
            {
                "id": account.page_id,
                "name": account.page_name,
                "access_token": page_token,
                "instagram_business_account": graph.account_json(account),
            }
        )
    return pages


async def _account(request, state: State, account, edge: str, params) -> Response:
    method = request.method
    if edge == "" and method == "GET":
        return JSONResponse(graph.account_json(account))
    if edge == "media" and method == "POST":
        return await graph.create_container(state, account, params)
    if edge == "media" and method == "GET":
        mine = [m for m in state.media.values() if m.owner == account.id]
        mine.sort(key=lambda m: m.timestamp, reverse=True)
        return JSONResponse(graph.paged(request, [graph.media_json(state, m) for m in mine]))
    if edge == "media_publish" and method == "POST":
        return graph.media_publish(state, account, params)
    if edge == "content_publishing_limit" and method == "GET":
        body: dict[str, Any] = {"quota_usage": state.quota_usage(account.id)}
        if "config" in params.get("fields", ""):
            body["config"] = {"quota_total": state.config.quota_total, "quota_duration": 86400}
        return JSONResponse({"data": [body]})
    if edge == "insights" and method == "GET":
        return graph.account_insights(account, params)
    if edge == "tags" and method == "GET":
        tagged = [m for m in state.media.values() if m.id in state.tags.get(account.id, ())]
        return JSONResponse(graph.paged(request, [graph.media_json(state, m) for m in tagged]))
    return graph.no_object(f"{account.id}/{edge}", method.lower())


def _media(request, state: State, media, edge: str, params) -> Response:
    method = request.method
    if edge == "" and method == "GET":
        return JSONResponse(graph.media_json(state, media))
    if edge == "" and method == "DELETE":
        return graph.no_object(media.id, "delete")  # the API cannot delete a post
    if edge == "comments" and method == "GET":
        rows = [
            graph.comment_json(state, c, params.get("fields", ""))
            for c in state.comments_of(media.id)
        ]
        return JSONResponse(graph.paged(request, rows))
    if edge == "comments" and method == "POST":
        text = params.get("message", "")
        if not text:
            return graph.error(400, "(#100) The parameter message is required", 100)
        account = state.accounts[media.owner]
        comment = state.add_comment(media.id, text, account.username, account.id)
        return JSONResponse({"id": comment.id})
    if edge == "insights" and method == "GET":
        return graph.media_insights(media, params)
    return graph.no_object(f"{media.id}/{edge}", method.lower())


def _comment(request, state: State, token: Token, comment, edge: str, params) -> Response:
    method = request.method
    owner = state.media[comment.media_id].owner
    if not graph.owner_allowed(token, owner):
        return graph.no_object(comment.id, method.lower())
    if edge == "" and method == "GET":
        return JSONResponse(graph.comment_json(state, comment, params.get("fields", "")))
    if edge == "" and method == "POST" and "hide" in params:
        if comment.from_id == owner:
            return graph.error(400, "(#100) You cannot hide your own comment.", 100)
        comment.hidden = params["hide"].lower() == "true"
        return JSONResponse({"success": True})
    if edge == "" and method == "DELETE":
        comment.deleted = True
        return JSONResponse({"success": True})
    if edge == "replies" and method == "POST":
        if comment.parent_id:
            return graph.error(400, "(#100) Replies can only be made to top-level comments.", 100)
        account = state.accounts[owner]
        reply = state.add_comment(
            comment.media_id, params.get("message", ""), account.username, account.id, comment.id
        )
        return JSONResponse({"id": reply.id})
    return graph.no_object(f"{comment.id}/{edge}", method.lower())


# --- Instagram Login and Facebook Login ------------------------------------------------


def _consent(request: Request, kind: str, app_id: str) -> Response:
    """The consent page, answered at once with the accounts the test chose."""
    state, query = _state(request), request.query_params
    redirect_uri = query.get("redirect_uri", "")
    if query.get("client_id") != app_id or not redirect_uri:
        return JSONResponse(graph.graph_error("Invalid platform app", 101), 400)
    extra = {"state": query["state"]} if "state" in query else {}
    if not state.consent:
        denied = {
            "error": "access_denied",
            "error_reason": "user_denied",
            "error_description": "The user denied your request.",
        }
        return RedirectResponse(f"{redirect_uri}?{urlencode({**denied, **extra})}", 302)
    code = secrets.token_urlsafe(24)
    scopes = tuple(s for s in re.split(r"[ ,]", query.get("scope", "")) if s)
    state.codes[code] = OAuthCode(state.consent, redirect_uri, app_id, scopes, kind)
    suffix = "#_" if kind == "instagram" else ""
    return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, **extra})}{suffix}", 302)


async def ig_authorize(request: Request) -> Response:
    return _consent(request, "instagram", IG_APP[0])


async def fb_dialog(request: Request) -> Response:
    return _consent(request, "facebook", META_APP[0])


def _take_code(state: State, values: dict[str, str], kind: str, app: tuple[str, str]):
    if (values.get("client_id"), values.get("client_secret")) != app:
        return None, "Error validating client secret."
    grant = state.codes.pop(values.get("code", ""), None)
    if grant is None or grant.kind != kind:
        return None, "This authorization code has been used."
    if grant.redirect_uri != values.get("redirect_uri"):
        return (
            None,
            "Error validating verification code. Please make sure your redirect_uri is "
            "identical to the one you used in the OAuth dialog request",
        )
    return grant, ""


async def ig_code_exchange(request: Request) -> Response:
    state = _state(request)
    values = await graph.form_of(request)
    if values.get("grant_type") != "authorization_code":
        return JSONResponse(
            {"error_type": "OAuthException", "code": 400, "error_message": "Invalid grant_type"},
            400,
        )
    grant, problem = _take_code(state, values, "instagram", IG_APP)
    if grant is None:
        return JSONResponse(
            {"error_type": "OAuthException", "code": 400, "error_message": problem}, 400
        )
    account_id = grant.account_ids[0]
    token, _ = state.issue("ig_short", account_id, SHORT_LIVED, grant.scopes)
    permissions = ",".join(grant.scopes)
    return JSONResponse(
        {"data": [{"access_token": token, "user_id": account_id, "permissions": permissions}]}
    )


async def ig_long_lived(request: Request) -> Response:
    state, query = _state(request), request.query_params
    if query.get("grant_type") != "ig_exchange_token" or query.get("client_secret") != IG_APP[1]:
        return graph.error(400, "Error validating client secret.", 1, kind="OAuthException")
    info = state.token(query.get("access_token", ""))
    if info is None or info.kind != "ig_short":
        return graph.bad_token(state, query.get("access_token", ""))
    token, _ = state.issue("ig_long", info.account_id, LONG_LIVED, info.scopes)
    return JSONResponse(
        {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": int(LONG_LIVED.total_seconds()),
        }
    )


async def ig_refresh(request: Request) -> Response:
    state, query = _state(request), request.query_params
    raw = query.get("access_token", "")
    info = state.token(raw)
    if query.get("grant_type") != "ig_refresh_token":
        return graph.error(400, "Unsupported grant_type", 100)
    if info is None or info.kind != "ig_long":
        return graph.bad_token(state, raw)
    if state.now() - info.issued_at < REFRESH_MIN_AGE:
        return graph.error(
            400,
            "The access token must be at least 24 hours old to be refreshed.",
            100,
            kind="IGApiException",
        )
    token, _ = state.issue("ig_long", info.account_id, LONG_LIVED, info.scopes)
    info.revoked = True
    return JSONResponse(
        {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": int(LONG_LIVED.total_seconds()),
        }
    )


async def fb_access_token(request: Request) -> Response:
    state, values = _state(request), dict(request.query_params)
    if values.get("grant_type") == "fb_exchange_token":
        info = state.token(values.get("fb_exchange_token", ""))
        if (values.get("client_id"), values.get("client_secret")) != META_APP or info is None:
            return graph.error(400, "Error validating access token.", 190)
        token, _ = state.issue("fb_long", info.account_id, LONG_LIVED, info.scopes)
        return JSONResponse({"access_token": token, "token_type": "bearer", "expires_in": 5183944})
    grant, problem = _take_code(state, values, "facebook", META_APP)
    if grant is None:
        return graph.error(400, problem, 100, 36009)
    # The user token sees the Pages of the accounts consented to.
    token, _ = state.issue("fb_short", "-", SHORT_LIVED, grant.account_ids)
    return JSONResponse({"access_token": token, "token_type": "bearer", "expires_in": 3600})


# --- Test routes -------------------------------------------------------------------


async def test_accounts(request: Request) -> Response:
    state, body = _state(request), await request.json()
    account = state.add_account(body["username"], body.get("name", ""))
    ig_token, _ = state.issue("ig_long", account.id, LONG_LIVED, ())
    page_token, _ = state.issue("page", account.id, None)
    return JSONResponse(
        {
            "id": account.id,
            "page_id": account.page_id,
            "ig_token": ig_token,
            "page_token": page_token,
        }
    )


async def test_control(request: Request) -> Response:
    """One POST for what a test sets: consent, clock, faults, container fates, config."""
    state, body = _state(request), await request.json()
    if "consent" in body:
        state.consent = tuple(body["consent"])
    if "advance_seconds" in body:
        state.offset += timedelta(seconds=float(body["advance_seconds"]))
    for fault in body.get("faults", []):
        if fault not in FAULTS:
            return JSONResponse({"error": f"unknown fault {fault}; known: {FAULTS}"}, 400)
        state.faults.append((fault, body.get("path", "/")))
    for fate in body.get("container_fates", []):
        if fate not in CONTAINER_FATES:
            return JSONResponse({"error": f"unknown fate {fate}"}, 400)
        state.container_fates.append(fate)
    for key, value in body.get("config", {}).items():
        setattr(state.config, key, type(getattr(state.config, key))(value))
    if "revoke" in body:
        state.tokens[body["revoke"]].revoked = True
    return JSONResponse({"ok": True})


async def test_comment(request: Request) -> Response:
    """A follower comments (or mentions the account): the comment, and the webhook
    delivery Meta would send, signed with the app secret."""
    state, body = _state(request), await request.json()
    media = state.media[body["media_id"]]
    comment = state.add_comment(
        media.id,
        body["text"],
        body.get("username", "lea.dupont"),
        body.get("from_id", "5550001"),
        body.get("parent_id", ""),
    )
    value: dict[str, Any] = {
        "from": {"id": comment.from_id, "username": comment.username},
        "media": {"id": media.id, "media_product_type": media.product_type},
        "id": comment.id,
        "text": comment.text,
    }
    if comment.parent_id:
        value["parent_id"] = comment.parent_id
    delivery = {
        "object": "instagram",
        "entry": [
            {
                "id": media.owner,
                "time": int(state.now().timestamp()),
                "changes": [{"field": "comments", "value": value}],
            }
        ],
    }
    raw = json.dumps(delivery).encode()
    secret = body.get("app_secret", META_APP[1])
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return JSONResponse({"id": comment.id, "webhook_body": raw.decode(), "signature": signature})


async def test_state(request: Request) -> Response:
    state = _state(request)
    account = request.query_params.get("account", "")
    return JSONResponse(
        {
            "media": [
                graph.media_json(state, m) | {"children": list(m.children)}
                for m in state.media.values()
                if m.owner == account
            ],
            "containers": [
                vars(c) | {"created_at": c.created_at.isoformat()}
                for c in state.containers.values()
                if c.owner == account
            ],
            "comments": [
                vars(c) | {"timestamp": c.timestamp.isoformat()}
                for c in state.comments.values()
                if state.media[c.media_id].owner == account
            ],
            "quota_usage": state.quota_usage(account) if account in state.accounts else 0,
            "requests": state.requests[-50:],
        }
    )


async def test_mention(request: Request) -> Response:
    """Another account tags the brand in its post's caption."""
    state, body = _state(request), await request.json()
    other = state.add_account(body.get("username", "boulangerie.voisine"))
    media = state.publish(
        state.new_container(other.id, "IMAGE", caption=body["caption"], media_url="")
    )
    state.tags.setdefault(body["account_id"], set()).add(media.id)
    return JSONResponse({"id": media.id})


def build_app(config: Config | None = None) -> DroppingApp:
    routes = [
        Route("/oauth/authorize", ig_authorize),
        Route("/oauth/access_token", ig_code_exchange, methods=["POST"]),
        Route("/access_token", ig_long_lived),
        Route("/refresh_access_token", ig_refresh),
        Route("/{version:str}/dialog/oauth", fb_dialog),
        Route("/{version:str}/oauth/access_token", fb_access_token),
        Route("/_test/accounts", test_accounts, methods=["POST"]),
        Route("/_test/control", test_control, methods=["POST"]),
        Route("/_test/comment", test_comment, methods=["POST"]),
        Route("/_test/state", test_state),
        Route("/_test/mention", test_mention, methods=["POST"]),
        Route("/{path:path}", api, methods=["GET", "POST", "DELETE"]),
    ]
    app = Starlette(routes=routes)
    app.state.ig = State(config or Config())
    return DroppingApp(app)  # closes a connection unanswered when a view asks
