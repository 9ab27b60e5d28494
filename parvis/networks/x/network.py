"""X (Twitter) through its API v2: publishing, verifying, deleting, checking health.

Every call uses the channel's OAuth 2.0 user token as a Bearer token, through the one
HTTP seam (``parvis.core.http``), against ``settings.PARVIS_X_API_BASE_URL`` (tests
point it at ``tests/servers/x``). X has no idempotency key: after an unknown outcome,
``find_published`` looks for the text among the account's posts since the attempt.

Not built yet (each raises PermanentError saying so): connecting an account (OAuth 2.0
with PKCE), conversations, replies from the inbox, metrics, and media.
"""

from __future__ import annotations

import html
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
import regex
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.core import http
from parvis.networks import feeds, media_messages
from parvis.networks.base import (
    AuthExpired,
    Capabilities,
    ChannelRef,
    ConnectedAccount,
    ConnectStart,
    InteractionPage,
    MetricSample,
    Network,
    PermanentError,
    PublishRequest,
    PublishResult,
    TextMeasure,
    TextRules,
    UnknownOutcome,
)
from parvis.networks.media_figures import X_MEDIA_RULES
from parvis.networks.textrules import measure_text
from parvis.networks.textrules.extract import extract_urls
from parvis.networks.x.errors import (
    RateLimitStatus,
    from_response,
    from_transport,
    rate_limit_status,
)

logger = logging.getLogger(__name__)

# twitter-text v3: 280 weighted characters, every link counts 23 (t.co), 4 media.
X_TEXT_RULES = TextRules(max_length=280, counting="weighted", url_length=23, max_media=4)
# X's figures, but this connector does not upload media yet: the composer says so
# before anything is scheduled, and ``publish`` refuses a request that carries media.
X_CONNECTOR_MEDIA_RULES = replace(X_MEDIA_RULES, sendable=False)
PAGE_SIZE = 100  # the most GET /2/users/{id}/tweets gives in one page
MAX_PAGES = 10  # when verifying: 1,000 posts since the attempt is far more than enough
_URL_MARK = "\x00url\x00"
_SPACES = regex.compile(r"\s+")
_LEADING_MENTIONS = regex.compile(r"^(?:[@＠]\w{1,15}\s+)+")  # noqa: RUF001


def normalise(text: str) -> str:
    """A post's text as X may give it back: links through t.co, entities, spacing.

    Links are replaced by a mark (X rewrites every one, with or without a scheme),
    ``&amp;``-style entities are decoded, spaces collapsed, Unicode in NFC.
    """
    text = unicodedata.normalize("NFC", html.unescape(text))
    parts, position = [], 0
    for url in extract_urls(text):
        parts += [text[position : url.start], _URL_MARK]
        position = url.end
    parts.append(text[position:])
    return _SPACES.sub(" ", "".join(parts)).strip()


def _not_yet(what: str) -> PermanentError:
    return PermanentError(
        _("This is not available for X yet: Parvis can only publish to X so far."),
        detail=f"X connector: {what} is not built yet",
    )


