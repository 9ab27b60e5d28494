"""The two ways to connect an Instagram professional account: two network keys.

- ``instagram``: Facebook Login (the Meta app, ``PARVIS_META_*``). The person picks
  Facebook Pages; each Page's linked ``instagram_business_account`` becomes a channel
  acting with the Page's token, which does not expire. Calls go to graph.facebook.com.
- ``instagram_login``: Instagram Login (the app's Instagram product,
  ``PARVIS_INSTAGRAM_APP_ID`` / ``_APP_SECRET``), for accounts with no Facebook Page.
  The code gives a one-hour token, exchanged at once for a 60-day one, renewed once
  it is 24 hours old and before it expires. Calls go to graph.instagram.com.

Two keys rather than an option of one network: the app, the login, the host, the
tokens' lifetime and the permissions all differ, and a channel's key says which apply
(the connect page offers both, each with its own setup check and redirect address).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parvis.core import http
from parvis.networks.base import (
    ChannelRef,
    ConnectedAccount,
    ConnectStart,
    PermanentError,
    Tokens,
)
from parvis.networks.instagram.graph import InstagramGraph
from parvis.networks.instagram.network import InstagramNetwork
from parvis.networks.lazytext import with_values
from parvis.networks.meta import oauth, webhooks
from parvis.networks.meta.errors import from_response, from_transport

NETWORK = "Instagram"
FACEBOOK_LOGIN_SCOPES = (
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
    "pages_show_list",
    "pages_read_engagement",
    "business_management",
)
INSTAGRAM_LOGIN_SCOPES = (
    "instagram_business_basic",
    "instagram_business_content_publish",
    "instagram_business_manage_comments",
    "instagram_business_manage_insights",
)
ACCOUNT_FIELDS = "id,username,name,profile_picture_url"
PAGE_FIELDS = f"id,name,access_token,instagram_business_account{{{ACCOUNT_FIELDS}}}"
# Instagram Login tokens: renewable once 24 hours old; renewed when less than this is
# left of their 60 days (so a worker stopped for weeks still finds them alive).
REFRESH_MIN_AGE = timedelta(hours=24)
REFRESH_WHEN_LEFT = timedelta(days=30)


def _account(body: Mapping[str, Any], **values: Any) -> ConnectedAccount:
    username = str(body.get("username") or "")
    return ConnectedAccount(
        external_id=str(body.get("user_id") or body.get("id") or ""),
        name=str(body.get("name") or username),
        handle=f"@{username}" if username else "",
        avatar_url=str(body.get("profile_picture_url") or ""),
        **values,
    )


class InstagramFacebookLogin(InstagramNetwork):
    key = "instagram"
    name = _("Instagram (through a Facebook Page)")

    def graph(self) -> InstagramGraph:
        return InstagramGraph(network=NETWORK, base_url=self._base_url)

    def setup_problem(self) -> str | Promise:
        if settings.PARVIS_META_APP_ID and settings.PARVIS_META_APP_SECRET:
            return ""
        return _(
            "Connecting Instagram through Facebook needs this installation's Meta app: "
            "an administrator sets PARVIS_META_APP_ID and PARVIS_META_APP_SECRET "
            "(see the README)."
        )

    def connect_start(self, *, redirect_uri: str) -> ConnectStart:
        state = oauth.new_state()
        url = oauth.authorize_url(
            redirect_uri=redirect_uri, state=state, scopes=FACEBOOK_LOGIN_SCOPES
        )
        return ConnectStart(authorize_url=url, state={"state": state})

    async def connect_finish(
        self, *, params: dict[str, str], state: dict[str, Any], redirect_uri: str
    ) -> Sequence[ConnectedAccount]:
        code = oauth.check_state(params=params, state=state, network=NETWORK)
        graph = self.graph()
        short = await oauth.exchange_code(graph, code=code, redirect_uri=redirect_uri)
        user = await oauth.long_lived(graph, token=short.access_token)
        pages = await graph.pages(
            "me/accounts",
            token=user.access_token,
            params={
                "fields": f"id,name,access_token,instagram_business_account{{{ACCOUNT_FIELDS}}}"
            },
        )
        found = [
            _account(
                page["instagram_business_account"],
                access_token=str(page.get("access_token") or ""),
                scopes=FACEBOOK_LOGIN_SCOPES,
                options={
                    "username": page["instagram_business_account"].get("username", ""),
                    "page_id": str(page.get("id") or ""),
                    "page_name": str(page.get("name") or ""),
                },
            )
            for page in pages
            if isinstance(page.get("instagram_business_account"), dict)
        ]
        if not found:
            raise PermanentError(
                _(
                    "None of the Facebook Pages you chose is linked to an Instagram "
                    "professional account: link one in the Page's settings (Linked "
                    "accounts), or connect with Instagram Login instead."
                ),
                detail=f"{len(pages)} Pages, none with instagram_business_account",
            )
        return found

    def webhook_challenge(self, params: Mapping[str, str]) -> str | None:
        return webhooks.challenge_answer(params)

    def webhook_verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        return webhooks.signature_valid(headers, body)


class InstagramLogin(InstagramNetwork):
    key = "instagram_login"
    name = _("Instagram (Instagram login)")

    def graph(self) -> InstagramGraph:
        return InstagramGraph(
            network=NETWORK,
            base_url=self._base_url or settings.PARVIS_INSTAGRAM_GRAPH_URL,
            app_secret=settings.PARVIS_INSTAGRAM_APP_SECRET,
        )

    def setup_problem(self) -> str | Promise:
        if settings.PARVIS_INSTAGRAM_APP_ID and settings.PARVIS_INSTAGRAM_APP_SECRET:
            return ""
        return _(
            "Connecting Instagram with Instagram Login needs this installation's "
            "Instagram app: an administrator sets PARVIS_INSTAGRAM_APP_ID and "
            "PARVIS_INSTAGRAM_APP_SECRET (see the README)."
        )

    def connect_start(self, *, redirect_uri: str) -> ConnectStart:
        state = oauth.new_state()
        query = {
            "client_id": settings.PARVIS_INSTAGRAM_APP_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": ",".join(INSTAGRAM_LOGIN_SCOPES),
            "state": state,
        }
        url = f"{settings.PARVIS_INSTAGRAM_AUTHORIZE_URL}/oauth/authorize?{urlencode(query)}"
        return ConnectStart(authorize_url=url, state={"state": state})

    async def _token_call(
        self, method: str, url: str, *, params: dict[str, str] | None = None, data=None
    ) -> dict[str, Any]:
        """A token request: authenticated by the app's secret or the token itself."""
        try:
            async with http.async_session(base_url="") as client:
                response = await client.request(method, url, params=params, data=data)
        except httpx.TransportError as error:
            raise from_transport(error, network=NETWORK, write=False) from error
        if not response.is_success:
            raise self._token_refusal(response)
        try:
            body = response.json()
        except ValueError:
            body = None
        return body if isinstance(body, dict) else {}

    @staticmethod
    def _token_refusal(response: httpx.Response) -> Exception:
        try:
            body = response.json()
        except ValueError:
            body = {}
        said = body.get("error_message") if isinstance(body, dict) else None
        if said:  # api.instagram.com's own error shape
            return PermanentError(
                with_values(
                    _("Instagram refused the connection (%(said)s): start again."), said=said
                ),
                detail=f"{response.status_code} {said}",
            )
        return from_response(response, network=NETWORK, write=False)

    async def connect_finish(
        self, *, params: dict[str, str], state: dict[str, Any], redirect_uri: str
    ) -> Sequence[ConnectedAccount]:
        code = oauth.check_state(params=params, state=state, network=NETWORK).removesuffix("#_")
        short = await self._token_call(
            "POST",
            f"{settings.PARVIS_INSTAGRAM_API_URL}/oauth/access_token",
            data={
                "client_id": settings.PARVIS_INSTAGRAM_APP_ID,
                "client_secret": settings.PARVIS_INSTAGRAM_APP_SECRET,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
                "code": code,
            },
        )
        first = (short.get("data") or [short])[0]
        permissions = first.get("permissions") or ""
        if isinstance(permissions, str):
            permissions = [p for p in permissions.split(",") if p]
        long = await self._token_call(
            "GET",
            f"{self.graph().base_url}/access_token",
            params={
                "grant_type": "ig_exchange_token",
                "client_secret": settings.PARVIS_INSTAGRAM_APP_SECRET,
                "access_token": str(first.get("access_token") or ""),
            },
        )
        token, expires_at = self._token_of(long)
        me = await self.graph().get(
            "me", token=token, fields="user_id,username,name,profile_picture_url"
        )
        account = _account(
            me,
            access_token=token,
            expires_at=expires_at,
            scopes=tuple(permissions),
            options={"username": str(me.get("username") or "")},
        )
        return [account]

    @staticmethod
    def _token_of(body: dict[str, Any]) -> tuple[str, datetime | None]:
        token = str(body.get("access_token") or "")
        if not token:
            raise PermanentError(
                _("Instagram gave no access token: start again."),
                detail=f"token answer without access_token: {sorted(body)}",
            )
        seconds = body.get("expires_in")
        expires_at = (
            timezone.now() + timedelta(seconds=int(seconds))
            if isinstance(seconds, int | float) and seconds
            else None
        )
        return token, expires_at

    def refresh_due(self, tokens: Tokens, *, now: datetime) -> bool:
        if tokens.obtained_at is not None and now - tokens.obtained_at < REFRESH_MIN_AGE:
            return False
        return tokens.expires_at is None or tokens.expires_at - now <= REFRESH_WHEN_LEFT

    async def refresh_tokens(self, channel: ChannelRef, tokens: Tokens) -> Tokens:
        body = await self._token_call(
            "GET",
            f"{self.graph().base_url}/refresh_access_token",
            params={"grant_type": "ig_refresh_token", "access_token": tokens.access_token},
        )
        token, expires_at = self._token_of(body)
        return Tokens(
            access_token=token,
            expires_at=expires_at,
            obtained_at=timezone.now(),
            scopes=tokens.scopes,
        )

    def webhook_challenge(self, params: Mapping[str, str]) -> str | None:
        return webhooks.challenge_answer(params)

    def webhook_verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        return webhooks.signature_valid(
            headers, body, app_secret=settings.PARVIS_INSTAGRAM_APP_SECRET
        )
