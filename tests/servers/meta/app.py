"""The Meta test server's core endpoints, as a Starlette application.

Graph routes (``/{version}/...``): the login dialog ``dialog/oauth`` (it logs in the
person the test chose and redirects with a code), ``oauth/access_token`` (code
exchange and ``fb_exchange_token``), ``me`` and ``me/accounts``. Network routes
(Facebook Pages: ``pages.py``) are added by ``build_app``. Test routes under
``/_test/``: ``people``, ``consent``, ``faults``, ``usage``, ``revoke``, ``webhook``,
``requests``, ``config`` and ``reset``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from tests.servers.meta.graph import VERSION, error_response, graph, invalid, parameters
from tests.servers.meta.state import (
    LONG_LIVED_SECONDS,
    SHORT_LIVED_SECONDS,
    Consent,
    Fault,
    State,
    Token,
)
from tests.servers.x.app import DroppingApp

# --- OAuth -----------------------------------------------------------------------------


async def dialog(request: Request) -> Response:
    """The login dialog: the chosen person logs in and grants Pages at once."""
    state: State = request.app.state.meta
    query = request.query_params
    if not VERSION.match(request.path_params["version"]):
        return JSONResponse({"error": "unknown version"}, 404)
    if query.get("client_id") != state.app_id:
        return JSONResponse({"error": "Invalid App ID"}, 400)
    redirect_uri = query.get("redirect_uri", "")
    if not redirect_uri or not (query.get("config_id") or query.get("scope")):
        return JSONResponse({"error": "redirect_uri and config_id or scope are required"}, 400)
    consent = state.consent
    back: dict[str, str] = {"state": query.get("state", "")}
    if consent is None or consent.deny:
        back |= {
            "error": "access_denied",
            "error_code": "200",
            "error_description": "Permissions error",
            "error_reason": "user_denied",
        }
    else:
        code = secrets.token_urlsafe(24)
        person = state.people[consent.user_id]
        pages = person.page_ids if consent.page_ids is None else consent.page_ids
        state.codes[code] = {
            "user_id": person.id,
            "redirect_uri": redirect_uri,
            "page_ids": list(pages),
            "config_id": query.get("config_id", ""),
            "scope": query.get("scope", ""),
        }
        back["code"] = code
    separator = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{separator}{urlencode(back)}", 302)


def _token_body(token: Token) -> dict[str, Any]:
    body: dict[str, Any] = {"access_token": token.value, "token_type": "bearer"}
    if token.expires_at:
        body["expires_in"] = int(token.expires_at - time.time())
    return body


async def access_token(request: Request) -> Response:
    state: State = request.app.state.meta
    params = await parameters(request)
    if params.get("client_id") != state.app_id:
        return error_response(101, "Error validating application. Invalid application ID.")
    if params.get("client_secret") != state.app_secret:
        return error_response(1, "Error validating client secret.", status=400)
    if params.get("grant_type") == "fb_exchange_token":
        old = state.tokens.get(str(params.get("fb_exchange_token", "")))
        if old is None or state.token_problem(old.value) or not old.kind.startswith("user"):
            return error_response(190, "Invalid OAuth access token.", status=400)
        token = state.issue("user_long", old.user_id, seconds=LONG_LIVED_SECONDS)
        state.content.setdefault("grants", {})[token.value] = state.content.get("grants", {}).get(
            old.value, []
        )
        return JSONResponse(_token_body(token))
    grant = state.codes.pop(str(params.get("code", "")), None)
    if grant is None:
        return error_response(100, "This authorization code has been used.", subcode=36009)
    if grant["redirect_uri"] != params.get("redirect_uri"):
        return error_response(
            100,
            "Error validating verification code. Please make sure your redirect_uri is "
            "identical to the one you used in the OAuth dialog request",
            subcode=36008,
        )
    token = state.issue("user", grant["user_id"], seconds=SHORT_LIVED_SECONDS)
    state.content.setdefault("grants", {})[token.value] = grant["page_ids"]
    return JSONResponse(_token_body(token))


# --- /me -------------------------------------------------------------------------------


async def me(request: Request, token: Token, state: State, params: dict[str, Any]) -> Response:
    if token.kind == "page":
        page = state.pages[token.page_id]
        return JSONResponse({"id": page.id, "name": page.name})
    person = state.people[token.user_id]
    return JSONResponse({"id": person.id, "name": person.name})


async def me_accounts(
    request: Request, token: Token, state: State, params: dict[str, Any]
) -> Response:
    if token.kind == "page":
        return invalid("Tried accessing nonexisting field (accounts) on node type (Page)")
    granted = state.content.get("grants", {}).get(token.value)
    person = state.people[token.user_id]
    page_ids = [p for p in person.page_ids if granted is None or p in granted]
    data = []
    for page_id in page_ids:
        page = state.pages[page_id]
        data.append(
            {
                "id": page.id,
                "name": page.name,
                "category": page.category,
                "access_token": state.page_token(token, page.id).value,
                "tasks": [
                    "ADVERTISE",
                    "ANALYZE",
                    "CREATE_CONTENT",
                    "MESSAGING",
                    "MODERATE",
                    "MANAGE",
                ],
            }
        )
    return JSONResponse({"data": data, "paging": {"cursors": {"before": "MA", "after": "MA"}}})


# --- Test routes ------------------------------------------------------------------------


async def test_people(request: Request) -> Response:
    """Add a person and their Pages: {"name", "id"?, "pages": [{"name", "id"?}]}."""
    state: State = request.app.state.meta
    body = await request.json()
    person = state.add_person(body["name"], str(body.get("id", "")))
    pages = [
        state.add_page(
            person, p["name"], str(p.get("id", "")), followers=int(p.get("followers", 0))
        )
        for p in body.get("pages", [])
    ]
    return JSONResponse({"id": person.id, "pages": [{"id": p.id, "name": p.name} for p in pages]})


async def test_consent(request: Request) -> Response:
    """What the next login does: {"user_id", "page_ids"?, "deny"?}."""
    body = await request.json()
    request.app.state.meta.consent = Consent(
        str(body["user_id"]), body.get("page_ids"), bool(body.get("deny", False))
    )
    return JSONResponse({"ok": True})


async def test_faults(request: Request) -> Response:
    """Queue faults: {"faults": [{"code": 190, "subcode": 463}, {"action": "lost"}], "path"}."""
    state: State = request.app.state.meta
    body = await request.json()
    for item in body.get("faults", []):
        state.faults.append(Fault(path=body.get("path", "/"), **item))
    return JSONResponse({"queued": len(state.faults)})


async def test_usage(request: Request) -> Response:
    """Set usage: {"app": {"call_count": 96, ...}, "page_id": "...", "page": {...}}."""
    state: State = request.app.state.meta
    body = await request.json()
    if "app" in body:
        state.app_usage = body["app"]
    if "page_id" in body:
        state.page_usage[str(body["page_id"])] = body.get("page", {})
    return JSONResponse({"ok": True})


async def test_revoke(request: Request) -> Response:
    """Kill a token: {"token", "subcode"} (463 expired, 460 password changed...)."""
    state: State = request.app.state.meta
    body = await request.json()
    token = state.tokens.get(body["token"])
    if token is None:
        return JSONResponse({"error": "unknown token"}, 404)
    token.dead_subcode = int(body.get("subcode", 467))
    return JSONResponse({"ok": True})


async def test_webhook(request: Request) -> Response:
    """Sign a delivery with the app secret as Meta does and POST it to ``url``:
    {"url", "payload"}. Answers with what was sent and the receiver's status."""
    state: State = request.app.state.meta
    body = await request.json()
    raw = json.dumps(body["payload"], separators=(",", ":")).encode()
    secret = str(body.get("secret", state.app_secret)).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": "sha256=" + hmac.new(secret, raw, hashlib.sha256).hexdigest(),
        "User-Agent": "facebookexternalua",
    }
    status = None
    if body.get("url"):
        async with httpx.AsyncClient(timeout=10) as client:
            status = (await client.post(body["url"], content=raw, headers=headers)).status_code
    return JSONResponse({"status": status, "headers": headers, "body": raw.decode()})


