"""An asynchronous Graph API client, through the one HTTP seam (``parvis.core.http``).

Every call carries the token and, when the app secret is set, its ``appsecret_proof``
(HMAC-SHA256 of the token with the app secret, which Meta may require). Answers come
back as ``GraphAnswer`` (the JSON body and the usage headers); failures as the
contract's errors (``meta.errors``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.core import http
from parvis.networks.base import AuthExpired, NetworkError, RateLimited, UnknownOutcome
from parvis.networks.lazytext import with_values
from parvis.networks.meta.errors import from_response, from_transport
from parvis.networks.meta.usage import Usage, read_usage

# Uploads (a video, a photo) may take long: more time to read the answer.
UPLOAD_TIMEOUT = httpx.Timeout(300.0, connect=5.0)


# Holds from usage headers at HOLD_PERCENT or more, shared by every client of this
# worker (Facebook and Instagram use one Meta app): "app <graph URL>", or a token's
# digest (its Page or account) -> until when calls wait instead of meeting a refusal.
_holds: dict[str, datetime] = {}


def forget_holds() -> None:
    """Tests start without the holds an earlier test left."""
    _holds.clear()


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def appsecret_proof(access_token: str, app_secret: str) -> str:
    return hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class GraphAnswer:
    data: dict[str, Any]
    usage: Usage = field(default_factory=Usage)


class GraphClient:
    """Calls to one Meta network's Graph API. ``network`` names it in messages."""

    def __init__(
        self, *, network: str, base_url: str = "", version: str = "", app_secret: str | None = None
    ) -> None:
        self.network = network
        self._base_url = base_url.rstrip("/")
        self._version = version
        self._app_secret = app_secret

    @property
    def base_url(self) -> str:
        return self._base_url or settings.PARVIS_META_GRAPH_URL

    @property
    def version(self) -> str:
        return self._version or settings.PARVIS_META_API_VERSION

    @property
    def app_secret(self) -> str:
        return settings.PARVIS_META_APP_SECRET if self._app_secret is None else self._app_secret

    def url(self, path: str) -> str:
        return f"/{self.version}/{path.lstrip('/')}"

    def _auth(self, token: str) -> dict[str, str]:
        if not token:
            raise AuthExpired(
                with_values(
                    _("This %(network)s channel has no access token: reconnect the channel."),
                    network=self.network,
                )
            )
        params = {"access_token": token}
        if self.app_secret:
            params["appsecret_proof"] = appsecret_proof(token, self.app_secret)
        return params

    async def call(
        self,
        method: str,
        path: str,
        *,
        token: str,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, Any] | None = None,
        write: bool = False,
    ) -> GraphAnswer:
        """One call; ``write``: it makes something, so a lost answer is an unknown outcome."""
        query = {**(params or {}), **self._auth(token)}
        self._check_hold(token)
        timeout = UPLOAD_TIMEOUT if files else http.DEFAULT_TIMEOUT
        try:
            async with http.async_session(base_url=self.base_url) as client:
                response = await client.request(
                    method, self.url(path), params=query, data=data, files=files, timeout=timeout
                )
        except httpx.TransportError as error:
            raise from_transport(error, network=self.network, write=write) from error
        if not response.is_success:
            raise self.error_for(response, write=write)
        try:
            body = response.json()
        except ValueError as error:
            if write:
                raise UnknownOutcome(
                    with_values(
                        _(
                            "%(network)s's answer could not be read: Parvis checks whether "
                            "it was done."
                        ),
                        network=self.network,
                    ),
                    detail=f"{response.status_code} unreadable body",
                ) from error
            raise self.error_for(response, write=write) from error
        data_ = body if isinstance(body, dict) else {"data": body}
        answer = GraphAnswer(data_, read_usage(response.headers))
        self._note_usage(token, answer.usage)
        return answer

    @property
    def holds(self) -> dict[str, datetime]:
        return _holds

    def _check_hold(self, token: str) -> None:
        now = timezone.now()
        for key, scope in ((f"app {self.base_url}", "app"), (_token_key(token), "channel")):
            until = self.holds.get(key)
            if until is None:
                continue
            if until <= now:
                self.holds.pop(key, None)
                continue
            raise RateLimited(
                with_values(
                    _(
                        "%(network)s reports that Parvis is near its limit: Parvis waits "
                        "until it may call again."
                    ),
                    network=self.network,
                ),
                retry_at=until,
                scope=scope,
                detail=f"held by usage headers until {until.isoformat()} ({key[:8]})",
            )

    def _note_usage(self, token: str, usage: Usage) -> None:
        until = usage.hold_until(timezone.now())
        if until is not None:
            app = f"app {self.base_url}"
            _holds[_token_key(token) if usage.scope == "channel" else app] = until

    def error_for(self, response: httpx.Response, *, write: bool) -> NetworkError:
        """The error an unsuccessful answer means; a network with codes of its own
        (Instagram's publishing quota) overrides this and falls back to it."""
        return from_response(response, network=self.network, write=write)

    async def get(self, path: str, *, token: str, **params: str) -> dict[str, Any]:
        return (await self.call("GET", path, token=token, params=params)).data

    async def pages(
        self, path: str, *, token: str, params: Mapping[str, str], limit: int = 10
    ) -> list[dict[str, Any]]:
        """Every item of a paged edge (``data`` and ``paging.cursors.after``), up to
        ``limit`` pages."""
        items: list[dict[str, Any]] = []
        query = dict(params)
        for _page in range(limit):
            body = (await self.call("GET", path, token=token, params=query)).data
            items += [item for item in body.get("data") or () if isinstance(item, dict)]
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not after or not paging.get("next"):
                break
            query["after"] = after
        return items