class X(Network):
    key = "x"
    name = "X"
    icon = "twitter-x"
    text_rules = X_TEXT_RULES
    display = feeds.X
    media_rules = X_CONNECTOR_MEDIA_RULES
    # Only what works today: text posts and threads (media, replies from the inbox,
    # direct messages and metrics come later).
    capabilities = Capabilities(
        images=False,
        videos=False,
        threads=True,
        first_comment=False,
        reply=False,
        metrics=False,
        idempotency=False,
    )

    def __init__(self, base_url: str = "") -> None:
        self._base_url = base_url.rstrip("/")
        # What X said of each channel's limit in its last answer (x-rate-limit-*),
        # keyed by the channel's external id: for the runner and the logs.
        self.rate_limits: dict[str, RateLimitStatus] = {}

    @property
    def base_url(self) -> str:
        return self._base_url or settings.PARVIS_X_API_BASE_URL

    def measure_text(self, text: str, *, media_count: int = 0) -> TextMeasure:
        return measure_text(text, self.text_rules, media_count=media_count, network=self.name)

    # --- Calls -----------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        channel: ChannelRef,
        *,
        write: bool = False,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """One call to X; its JSON body, or the contract's error for what went wrong.

        ``write``: the call makes something on X, so a lost answer is an unknown outcome.
        """
        if not channel.access_token:
            raise AuthExpired(_("This X channel has no access token: reconnect the channel."))
        headers = {"Authorization": f"Bearer {channel.access_token}"}
        try:
            async with http.async_session(base_url=self.base_url) as client:
                response = await client.request(
                    method, path, json=json, params=params, headers=headers
                )
        except httpx.TransportError as error:
            raise from_transport(error, write=write) from error
        self._note_rate_limit(channel, response)
        if not response.is_success:
            raise from_response(response, write=write)
        try:
            body = response.json()
        except ValueError as error:
            if write:
                raise UnknownOutcome(
                    _("X's answer could not be read: Parvis checks whether it was published."),
                    detail=f"{response.status_code} unreadable body",
                ) from error
            raise from_response(response, write=write) from error
        return body if isinstance(body, dict) else {}

    def _note_rate_limit(self, channel: ChannelRef, response: httpx.Response) -> None:
        status = rate_limit_status(response.headers)
        if status.remaining is None:
            return
        self.rate_limits[channel.external_id] = status
        logger.debug(
            "X %s %s: %s of %s calls left until %s",
            response.request.method,
            response.request.url.path,
            status.remaining,
            status.limit,
            status.reset_at,
        )

    def post_url(self, channel: ChannelRef, remote_id: str) -> str:
        username = str(channel.options.get("username", "")).lstrip("@") or "i"
        return f"https://x.com/{username}/status/{remote_id}"

    # --- Publishing ----------------------------------------------------------------

    @staticmethod
    def request_body(request: PublishRequest) -> dict[str, Any]:
        """The JSON body of POST /2/tweets for this request."""
        body: dict[str, Any] = {"text": request.text}
        if request.reply_to_id:
            body["reply"] = {"in_reply_to_tweet_id": request.reply_to_id}
        return body

    async def publish(self, channel: ChannelRef, request: PublishRequest) -> PublishResult:
        if request.media:  # never publish the text without its media
            raise PermanentError(
                media_messages.not_sendable(self.name),
                detail="X connector: media upload is not built yet",
            )
        measure = self.measure_text(request.text)
        if not measure.valid:
            raise PermanentError(measure.problems[0].message, detail="checked before sending")
        self.rate_limits.pop(channel.external_id, None)  # only this answer's may count
        body = await self._call(
            "POST", "/2/tweets", channel, write=True, json=self.request_body(request)
        )
        # Noted by this very answer (nothing ran in between): the account's window.
        limit = self.rate_limits.get(channel.external_id)
        remote_id = str((body.get("data") or {}).get("id") or "")
        if not remote_id:
            raise UnknownOutcome(
                _(
                    "X's answer did not say which post it made: Parvis checks whether it "
                    "was published."
                ),
                detail=f"no data.id in {str(body)[:200]}",
            )
        hold_until = limit.reset_at if limit and limit.remaining == 0 else None
        return PublishResult(
            remote_id, self.post_url(channel, remote_id), timezone.now(), hold_until=hold_until
        )

    async def find_published(
        self, channel: ChannelRef, request: PublishRequest, *, since: datetime
    ) -> PublishResult | None:
        """The account's first post since ``since`` with the request's text, or None."""
        wanted = normalise(request.text)
        params = {
            "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "max_results": str(PAGE_SIZE),
            "tweet.fields": "created_at,text",
        }
        found: dict[str, Any] | None = None
        for _page in range(MAX_PAGES):
            body = await self._call(
                "GET", f"/2/users/{channel.external_id}/tweets", channel, params=params
            )
            if "data" not in body and "meta" not in body and body.get("errors"):
                raise PermanentError(
                    _("X cannot list this account's posts: reconnect the channel."),
                    detail=str(body["errors"])[:500],
                )
            for tweet in body.get("data") or ():  # newest first: keep the oldest match
                if self._same_text(tweet.get("text", ""), wanted, request):
                    found = tweet
            next_token = (body.get("meta") or {}).get("next_token")
            if not next_token:
                break
            params["pagination_token"] = next_token
        if found is None:
            return None
        created = found.get("created_at")
        published_at = datetime.fromisoformat(created.replace("Z", "+00:00")) if created else since
        return PublishResult(found["id"], self.post_url(channel, found["id"]), published_at)

    @staticmethod
    def _same_text(remote: str, wanted: str, request: PublishRequest) -> bool:
        text = normalise(remote)
        if text == wanted:
            return True
        # A reply may come back with the @names it answers before the text.
        return bool(request.reply_to_id) and _LEADING_MENTIONS.sub("", text) == wanted

    async def delete(self, channel: ChannelRef, remote_id: str) -> None:
        body = await self._call("DELETE", f"/2/tweets/{remote_id}", channel)
        if not (body.get("data") or {}).get("deleted"):
            raise PermanentError(
                _("X did not delete the post."), detail=f"DELETE answered {str(body)[:200]}"
            )

    async def check_health(self, channel: ChannelRef) -> None:
        body = await self._call("GET", "/2/users/me", channel)
        user_id = str((body.get("data") or {}).get("id") or "")
        if user_id != channel.external_id:
            raise AuthExpired(
                _("This X access belongs to another account: reconnect the channel."),
                detail=f"/2/users/me is {user_id!r}, the channel is {channel.external_id!r}",
            )

    # --- Not built yet ---------------------------------------------------------------

    def connect_start(self, *, redirect_uri: str) -> ConnectStart:
        raise PermanentError(
            _("Connecting an X account is not available yet."),
            detail="X connector: OAuth 2.0 with PKCE is not built yet",
        )

    async def connect_finish(
        self, *, params: dict[str, str], state: dict[str, Any], redirect_uri: str
    ) -> Sequence[ConnectedAccount]:
        raise PermanentError(
            _("Connecting an X account is not available yet."),
            detail="X connector: OAuth 2.0 with PKCE is not built yet",
        )

    async def fetch_interactions(self, channel: ChannelRef, *, cursor: str = "") -> InteractionPage:
        raise _not_yet("fetch_interactions")

    async def reply(
        self, channel: ChannelRef, *, to_remote_id: str, text: str, idempotency_key: str
    ) -> PublishResult:
        raise _not_yet("reply")

    async def fetch_metrics(
        self, channel: ChannelRef, *, remote_ids: Sequence[str] = ()
    ) -> Sequence[MetricSample]:
        raise _not_yet("fetch_metrics")
