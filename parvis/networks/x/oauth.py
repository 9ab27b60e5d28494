"""Connecting an X account: OAuth 2.0 Authorization Code with PKCE (S256), and renewal.

X's user access tokens live two hours; with the ``offline.access`` scope X also gives a
refresh token, which works once: each renewal returns a new one, which must be kept
(the caller stores whatever this module returns). The installation's app is a
confidential client ("Web App" on X's developer portal): it proves itself with HTTP
Basic (client id and secret) on the token endpoint; without a secret, it is sent as a
public client (``client_id`` in the form).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.core import http
from parvis.networks.base import (
    AuthExpired,
    ConnectStart,
    NetworkError,
    PermanentError,
    Tokens,
    TransientError,
)
from parvis.networks.x.errors import detail_of, from_transport, with_values

# What Parvis asks for: read and write posts, read the account, stay connected
# (offline.access: a refresh token), upload media, read and give likes, and hide replies.
SCOPES = (
    "tweet.read",
    "tweet.write",
    "tweet.moderate.write",
    "users.read",
    "offline.access",
    "media.write",
    "like.read",
    "like.write",
)
TOKEN_PATH = "/2/oauth2/token"
REFRESH_MARGIN = timedelta(minutes=15)  # renew once less than this is left


def code_challenge(verifier: str) -> str:
    """PKCE S256: BASE64URL(SHA256(verifier)), without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def setup_problem() -> str:
    if not settings.PARVIS_X_CLIENT_ID:
        return str(
            _(
                "X is not set up on this installation: the administrator must create an "
                "app on X's developer portal and set PARVIS_X_CLIENT_ID and "
                "PARVIS_X_CLIENT_SECRET (see the README)."
            )
        )
    return ""


def connect_start(*, redirect_uri: str) -> ConnectStart:
    verifier = secrets.token_urlsafe(64)  # 86 characters: PKCE wants 43 to 128
    state = secrets.token_urlsafe(24)
    query = {
        "response_type": "code",
        "client_id": settings.PARVIS_X_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": " ".join(SCOPES),
        "state": state,
        "code_challenge": code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    return ConnectStart(
        authorize_url=f"{settings.PARVIS_X_AUTHORIZE_URL}?{urlencode(query)}",
        state={"code_verifier": verifier, "state": state},
    )


def check_callback(params: dict[str, str], state: dict[str, Any]) -> str:
    """The authorization code X sent back, once its ``state`` matches ours."""
    expected = str(state.get("state", ""))
    if not expected or not secrets.compare_digest(params.get("state", ""), expected):
        raise PermanentError(
            _("X's answer does not match the connection Parvis started: connect again."),
            detail="state mismatch on the X callback",
        )
    if not params.get("code"):
        raise PermanentError(
            _("X sent no authorization code back: connect again."), detail=str(params)[:200]
        )
    return params["code"]


def _client_auth(form: dict[str, str]) -> dict[str, str]:
    """HTTP Basic for a confidential client; ``client_id`` in the form for a public one."""
    client_id, secret = settings.PARVIS_X_CLIENT_ID, settings.PARVIS_X_CLIENT_SECRET
    if not secret:
        form["client_id"] = client_id
        return {}
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode("ascii")
    return {"Authorization": f"Basic {pair}"}


async def _token_call(base_url: str, form: dict[str, str]) -> httpx.Response:
    headers = _client_auth(form)
    try:
        async with http.async_session(base_url=base_url) as client:
            return await client.post(TOKEN_PATH, data=form, headers=headers)
    except httpx.TransportError as error:
        raise from_transport(error, write=False) from error


def _oauth_error(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return detail_of(response)
    if isinstance(body, dict) and body.get("error"):
        return f"{body['error']}: {body.get('error_description', '')}"
    return detail_of(response)


def _common_failure(response: httpx.Response) -> NetworkError | None:
    """Failures that mean the same whatever the grant: the app's credentials, X down."""
    raw = f"{response.status_code} {_oauth_error(response)}"
    if response.status_code == 401 or "unauthorized_client" in raw or "invalid_client" in raw:
        return PermanentError(
            _(
                "X does not accept this installation's app credentials: the administrator "
                "must check PARVIS_X_CLIENT_ID and PARVIS_X_CLIENT_SECRET."
            ),
            detail=raw,
        )
    if response.status_code >= 500:
        return TransientError(
            with_values(
                _("X is having trouble (error %(status)s): try again in a few minutes."),
                status=response.status_code,
            ),
            detail=raw,
        )
    return None


def _tokens(body: dict[str, Any], *, previous_refresh: str = "") -> Tokens:
    now = timezone.now()
    expires_in = body.get("expires_in")
    return Tokens(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token") or previous_refresh),
        expires_at=now + timedelta(seconds=int(expires_in)) if expires_in else None,
        obtained_at=now,
        scopes=tuple(str(body.get("scope", "")).split()),
    )


async def exchange_code(*, base_url: str, code: str, verifier: str, redirect_uri: str) -> Tokens:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    response = await _token_call(base_url, form)
    if response.is_success:
        return _tokens(response.json())
    if failure := _common_failure(response):
        raise failure
    raise PermanentError(
        _("X refused the authorization (it is valid for 30 seconds and only once): connect again."),
        detail=f"{response.status_code} {_oauth_error(response)}",
    )


def refresh_due(tokens: Tokens, *, now: datetime) -> bool:
    return tokens.expires_at is not None and tokens.expires_at - now < REFRESH_MARGIN


async def refresh(*, base_url: str, tokens: Tokens) -> Tokens:
    """New tokens; the refresh token X returns replaces the one just spent."""
    if not tokens.refresh_token:
        raise AuthExpired(
            _("X gave this channel no renewal token (offline.access): reconnect the channel."),
            detail="no refresh token stored",
        )
    form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
    response = await _token_call(base_url, form)
    if response.is_success:
        return _tokens(response.json(), previous_refresh=tokens.refresh_token)
    if failure := _common_failure(response):
        raise failure
    # invalid_request / invalid_grant: revoked, expired, or already spent elsewhere.
    raise AuthExpired(
        _(
            "X no longer renews this channel's access (it was revoked on X or the "
            "account's password changed): reconnect the channel."
        ),
        detail=f"{response.status_code} {_oauth_error(response)}",
    )
