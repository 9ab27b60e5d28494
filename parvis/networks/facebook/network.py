"""Facebook Pages: connect (Facebook Login for Business, one channel per Page granted),
publish, verify, delete, comments (polled or by webhook), replies, hiding, likes, figures.

Each channel holds its Page token, read with a long-lived user token: such a Page
token does not expire (it dies when the person changes their password, leaves the
Page or removes the app: then ``AuthExpired`` says why and the channel is reconnected).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.networks import base, feeds
from parvis.networks.base import (
    ChannelRef,
    ConnectedAccount,
    ConnectStart,
    InteractionPage,
    MetricSample,
    PublishRequest,
    PublishResult,
    TextMeasure,
    WebhookItem,
)
from parvis.networks.facebook import conversations, metrics, posting
from parvis.networks.media_figures import FACEBOOK_MEDIA_RULES
from parvis.networks.meta import oauth, webhooks
from parvis.networks.meta.graph import GraphClient
from parvis.networks.textrules import measure_text

logger = logging.getLogger(__name__)

# Asked for when no Login for Business configuration is set (it carries its own).
SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "pages_manage_engagement",
    "pages_read_user_content",
    "read_insights",
    "business_management",
)
VERIFY_PAGE_SIZE = "100"
WEBHOOK_FIELDS = "feed"  # comments on the Page's posts
# Parvis's media are files it uploads (they have no public address): a video goes in
# one request to /videos, which takes up to 1 GB (larger ones need Meta's resumable
# upload, which asks for a user token of one of the app's own developers).
DIRECT_VIDEO_BYTES = 1024 * 1024 * 1024
FACEBOOK_CONNECTOR_MEDIA_RULES = replace(FACEBOOK_MEDIA_RULES, max_video_bytes=DIRECT_VIDEO_BYTES)


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


class Facebook(base.Network):
    key = "facebook"
    name = "Facebook"
    icon = "facebook"
    display = feeds.FACEBOOK
    text_rules = base.TextRules(max_length=63_206, max_media=10)
    media_rules = FACEBOOK_CONNECTOR_MEDIA_RULES
    capabilities = base.Capabilities(
        link_card=True, first_comment=True, hide_comments=True, like=True, webhooks=True
    )

    def __init__(self) -> None:
        self.graph = GraphClient(network="Facebook")

    def setup_problem(self) -> str:
        if settings.PARVIS_META_APP_ID and settings.PARVIS_META_APP_SECRET:
            return ""
        return str(
            _(
                "Facebook needs this installation's Meta app: the administrator sets "
                "PARVIS_META_APP_ID and PARVIS_META_APP_SECRET (see the README)."
            )
        )

    def measure_text(self, text: str, *, media_count: int = 0) -> TextMeasure:
        return measure_text(text, self.text_rules, media_count=media_count, network=self.name)

    def post_url(self, remote_id: str) -> str:
        return f"https://www.facebook.com/{remote_id}"

    # --- Connecting ----------------------------------------------------------------

    def connect_start(self, *, redirect_uri: str) -> ConnectStart:
        state = oauth.new_state()
        url = oauth.authorize_url(redirect_uri=redirect_uri, state=state, scopes=SCOPES)
        return ConnectStart(authorize_url=url, state={"state": state})

    async def connect_finish(
        self, *, params: dict[str, str], state: dict[str, Any], redirect_uri: str
    ) -> Sequence[ConnectedAccount]:
        code = oauth.check_state(params=params, state=state, network=self.name)
        short = await oauth.exchange_code(self.graph, code=code, redirect_uri=redirect_uri)
        user = await oauth.long_lived(self.graph, token=short.access_token)
        pages = await self.graph.pages(
            "me/accounts",
            token=user.access_token,
            params={"fields": "id,name,access_token,category,tasks", "limit": "100"},
        )
        accounts = [
            ConnectedAccount(
                external_id=str(page["id"]),
                name=str(page.get("name", "")),
                access_token=str(page.get("access_token", "")),
                expires_at=None,  # a Page token read with a long-lived user token
                scopes=tuple(SCOPES),
                options={"category": page.get("category", ""), "tasks": page.get("tasks", [])},
            )
            for page in pages
            if page.get("access_token")
        ]
        for account in accounts:
            await self._subscribe_webhooks(account)
        if not accounts:
            raise base.PermanentError(
                _(
                    "Facebook gave access to no Page. Connect again and choose at least one "
                    "Page you manage."
                ),
                detail="me/accounts is empty",
            )
        return accounts

    async def _subscribe_webhooks(self, account: ConnectedAccount) -> None:
        """Ask Meta to send the Page's ``feed`` changes to the app's webhook. Without
        it (a refusal, an app with no webhook), comments are still polled."""
        try:
            await self.graph.call(
                "POST",
                f"{account.external_id}/subscribed_apps",
                token=account.access_token,
                data={"subscribed_fields": WEBHOOK_FIELDS},
            )
        except base.NetworkError as error:
            logger.warning(
                "Facebook Page %s not subscribed to webhooks: %s", account.external_id, error.detail
            )
            return
        account.options["webhooks"] = WEBHOOK_FIELDS

    async def check_health(self, channel: ChannelRef) -> None:
        me = await self.graph.get("me", token=channel.access_token, fields="id,name")
        if str(me.get("id")) != channel.external_id:
            raise base.AuthExpired(
                _("This Facebook access belongs to another Page: reconnect the channel."),
                detail=f"/me is {me.get('id')!r}, the channel is {channel.external_id!r}",
            )

    # --- Publishing ----------------------------------------------------------------

    async def publish(self, channel: ChannelRef, request: PublishRequest) -> PublishResult:
        measure = self.measure_text(request.text, media_count=len(request.media))
        problems = measure.problems + self.check_media(request.media)
        if problems:
            raise base.PermanentError(problems[0].message, detail="checked before sending")
        answer = await posting.publish_post(self.graph, channel, request)
        remote_id = posting.new_post_id(answer)
        if remote_id and any(m.kind == "video" for m in request.media):
            remote_id = await posting.video_post_id(self.graph, channel, remote_id)
        if not remote_id:
            raise base.UnknownOutcome(
                _(
                    "Facebook's answer did not say which post it made: Parvis checks whether "
                    "it was published."
                ),
                detail=f"no id in {str(answer.data)[:200]}",
            )
        hold_until = answer.usage.hold_until(timezone.now())
        return PublishResult(
            remote_id, self.post_url(remote_id), timezone.now(), hold_until=hold_until
        )

    async def find_published(
        self, channel: ChannelRef, request: PublishRequest, *, since: datetime
    ) -> PublishResult | None:
        """The Page's oldest post (or the post's comment) since ``since`` with the text."""
        wanted = normalise(posting.text_with_link(request))
        if request.part == "comment":
            edge = f"{request.reply_to_id}/comments"
            fields = "id,message,created_time,from"
        else:
            edge = f"{channel.external_id}/published_posts"
            fields = "id,message,created_time,permalink_url"
        params = {
            "fields": fields,
            "since": str(int(since.timestamp())),
            "limit": VERIFY_PAGE_SIZE,
        }
        items = await self.graph.pages(edge, token=channel.access_token, params=params)
        matches = [
            item
            for item in items
            if normalise(str(item.get("message", ""))) == wanted
            and conversations.parse_time(item.get("created_time")) >= since.replace(microsecond=0)
        ]
        if not matches:
            return None
        found = min(matches, key=lambda item: conversations.parse_time(item.get("created_time")))
        url = str(found.get("permalink_url") or self.post_url(str(found["id"])))
        return PublishResult(
            str(found["id"]), url, conversations.parse_time(found.get("created_time"))
        )

    async def delete(self, channel: ChannelRef, remote_id: str) -> None:
        await self._delete(channel, remote_id)

    async def _delete(self, channel: ChannelRef, remote_id: str) -> None:
        body = (await self.graph.call("DELETE", remote_id, token=channel.access_token)).data
        if not body.get("success"):
            raise base.PermanentError(
                _("Facebook did not delete it."), detail=f"DELETE answered {str(body)[:200]}"
            )

    # --- Conversations -------------------------------------------------------------

    async def fetch_interactions(self, channel: ChannelRef, *, cursor: str = "") -> InteractionPage:
        return await conversations.fetch_comments(self.graph, channel, cursor)

    async def reply(
        self, channel: ChannelRef, *, to_remote_id: str, text: str, idempotency_key: str
    ) -> PublishResult:
        answer = await self.graph.call(
            "POST",
            f"{to_remote_id}/comments",
            token=channel.access_token,
            data={"message": text},
            write=True,
        )
        remote_id = str(answer.data.get("id", ""))
        return PublishResult(remote_id, self.post_url(remote_id), timezone.now())

    async def hide_interaction(self, channel: ChannelRef, remote_id: str, *, hidden: bool) -> None:
        data = {"is_hidden": "true" if hidden else "false"}
        answer = await self.graph.call("POST", remote_id, token=channel.access_token, data=data)
        if not answer.data.get("success"):
            raise base.PermanentError(
                _("Facebook did not hide the comment."),
                detail=f"is_hidden answered {str(answer.data)[:200]}",
            )

    async def delete_interaction(self, channel: ChannelRef, remote_id: str) -> None:
        await self._delete(channel, remote_id)

    async def like_interaction(self, channel: ChannelRef, remote_id: str, *, liked: bool) -> None:
        """Like (POST) or unlike (DELETE) a comment as the Page: ``/{comment-id}/likes``."""
        method = "POST" if liked else "DELETE"
        answer = await self.graph.call(method, f"{remote_id}/likes", token=channel.access_token)
        if not answer.data.get("success"):
            raise base.PermanentError(
                _("Facebook did not like the comment.")
                if liked
                else _("Facebook did not remove the like."),
                detail=f"{method} likes answered {str(answer.data)[:200]}",
            )

    def webhook_challenge(self, params: Mapping[str, str]) -> str | None:
        return webhooks.challenge_answer(params)

    def webhook_verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        return webhooks.signature_valid(headers, body)

    def webhook_items(self, body: bytes) -> Sequence[WebhookItem]:
        return conversations.webhook_items(body)

    # --- Figures -------------------------------------------------------------------

    async def fetch_metrics(
        self, channel: ChannelRef, *, remote_ids: Sequence[str] = ()
    ) -> Sequence[MetricSample]:
        return await metrics.fetch(self.graph, channel, remote_ids)
