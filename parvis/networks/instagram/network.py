"""Instagram professional accounts: publishing, comments, mentions and figures.

One connector, two ways in (``accounts.py``): through the Facebook Page an account is
linked to (key ``instagram``, Facebook Login, graph.facebook.com, the Meta app) and
with Instagram Login (key ``instagram_login``, graph.instagram.com, the Instagram
app). Both share everything here: the Graph calls are the same on either host.

Publishing goes through containers (``containers.py``): an image, a carousel of 2 to
10 images and videos, or a reel. Instagram downloads each file from its public URL
(``MediaItem.url``, served by Parvis). Before publishing, the account's quota is read
from ``content_publishing_limit`` (never assumed): a full quota is a rate limit until
the rolling 24 hours free a place. Instagram has no idempotency key: after an unknown
outcome, ``find_published`` asks the container it made (PUBLISHED?) or looks for the
caption among the account's recent posts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.networks import feeds
from parvis.networks.base import (
    AuthExpired,
    Capabilities,
    ChannelRef,
    InteractionPage,
    MediaItem,
    MetricSample,
    Network,
    NetworkError,
    PermanentError,
    PublishRequest,
    PublishResult,
    TextMeasure,
    TextRules,
    WebhookItem,
)
from parvis.networks.instagram import containers, interactions, metrics
from parvis.networks.instagram.graph import InstagramGraph
from parvis.networks.instagram.quota import check_quota
from parvis.networks.media_figures import INSTAGRAM_MEDIA_RULES
from parvis.networks.meta.cursors import is_new, make_cursor, read_cursor
from parvis.networks.textrules import measure_text

logger = logging.getLogger(__name__)

INSTAGRAM_TEXT_RULES = TextRules(
    max_length=2_200, max_hashtags=30, max_mentions=20, media_required=True, max_media=10
)
RECENT_MEDIA = 25  # the posts whose comments are read when polling
MAX_CAROUSEL = 10
MAX_REMEMBERED = 1000  # containers kept for verifying lost answers, oldest dropped first


class InstagramNetwork(Network):
    """What both ways in share. Subclasses say which host, app and login."""

    icon = "instagram"
    text_rules = INSTAGRAM_TEXT_RULES
    display = feeds.INSTAGRAM
    media_rules = INSTAGRAM_MEDIA_RULES
    capabilities = Capabilities(
        links=False,
        first_comment=True,
        delete=False,
        hide_comments=True,
        webhooks=True,
    )

    def __init__(
        self,
        *,
        base_url: str = "",
        poll_delays: Sequence[float] = containers.POLL_DELAYS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._base_url = base_url
        self.poll_delays = tuple(poll_delays)
        self._sleep = sleep
        # Containers made for each request (idempotency key -> id), so that after a
        # lost answer ``find_published`` can ask Instagram about the very container.
        self.containers_made: dict[str, str] = {}

    # Each way in says where its Graph API is and which app signs.
    def graph(self) -> InstagramGraph:
        raise NotImplementedError

    def measure_text(self, text: str, *, media_count: int = 0) -> TextMeasure:
        return measure_text(text, self.text_rules, media_count=media_count, network=self.name)

    # --- Health ---------------------------------------------------------------------

    async def check_health(self, channel: ChannelRef) -> None:
        body = await self.graph().get(
            channel.external_id, token=channel.access_token, fields="id,username"
        )
        if str(body.get("id", "")) != channel.external_id:
            raise AuthExpired(
                _("This Instagram access belongs to another account: reconnect the channel."),
                detail=f"/{channel.external_id} answered id {body.get('id')!r}",
            )

    # --- Publishing -------------------------------------------------------------------

    async def publish(self, channel: ChannelRef, request: PublishRequest) -> PublishResult:
        if request.part == "comment":
            return await self._comment(channel, request.reply_to_id, request.text)
        self._check_request(request)
        graph = self.graph()
        await check_quota(graph, channel, now=timezone.now())
        container = await self._container(graph, channel, request)
        if len(self.containers_made) >= MAX_REMEMBERED:  # a worker runs for weeks
            self.containers_made.pop(next(iter(self.containers_made)))
        self.containers_made[request.idempotency_key] = container
        await containers.wait_until_finished(
            lambda: self._read_container(graph, channel, container),
            delays=self.poll_delays,
            sleep=self._sleep,
        )
        answer = await graph.call(
            "POST",
            f"{channel.external_id}/media_publish",
            token=channel.access_token,
            data={"creation_id": container},
            write=True,
        )
        self.containers_made.pop(request.idempotency_key, None)  # answered: not needed
        media_id = str(answer.data.get("id") or "")
        if not media_id:
            raise PermanentError(
                _("Instagram's answer did not say which post it made."),
                detail=f"media_publish answered {str(answer.data)[:200]}",
            )
        return await self._result(graph, channel, media_id)

    def _check_request(self, request: PublishRequest) -> None:
        measure = self.measure_text(request.text, media_count=len(request.media))
        if not measure.valid:
            raise PermanentError(measure.problems[0].message, detail="checked before sending")
        problems = self.check_media(request.media)
        if problems:
            raise PermanentError(problems[0].message, detail="checked before sending")
        if len(request.media) > MAX_CAROUSEL:
            raise PermanentError(
                _("An Instagram carousel has at most 10 images and videos: remove some.")
            )
        if any(not item.url for item in request.media):
            raise PermanentError(
                _(
                    "Instagram downloads each image and video from a public address, and "
                    "Parvis has none for this file: set PARVIS_BASE_URL to this "
                    "installation's public address."
                ),
                detail="MediaItem.url is empty",
            )

    async def _make(self, graph: InstagramGraph, channel: ChannelRef, values: dict) -> str:
        answer = await graph.call(
            "POST", f"{channel.external_id}/media", token=channel.access_token, data=values
        )
        container = str(answer.data.get("id") or "")
        if not container:
            raise PermanentError(
                _("Instagram did not prepare the post: publish it again."),
                detail=f"/media answered {str(answer.data)[:200]}",
            )
        return container

    @staticmethod
    def _media_values(item: MediaItem, *, in_carousel: bool) -> dict[str, str]:
        if item.kind == "video":
            kind = "VIDEO" if in_carousel else "REELS"
            values = {"media_type": kind, "video_url": item.url}
        else:
            values = {"image_url": item.url}
            if item.alt_text and not in_carousel:
                values["alt_text"] = item.alt_text
        if in_carousel:
            values["is_carousel_item"] = "true"
        return values

    async def _container(
        self, graph: InstagramGraph, channel: ChannelRef, request: PublishRequest
    ) -> str:
        """The container to publish: one for an image or a reel; for a carousel, one
        per item (each FINISHED first) and the carousel's own."""
        if len(request.media) == 1:
            values = self._media_values(request.media[0], in_carousel=False)
            return await self._make(graph, channel, {**values, "caption": request.text})
        children = []
        for item in request.media:
            child = await self._make(graph, channel, self._media_values(item, in_carousel=True))
            children.append(child)
        for child in children:
            await containers.wait_until_finished(
                lambda child=child: self._read_container(graph, channel, child),
                delays=self.poll_delays,
                sleep=self._sleep,
            )
        values = {"media_type": "CAROUSEL", "children": ",".join(children)}
        return await self._make(graph, channel, {**values, "caption": request.text})

    @staticmethod
    async def _read_container(
        graph: InstagramGraph, channel: ChannelRef, container: str
    ) -> dict[str, Any]:
        return await graph.get(
            container, token=channel.access_token, fields="id,status_code,status"
        )

    async def _result(
        self, graph: InstagramGraph, channel: ChannelRef, media_id: str
    ) -> PublishResult:
        """The post's address and time; its id alone if Instagram does not say them."""
        try:
            body = await graph.get(
                media_id, token=channel.access_token, fields="id,permalink,timestamp"
            )
        except NetworkError as error:  # published already: never fail the delivery now
            logger.info("Instagram post %s made, its address unread: %s", media_id, error.detail)
            body = {}
        published_at = (
            interactions.when(body["timestamp"]) if body.get("timestamp") else timezone.now()
        )
        return PublishResult(media_id, str(body.get("permalink") or ""), published_at)

    async def _comment(self, channel: ChannelRef, media_id: str, text: str) -> PublishResult:
        """A comment under the brand's post (the first comment)."""
        if not media_id:
            raise PermanentError(_("This comment has no Instagram post to go under."))
        answer = await self.graph().call(
            "POST",
            f"{media_id}/comments",
            token=channel.access_token,
            data={"message": text},
            write=True,
        )
        return PublishResult(str(answer.data.get("id") or ""), "", timezone.now())

    async def find_published(
        self, channel: ChannelRef, request: PublishRequest, *, since: datetime
    ) -> PublishResult | None:
        graph = self.graph()
        if request.part == "comment":
            return await self._find_comment(graph, channel, request, since)
        container = self.containers_made.get(request.idempotency_key)
        if container:
            body = await self._read_container(graph, channel, container)
            if body.get("status_code") != containers.ContainerStatus.PUBLISHED:
                return None  # made, never published: safe to publish again
        wanted = request.text.strip()
        recent = await graph.pages(
            f"{channel.external_id}/media",
            token=channel.access_token,
            params={"fields": "id,caption,timestamp,permalink", "limit": "25"},
            limit=4,
        )
        for media in reversed(recent):  # oldest first: the first match is the post
            made_at = interactions.when(str(media.get("timestamp", "")))
            if (
                made_at >= since - timedelta(minutes=1)
                and str(media.get("caption") or "").strip() == wanted
            ):
                return PublishResult(str(media["id"]), str(media.get("permalink") or ""), made_at)
        return None

    async def _find_comment(
        self, graph: InstagramGraph, channel: ChannelRef, request: PublishRequest, since: datetime
    ) -> PublishResult | None:
        rows = await graph.pages(
            f"{request.reply_to_id}/comments",
            token=channel.access_token,
            params={"fields": "id,text,timestamp,from"},
            limit=4,
        )
        for row in rows:
            mine = str((row.get("from") or {}).get("id") or "") == channel.external_id
            made_at = interactions.when(str(row.get("timestamp", "")))
            recent = made_at >= since - timedelta(minutes=1)
            if mine and recent and str(row.get("text") or "").strip() == request.text.strip():
                return PublishResult(str(row["id"]), "", made_at)
        return None

    async def delete(self, channel: ChannelRef, remote_id: str) -> None:
        raise PermanentError(
            _(
                "Instagram does not let apps delete a post: delete it in the Instagram app "
                "(the post's menu, then Delete)."
            ),
            detail="the Instagram API has no media deletion",
        )

    # --- Conversations ----------------------------------------------------------------

    async def fetch_interactions(self, channel: ChannelRef, *, cursor: str = "") -> InteractionPage:
        """Comments and replies on the recent posts, and posts that tag the account,
        the cursor has not seen (``meta.cursors``: two may share a second)."""
        graph = self.graph()
        token = channel.access_token
        recent = await graph.pages(
            f"{channel.external_id}/media",
            token=token,
            params={"fields": interactions.MEDIA_FIELDS, "limit": str(RECENT_MEDIA)},
            limit=1,
        )
        found = []
        for media in recent:
            rows = await graph.pages(
                f"{media['id']}/comments",
                token=token,
                params={"fields": interactions.COMMENT_FIELDS, "limit": "50"},
                limit=4,
            )
            found += interactions.comments_of_media(
                rows,
                media_id=str(media["id"]),
                permalink=str(media.get("permalink") or ""),
                account_id=channel.external_id,
            )
        tagged = await graph.pages(
            f"{channel.external_id}/tags",
            token=token,
            params={"fields": interactions.MEDIA_FIELDS, "limit": "25"},
            limit=1,
        )
        found += [interactions.mention(media) for media in tagged]
        since, seen = read_cursor(cursor)
        fresh = sorted((i for i in found if is_new(i, since, seen)), key=lambda i: i.created_at)
        return InteractionPage(items=tuple(fresh), cursor=make_cursor(since, seen, fresh))

    async def reply(
        self, channel: ChannelRef, *, to_remote_id: str, text: str, idempotency_key: str
    ) -> PublishResult:
        """An answer under a comment. Instagram nests one level only: an answer to a
        reply goes under the comment it belongs to."""
        graph = self.graph()
        target = await graph.get(to_remote_id, token=channel.access_token, fields="id,parent_id")
        top = str(target.get("parent_id") or to_remote_id)
        answer = await graph.call(
            "POST",
            f"{top}/replies",
            token=channel.access_token,
            data={"message": text},
            write=True,
        )
        return PublishResult(str(answer.data.get("id") or ""), "", timezone.now())

    async def hide_interaction(self, channel: ChannelRef, remote_id: str, *, hidden: bool) -> None:
        await self.graph().call(
            "POST",
            remote_id,
            token=channel.access_token,
            data={"hide": "true" if hidden else "false"},
        )

    async def delete_interaction(self, channel: ChannelRef, remote_id: str) -> None:
        await self.graph().call("DELETE", remote_id, token=channel.access_token)

    def webhook_items(self, body: bytes) -> Sequence[WebhookItem]:
        return interactions.webhook_items(body)

    # --- Measuring ------------------------------------------------------------------

    async def fetch_metrics(
        self, channel: ChannelRef, *, remote_ids: Sequence[str] = ()
    ) -> Sequence[MetricSample]:
        graph, token, now = self.graph(), channel.access_token, timezone.now()
        account = await graph.get(
            channel.external_id, token=token, fields=metrics.ACCOUNT_FOLLOWERS_FIELD
        )
        found: list[MetricSample] = []
        followers = account.get(metrics.ACCOUNT_FOLLOWERS_FIELD)
        if isinstance(followers, int | float):
            found.append(MetricSample("followers", float(followers), now))
        daily = await graph.get(
            f"{channel.external_id}/insights",
            token=token,
            metric=",".join(metrics.ACCOUNT_METRICS),
            period="day",
            metric_type="total_value",
        )
        found += metrics.samples(daily, metrics.ACCOUNT_METRICS, measured_at=now)
        for remote_id in remote_ids:
            try:
                body = await graph.get(
                    f"{remote_id}/insights", token=token, metric=",".join(metrics.MEDIA_METRICS)
                )
            except PermanentError as error:  # a post deleted on Instagram: skip it
                logger.info("Instagram insights of %s unread: %s", remote_id, error.detail)
                continue
            found += metrics.samples(
                body, metrics.MEDIA_METRICS, measured_at=now, remote_id=remote_id
            )
        return found
