"""OAuth 2.0 Authorization Code with PKCE, as X does it.

``GET /i/oauth2/authorize`` is X's consent page: it checks the app's parameters, then
either shows a page with "Authorize app" / "Cancel", or, when a test queued a person's
answer (``POST /_test/consent``), sends the browser back to ``redirect_uri`` with
``code`` and ``state`` (or ``error=access_denied``) at once.

``POST /2/oauth2/token`` (form-encoded) exchanges a code (``code_verifier`` checked
against the S256 ``code_challenge``) or a refresh token (rotated: each refresh token
works once). A confidential client authenticates with HTTP Basic; a public client
sends ``client_id`` in the body. Access tokens live two hours. Error bodies are X's:
``{"error": ..., "error_description": ...}``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import secrets
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from tests.servers.x.state import Grant, State

CODE_LIFETIME = 30  # seconds: X's authorization codes are short-lived
KNOWN_SCOPES = {
    "tweet.read",
    "tweet.write",
    "tweet.moderate.write",
    "users.read",
    "follows.read",
    "follows.write",
    "offline.access",
    "space.read",
    "mute.read",
    "mute.write",
    "like.read",
    "like.write",
    "list.read",
    "list.write",
    "block.read",
    "block.write",
    "bookmark.read",
    "bookmark.write",
    "media.write",
    "dm.read",
    "dm.write",
}
_REQUIRED = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge")


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _error_page(message: str) -> HTMLResponse:
    body = f"<!doctype html><title>X</title><h1>Something went wrong</h1><p>{html.escape(message)}"
    return HTMLResponse(body, 400)


def _back(redirect_uri: str, **params: str) -> RedirectResponse:
    joiner = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{joiner}{urlencode(params)}", 302)


def _allowed_redirect(state: State, redirect_uri: str) -> bool:
    allowed = [u for u in state.config.redirect_uris.split(",") if u]
    return not allowed or redirect_uri in allowed


def _answer(state: State, query: dict[str, str], user_id: str, username: str, answer: str):
    if answer != "approve":
        return _back(query["redirect_uri"], error="access_denied", state=query["state"])
    state.add_user(user_id, username)
    code = state.new_secret("code-")
    state.grants[code] = Grant(
        user_id=user_id,
        client_id=query["client_id"],
        redirect_uri=query["redirect_uri"],
        scopes=tuple(query["scope"].split()),
        code_challenge=query["code_challenge"],
        issued_at=state.now(),
    )
    return _back(query["redirect_uri"], state=query["state"], code=code)


async def authorize(request: Request) -> Response:
    state: State = request.app.state.x
    query = dict(request.query_params)
    missing = [name for name in _REQUIRED if not query.get(name)]
    if missing:
        return _error_page(f"Missing parameters: {', '.join(missing)}.")
    if query["response_type"] != "code" or query.get("code_challenge_method") != "S256":
        return _error_page("Only response_type=code with code_challenge_method=S256.")
    if query["client_id"] != state.config.client_id:
        return _error_page("This app's client id is not known.")
    if not _allowed_redirect(state, query["redirect_uri"]):
        return _error_page("The callback URL is not one registered for this app.")
    unknown = set(query["scope"].split()) - KNOWN_SCOPES
    if unknown:
        return _error_page(f"Unknown scopes: {', '.join(sorted(unknown))}.")
    state.counters["authorize"] += 1
    if state.consents:
        user_id, username, answer = state.consents.popleft()
        return _answer(state, query, user_id, username, answer)
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in query.items()
    )
    page = (
        "<!doctype html><title>Authorize app</title><h1>An app wants to access your X "
        f"account</h1><p>Scopes: {html.escape(query['scope'])}</p>"
        f'<form method="post" action="/i/oauth2/authorize">{hidden}'
        '<input name="user_id" value="7000000000"><input name="username" value="brand">'
        '<button name="answer" value="approve">Authorize app</button>'
        '<button name="answer" value="deny">Cancel</button></form>'
    )
    return HTMLResponse(page)


async def authorize_answer(request: Request) -> Response:
    """The consent page's form: the person's answer."""
    state: State = request.app.state.x
    query = await _form(request)
    if any(not query.get(name) for name in _REQUIRED):
        return _error_page("The consent form lost its parameters: start again.")
    return _answer(state, query, query["user_id"], query["username"], query["answer"])


async def _form(request: Request) -> dict[str, str]:
    """A form-urlencoded body (read by hand: no multipart package is needed)."""
    return dict(parse_qsl((await request.body()).decode("utf-8", "replace")))


def _token_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status)


def _client(request: Request, form: dict[str, str], state: State) -> str | None:
    """The authenticated client id, or None when its credentials are wrong."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(value).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        config = state.config
        ok = client_id == config.client_id and secrets.compare_digest(secret, config.client_secret)
        return client_id if ok else None
    if form.get("client_id") == state.config.client_id and not state.config.client_secret:
        return form["client_id"]  # a public client: no secret to prove
    return None


async def token(request: Request) -> Response:
    state: State = request.app.state.x
    state.counters["POST /2/oauth2/token"] += 1
    fault = state.take_fault(request.url.path)
    if fault in ("500", "503"):
        return JSONResponse({"errors": [{"message": "Internal error", "code": 131}]}, int(fault))
    if request.headers.get("content-type", "").split(";")[0] != (
        "application/x-www-form-urlencoded"
    ):
        return _token_error("invalid_request", "Content-Type must be form-urlencoded.")
    form = await _form(request)
    client_id = _client(request, form, state)
    if client_id is None:
        return _token_error("unauthorized_client", "Missing valid authorization header", 401)
    grant_type = form.get("grant_type", "")
    if grant_type == "authorization_code":
        return _exchange_code(state, form, client_id)
    if grant_type == "refresh_token":
        return _refresh(state, form)
    return _token_error("invalid_request", "Value passed for the grant type was invalid.")


def _exchange_code(state: State, form: dict[str, str], client_id: str) -> Response:
    grant = state.grants.pop(form.get("code", ""), None)
    invalid = _token_error(
        "invalid_request", "Value passed for the authorization code was invalid."
    )
    if grant is None or grant.client_id != client_id:
        return invalid
    if state.now() - grant.issued_at > CODE_LIFETIME:
        return invalid
    if form.get("redirect_uri") != grant.redirect_uri:
        return _token_error("invalid_request", "Value passed for the redirect uri was invalid.")
    if s256(form.get("code_verifier", "")) != grant.code_challenge:
        return _token_error("invalid_request", "Value passed for the code verifier was invalid.")
    return JSONResponse(state.issue_tokens(grant.user_id, grant.scopes))


def _refresh(state: State, form: dict[str, str]) -> Response:
    known = state.refresh_tokens.pop(form.get("refresh_token", ""), None)
    if known is None:
        return _token_error("invalid_request", "Value passed for the token was invalid.")
    user_id, scopes = known
    state.counters["refreshed"] += 1
    return JSONResponse(state.issue_tokens(user_id, scopes))