async def test_requests(request: Request) -> Response:
    return JSONResponse({"requests": request.app.state.meta.requests})


async def test_config(request: Request) -> Response:
    state: State = request.app.state.meta
    body = await request.json()
    for key in ("app_id", "app_secret", "require_proof"):
        if key in body:
            setattr(state, key, body[key])
    return JSONResponse({"app_id": state.app_id, "require_proof": state.require_proof})


async def test_reset(request: Request) -> Response:
    old: State = request.app.state.meta
    request.app.state.meta = State(old.app_id, old.app_secret, old.require_proof)
    return JSONResponse({"reset": True})


def core_routes() -> list[BaseRoute]:
    return [
        Route("/{version}/dialog/oauth", dialog),
        Route("/{version}/oauth/access_token", access_token, methods=["GET", "POST"]),
        Route("/{version}/me", graph(me)),
        Route("/{version}/me/accounts", graph(me_accounts)),
        Route("/_test/people", test_people, methods=["POST"]),
        Route("/_test/consent", test_consent, methods=["POST"]),
        Route("/_test/faults", test_faults, methods=["POST"]),
        Route("/_test/usage", test_usage, methods=["POST"]),
        Route("/_test/revoke", test_revoke, methods=["POST"]),
        Route("/_test/webhook", test_webhook, methods=["POST"]),
        Route("/_test/requests", test_requests),
        Route("/_test/config", test_config, methods=["POST"]),
        Route("/_test/reset", test_reset, methods=["POST"]),
    ]


def build_app(state: State | None = None, extra_routes: list[BaseRoute] = ()) -> DroppingApp:
    """The core routes, then each network's (more specific ones first)."""
    app = Starlette(routes=[*core_routes(), *extra_routes])
    app.state.meta = state or State()
    return DroppingApp(app)
