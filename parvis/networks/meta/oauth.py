"""Meta's OAuth: the login dialog (Facebook Login for Business with a ``config_id``,
or scopes), the code exchange and the long-lived user token.

https://developers.facebook.com/docs/facebook-login/facebook-login-for-business
https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.core import http
from parvis.networks.base import PermanentError
from parvis.networks.lazytext import with_values
from parvis.networks.meta.errors import from_response, from_transport
from parvis.networks.meta.graph import GraphClient


@dataclass(frozen=True)
class UserToken:
    access_token: str
    expires_at: datetime | None  # None: Meta gave no expiry


def new_state() -> str:
    return secrets.token_urlsafe(24)


def authorize_url(
    *, redirect_uri: str, state: str, scopes: Sequence[str] = (), config_id: str = ""
) -> str:
    """The login dialog's address. A Login for Business configuration (``config_id``)
    carries its permissions; without one, ``scopes`` are asked for."""
    params = {
        "client_id": settings.PARVIS_META_APP_ID,
        "redirect_uri": redirect_uri,
        "state": state,
        "response_type": "code",
    }
    config_id = config_id or settings.PARVIS_META_CONFIG_ID
    if config_id:
        params["config_id"] = config_id
    else:
        params["scope"] = ",".join(scopes)
    return (
        f"{settings.PARVIS_META_DIALOG_URL}/{settings.PARVIS_META_API_VERSION}/dialog/oauth?"
        + urlencode(params)
    )


def check_state(*, params: dict[str, str], state: dict, network: str) -> str:
    """The authorization code, once the dialog's ``state`` matches the one we sent."""
    expected = str(state.get("state", ""))
    if not expected or not secrets.compare_digest(params.get("state", ""), expected):
        raise PermanentError(
            with_values(
                _(
                    "The answer from %(network)s does not match this "
                    "connection attempt: start again."
                ),
                network=network,
            ),
            detail="OAuth state mismatch",
        )
    code = params.get("code", "")
    if not code:
        raise PermanentError(
            with_values(_("%(network)s sent no authorization code: start again."), network=network),
            detail=f"callback parameters {sorted(params)}",
        )
    return code


def _user_token(body: dict) -> UserToken:
    expires_in = body.get("expires_in")
    expires_at = (
        timezone.now() + timedelta(seconds=int(expires_in))
        if isinstance(expires_in, int | float) and expires_in
        else None
    )
    return UserToken(str(body.get("access_token", "")), expires_at)


async def _token_call(client: GraphClient, params: dict[str, str]) -> UserToken:
    query = {
        "client_id": settings.PARVIS_META_APP_ID,
        "client_secret": settings.PARVIS_META_APP_SECRET,
        **params,
    }
    # No user token yet: this call is authenticated by the app's secret alone.
    try:
        async with http.async_session(base_url=client.base_url) as http_client:
            response = await http_client.get(client.url("oauth/access_token"), params=query)
    except httpx.TransportError as error:
        raise from_transport(error, network=client.network, write=False) from error
    if not response.is_success:
        raise from_response(response, network=client.network, write=False)
    try:
        token = _user_token(response.json())
    except ValueError:
        token = UserToken("", None)
    if not token.access_token:
        raise PermanentError(
            with_values(
                _("%(network)s gave no access token: start again."), network=client.network
            ),
            detail="oauth/access_token answered without access_token",
        )
    return token


async def exchange_code(client: GraphClient, *, code: str, redirect_uri: str) -> UserToken:
    """The short-lived user token for the dialog's code."""
    return await _token_call(client, {"redirect_uri": redirect_uri, "code": code})


async def long_lived(client: GraphClient, *, token: str) -> UserToken:
    """A long-lived (about 60 days) user token for a short-lived one; the Page tokens
    read with it do not expire."""
    return await _token_call(
        client, {"grant_type": "fb_exchange_token", "fb_exchange_token": token}
    )
