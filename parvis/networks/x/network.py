"""X (Twitter) through its API v2: connecting, publishing, conversations, metrics.

Every call uses the channel's OAuth 2.0 user token as a Bearer token, through the one
HTTP seam (``parvis.core.http``), against ``settings.PARVIS_X_API_BASE_URL`` (tests
point it at ``tests/servers/x``). X has no idempotency key: after an unknown outcome,
``find_published`` looks for the text among the account's posts since the attempt.
Connecting and renewing tokens live in ``oauth.py``, media upload in ``media.py``,
reading mentions and figures in ``reading.py``.
"""

from __future__ import annotations

import asyncio
import html
import logging
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import regex
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.core import http
from parvis.networks import feeds
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
    Tokens,
    UnknownOutcome,
)
from parvis.networks.media_figures import X_MEDIA_RULES
from parvis.networks.textrules import measure_text
from parvis.networks.textrules.extract import extract_urls
from parvis.networks.x import media, oauth, reading
from parvis.networks.x.errors import (
    RateLimitStatus,
    from_response,
    from_transport,
    rate_limit_status,
)

logger = logging.getLogger(__name__)

# twitter-text v3: 280 weighted characters, every link counts 23 (t.co), 4 media.
X_TEXT_RULES = TextRules(max_length=280, counting="weighted", url_length=23, max_media=4)
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


class X(Network):
    key = "x"
    name = "X"
    icon = "twitter-x"
    text_rules = X_TEXT_RULES
    display = feeds.X
    media_rules = X_MEDIA_RULES
    # Direct messages are not read: X's DM endpoints need a paid tier and other scopes.
    capabilities = Capabilities(
        threads=True,
        first_comment=False,
        hide_comments=True,
        like=True,
        idempotency=False,
    )

    def __init__(self, base_url: str = "", sleep: media.Sleep = asyncio.sleep) -> None:
        self._base_url = base_url.rstrip("/")
        self._sleep = sleep  # between media STATUS checks (tests pass a quick one)
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
        data: dict[str, str] | None = None,
        files: dict[str, Any] | None = None,
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
                    method, path, json=json, params=params, data=data, files=files, headers=headers
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
    def request_body(request: PublishRequest, media_ids: Sequence[str] = ()) -> dict[str, Any]:
        """The JSON body of POST /2/tweets for this request.

        A thread part and a reply answer ``reply_to_id``; a quote names the quoted post
        in ``options["quote_tweet_id"]``; media are uploaded first (``media_ids``).
        """
        body: dict[str, Any] = {"text": request.text}
        if request.reply_to_id:
            body["reply"] = {"in_reply_to_tweet_id": request.reply_to_id}
        if quoted := str(request.options.get("quote_tweet_id") or ""):
            body["quote_tweet_id"] = quoted
        if media_ids:
            body["media"] = {"media_ids": list(media_ids)}
        return body

    async def publish(self, channel: ChannelRef, request: PublishRequest) -> PublishResult:
        measure = self.measure_text(request.text, media_count=len(request.media))
        if not measure.valid:
            raise PermanentError(measure.problems[0].message, detail="checked before sending")
        if problems := self.check_media(request.media):
            raise PermanentError(problems[0].message, detail="media checked before sending")
        media_ids = [
            await media.upload(self._call, channel, item, sleep=self._sleep)
            for item in request.media
        ]
        self.rate_limits.pop(channel.external_id, None)  # only this answer's may count
        body = await self._call(
            "POST", "/2/tweets", channel, write=True, json=self.request_body(request, media_ids)
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
        if request.media:  # X gives a post with media back with the media's t.co link last
            text = text.removesuffix(_URL_MARK).rstrip()
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

    # --- Connecting and tokens -------------------------------------------------------

    def setup_problem(self) -> str:
        return oauth.setup_problem()

    def connect_start(self, *, redirect_uri: str) -> ConnectStart:
        return oauth.connect_start(redirect_uri=redirect_uri)

    async def connect_finish(
        self, *, params: dict[str, str], state: dict[str, Any], redirect_uri: str
    ) -> Sequence[ConnectedAccount]:
        code = oauth.check_callback(params, state)
        tokens = await oauth.exchange_code(
            base_url=self.base_url,
            code=code,
            verifier=str(state.get("code_verifier", "")),
            redirect_uri=redirect_uri,
        )
        probe = ChannelRef(external_id="", access_token=tokens.access_token)
        params_me = {"user.fields": "profile_image_url"}
        me = (await self._call("GET", "/2/users/me", probe, params=params_me)).get("data") or {}
        if not me.get("id"):
            raise PermanentError(
                _("X did not say which account was connected: connect again."),
                detail=f"/2/users/me answered {str(me)[:200]}",
            )
        username = str(me.get("username", ""))
        return [
            ConnectedAccount(
                external_id=str(me["id"]),
                name=str(me.get("name") or username),
                handle=f"@{username}" if username else "",
                avatar_url=str(me.get("profile_image_url", "")),
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token,
                expires_at=tokens.expires_at,
                scopes=tokens.scopes,
                options={"username": username},
            )
        ]

    def refresh_due(self, tokens: Tokens, *, now: datetime) -> bool:
        return oauth.refresh_due(tokens, now=now)

    async def refresh_tokens(self, channel: ChannelRef, tokens: Tokens) -> Tokens:
        return await oauth.refresh(base_url=self.base_url, tokens=tokens)

    # --- Conversations ---------------------------------------------------------------

    async def fetch_interactions(self, channel: ChannelRef, *, cursor: str = "") -> InteractionPage:
        """Mentions of the account, replies to its posts among them, newer than ``cursor``.

        The cursor is the newest post id seen (X's ``since_id``); X puts every reply to
        the account's posts in its mentions, so one timeline holds both.
        """
        params = dict(reading.MENTION_PARAMS)
        if cursor:
            params["since_id"] = cursor
        found, newest, now = [], cursor, timezone.now()
        path = f"/2/users/{channel.external_id}/mentions"
        for _page in range(MAX_PAGES):
            body = await self._call("GET", path, channel, params=params)
            found += reading.interactions(body, channel.external_id, now)
            meta = body.get("meta") or {}
            if meta.get("newest_id") and (not newest or int(meta["newest_id"]) > int(newest)):
                newest = str(meta["newest_id"])
            if not meta.get("next_token"):
                break
            params["pagination_token"] = meta["next_token"]
        return InteractionPage(items=tuple(found), cursor=newest)

    async def reply(
        self, channel: ChannelRef, *, to_remote_id: str, text: str, idempotency_key: str
    ) -> PublishResult:
        request = PublishRequest(
            text=text, idempotency_key=idempotency_key, reply_to_id=to_remote_id
        )
        return await self.publish(channel, request)

    async def hide_interaction(self, channel: ChannelRef, remote_id: str, *, hidden: bool) -> None:
        try:
            await self._call(
                "PUT", f"/2/tweets/{remote_id}/hidden", channel, json={"hidden": hidden}
            )
        except PermanentError as error:
            if not error.detail.startswith("403"):
                raise
            raise PermanentError(
                _("X lets an account hide only the replies to its own posts."),
                detail=error.detail,
            ) from error

    async def like_interaction(self, channel: ChannelRef, remote_id: str, *, liked: bool) -> None:
        """Like (or unlike) a post as the channel's account (scope ``like.write``)."""
        likes = f"/2/users/{channel.external_id}/likes"
        try:
            if liked:
                await self._call("POST", likes, channel, json={"tweet_id": remote_id})
            else:
                await self._call("DELETE", f"{likes}/{remote_id}", channel)
        except PermanentError as error:
            if not error.detail.startswith("403"):
                raise
            raise PermanentError(
                _(
                    "X refused the like: reconnect the channel so that Parvis may like posts "
                    "(channels connected before this feature lack that permission)."
                ),
                detail=error.detail,
            ) from error

    async def delete_interaction(self, channel: ChannelRef, remote_id: str) -> None:
        """Delete the account's own reply (X deletes no one else's: hide it instead)."""
        params = {"ids": remote_id, "tweet.fields": "author_id"}
        found = (await self._call("GET", "/2/tweets", channel, params=params)).get("data") or []
        if not found:
            raise PermanentError(_("This post no longer exists on X."), detail=remote_id)
        if str(found[0].get("author_id")) != channel.external_id:
            raise PermanentError(
                _("X lets Parvis delete only this account's own posts: hide the reply instead."),
                detail=f"{remote_id} is by {found[0].get('author_id')}",
            )
        await self.delete(channel, remote_id)

    # --- Measuring ---------------------------------------------------------------------

    async def fetch_metrics(
        self, channel: ChannelRef, *, remote_ids: Sequence[str] = ()
    ) -> Sequence[MetricSample]:
        now = timezone.now()
        params = {"user.fields": "public_metrics"}
        me = (await self._call("GET", "/2/users/me", channel, params=params)).get("data") or {}
        found = reading.samples(me.get("public_metrics") or {}, reading.ACCOUNT_METRICS, now)
        ids = list(dict.fromkeys(remote_ids))
        for start in range(0, len(ids), PAGE_SIZE):
            params = {
                "ids": ",".join(ids[start : start + PAGE_SIZE]),
                "tweet.fields": "public_metrics",
            }
            body = await self._call("GET", "/2/tweets", channel, params=params)
            for tweet in body.get("data") or ():
                figures = tweet.get("public_metrics") or {}
                found += reading.samples(figures, reading.POST_METRICS, now, str(tweet["id"]))
        return found
