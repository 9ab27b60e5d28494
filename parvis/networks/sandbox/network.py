"""The Sandbox network: a simulated network, built in, clearly labelled.

It implements the whole Network contract over its own tables, with the text
rules of the network each flavour imitates, so every feature of Parvis can be
tried with no credentials. Like Facebook, Instagram and X, it has no
idempotency key: every publish call makes a post, and "did it publish?" can
only be answered by looking at the account's recent posts.
"""

from __future__ import annotations

import mimetypes
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from parvis.networks import feeds
from parvis.networks.base import (
    AuthExpired,
    Capabilities,
    ChannelRef,
    ConnectedAccount,
    ConnectStart,
    Interaction,
    InteractionKind,
    InteractionPage,
    MediaItem,
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
from parvis.networks.media_figures import (
    FACEBOOK_MEDIA_RULES,
    INSTAGRAM_MEDIA_RULES,
    X_MEDIA_RULES,
)
from parvis.networks.sandbox import conditions
from parvis.networks.sandbox.metrics import account_metrics, planned_post_metrics, post_metrics
from parvis.networks.sandbox.models import (
    SandboxAccount,
    SandboxInteraction,
    SandboxMedia,
    SandboxPost,
)
from parvis.networks.textrules import measure_text

PAGE_SIZE = 100
# Like X's OAuth 2.0 tokens: two hours, renewed by the worker a while before.
TOKEN_LIFETIME = timedelta(hours=2)
REFRESH_MARGIN = timedelta(minutes=15)


def _new_tokens() -> dict[str, Any]:
    """A new access token, refresh token and expiry for an account's fields."""
    return {
        "token": secrets.token_urlsafe(24),
        "refresh_token": secrets.token_urlsafe(24),
        "token_expires_at": timezone.now() + TOKEN_LIFETIME,
    }


class SandboxNetwork(Network):
    is_simulated = True
    flavour = ""

    def measure_text(self, text: str, *, media_count: int = 0) -> TextMeasure:
        return measure_text(text, self.text_rules, media_count=media_count, network=self.name)

    # --- Connecting ------------------------------------------------------------

    def connect_start(self, *, redirect_uri: str) -> ConnectStart:
        return ConnectStart(form_fields=("account_name",))

    async def connect_finish(
        self, *, params: dict[str, str], state: dict[str, Any], redirect_uri: str
    ) -> Sequence[ConnectedAccount]:
        if params.get("external_id"):  # re-authorising a known account
            account = await sync_to_async(self._reauthorise)(params["external_id"])
            return [self._connected(account)]
        name = " ".join(params.get("account_name", "").split())
        if not name:
            raise PermanentError(_("Give the Sandbox account a name."))
        if len(name) > 60:
            raise PermanentError(_("An account name has at most 60 characters."))
        account = await sync_to_async(self._create_account)(name)
        return [self._connected(account)]

    def _create_account(self, name: str) -> SandboxAccount:
        slug = slugify(name)[:30] or "compte"
        return SandboxAccount.objects.create(
            network_key=self.key,
            external_id=f"{self.flavour}-{slug}-{secrets.token_hex(3)}",
            name=name,
            handle=slug.replace("-", ""),
            created_at=timezone.now(),
            **_new_tokens(),
        )

    def _reauthorise(self, external_id: str) -> SandboxAccount:
        account = SandboxAccount.objects.filter(external_id=external_id).first()
        if account is None:
            raise PermanentError(_("This Sandbox account no longer exists: connect a new one."))
        tokens = _new_tokens()
        for name, value in tokens.items():
            setattr(account, name, value)
        account.token_revoked = False
        account.save(update_fields=[*tokens, "token_revoked"])
        return account

    def simulate_revoked_token(self, external_id: str) -> None:
        """Demo aid: revoke the account's token, as a person would on the real network."""
        SandboxAccount.objects.filter(external_id=external_id).update(token_revoked=True)

    def _connected(self, account: SandboxAccount) -> ConnectedAccount:
        return ConnectedAccount(
            external_id=account.external_id,
            name=account.name,
            handle=f"@{account.handle}",
            access_token=account.token,
            refresh_token=account.refresh_token,
            expires_at=account.token_expires_at,
            options={"sandbox": True},
        )

    def ensure_account(self, *, external_id: str, name: str, handle: str) -> ConnectedAccount:
        """Create (or find) an account with a chosen id: used by the demo."""
        account, _created = SandboxAccount.objects.get_or_create(
            external_id=external_id,
            defaults={
                "network_key": self.key,
                "name": name,
                "handle": handle.lstrip("@"),
                "created_at": timezone.now(),
                **_new_tokens(),
            },
        )
        return self._connected(account)

    def ensure_post(
        self, *, external_id: str, text: str, published_at: datetime, reply_to_id: str = ""
    ) -> PublishResult:
        """A post (or an answer to ``reply_to_id``) published in the past: used by the
        demo to show history."""
        account = SandboxAccount.objects.get(external_id=external_id)
        post, _created = SandboxPost.objects.get_or_create(
            account=account,
            text=text,
            published_at=published_at,
            reply_to_id=reply_to_id,
            defaults={"remote_id": secrets.token_hex(8)},
        )
        return self._result(post)

    def history_metrics(
        self, *, external_id: str, remote_ids: Sequence[str], at: datetime
    ) -> list[MetricSample]:
        """Old posts' figures as measured at ``at``, from their audience's plan (the
        demo's history, whose reactions are not written: see ``planned_post_metrics``)."""
        account = SandboxAccount.objects.get(external_id=external_id)
        samples: list[MetricSample] = []
        for post in account.posts.filter(remote_id__in=list(remote_ids)):
            samples += planned_post_metrics(post, account, at)
        return samples

    def interactions_now(self, *, external_id: str) -> InteractionPage:
        """The account's interactions so far, read synchronously: used by the demo."""
        account = SandboxAccount.objects.get(external_id=external_id)
        return self._interactions(ChannelRef(external_id, access_token=account.token), "")

    def metrics_now(self, *, external_id: str, remote_ids: Sequence[str]) -> list[MetricSample]:
        """The account's and these posts' figures now, read synchronously: used by the demo."""
        account = SandboxAccount.objects.get(external_id=external_id)
        return self._metrics(ChannelRef(external_id, access_token=account.token), remote_ids)

    def _account(self, channel: ChannelRef) -> SandboxAccount:
        account = SandboxAccount.objects.filter(external_id=channel.external_id).first()
        if account is None or account.token_revoked or account.token != channel.access_token:
            raise AuthExpired(
                _("The Sandbox account's access was revoked or has changed: reconnect the channel.")
            )
        if account.token_expires_at and account.token_expires_at <= timezone.now():
            raise AuthExpired(
                _("The Sandbox access token has expired."),
                detail=f"expired at {account.token_expires_at.isoformat()}",
            )
        return account

    # --- Tokens ------------------------------------------------------------------

    def refresh_due(self, tokens: Tokens, *, now: datetime) -> bool:
        return tokens.expires_at is not None and tokens.expires_at - now < REFRESH_MARGIN

    def _renew(self, channel: ChannelRef, tokens: Tokens) -> Tokens:
        account = SandboxAccount.objects.filter(external_id=channel.external_id).first()
        if account is None or account.token_revoked or not tokens.refresh_token:
            raise AuthExpired(_("The Sandbox refused to renew this access: reconnect the channel."))
        if account.refresh_token != tokens.refresh_token:
            raise AuthExpired(
                _("The Sandbox refused to renew this access: reconnect the channel."),
                detail="invalid_grant: this refresh token was already used or replaced",
            )
        fresh = _new_tokens()
        SandboxAccount.objects.filter(pk=account.pk).update(**fresh)
        return Tokens(
            access_token=fresh["token"],
            refresh_token=fresh["refresh_token"],
            expires_at=fresh["token_expires_at"],
            obtained_at=timezone.now(),
        )

    async def refresh_tokens(self, channel: ChannelRef, tokens: Tokens) -> Tokens:
        await conditions.before_call()
        return await sync_to_async(self._renew)(channel, tokens)

    async def check_health(self, channel: ChannelRef) -> None:
        await conditions.before_call()
        await sync_to_async(self._account)(channel)

    # --- Publishing ------------------------------------------------------------

    def post_url(self, remote_id: str) -> str:
        return f"{settings.PARVIS_BASE_URL}/sandbox/{self.key}/{remote_id}/"

    def _result(self, post: SandboxPost) -> PublishResult:
        return PublishResult(post.remote_id, self.post_url(post.remote_id), post.published_at)

    def _publish(self, channel: ChannelRef, request: PublishRequest) -> PublishResult:
        account = self._account(channel)
        measure = self.measure_text(request.text, media_count=len(request.media))
        if not measure.valid and not request.reply_to_id:
            raise PermanentError(measure.problems[0].message, detail="422 (simulated)")
        if problems := self.check_media(request.media):
            raise PermanentError(problems[0].message, detail="422 media (simulated)")
        post = SandboxPost.objects.create(
            account=account,
            remote_id=secrets.token_hex(8),
            text=request.text,
            media_count=len(request.media),
            link=request.link,
            reply_to_id=request.reply_to_id,
            published_at=timezone.now(),
        )
        for position, item in enumerate(request.media):
            self._keep_media(post, position, item)
        return self._result(post)

    def _keep_media(self, post: SandboxPost, position: int, item: MediaItem) -> None:
        """The network keeps its own copy, as a real one does once it has received it."""
        source = Path(item.path)
        if not source.is_file():
            raise PermanentError(
                _("An image or video of this post can no longer be read: choose it again."),
                detail=f"missing media file {item.path}",
            )
        extension = source.suffix or mimetypes.guess_extension(item.mime_type) or ""
        media = SandboxMedia(
            post=post, position=position, mime_type=item.mime_type, alt_text=item.alt_text
        )
        with source.open("rb") as handle:
            media.file.save(f"{post.remote_id}-{position}{extension}", File(handle), save=True)

    async def publish(self, channel: ChannelRef, request: PublishRequest) -> PublishResult:
        await conditions.before_call()
        result = await sync_to_async(self._publish)(channel, request)
        await conditions.answer_trip()
        if conditions.response_lost():
            raise UnknownOutcome(
                _("The Sandbox network did not answer after the post was sent (simulated)."),
                detail="read timeout (simulated)",
            )
        return result

    def _find(self, channel: ChannelRef, request: PublishRequest, since: datetime):
        account = self._account(channel)
        # As on the real networks: the account's recent posts, with the same text.
        post = (
            account.posts.filter(
                deleted_at__isnull=True,
                text=request.text,
                reply_to_id=request.reply_to_id,
                published_at__gte=since,
            )
            .order_by("published_at")
            .first()
        )
        return self._result(post) if post else None

    async def find_published(
        self, channel: ChannelRef, request: PublishRequest, *, since: datetime
    ) -> PublishResult | None:
        await conditions.before_call()
        return await sync_to_async(self._find)(channel, request, since)

    def _delete(self, channel: ChannelRef, remote_id: str) -> None:
        account = self._account(channel)
        updated = account.posts.filter(remote_id=remote_id, deleted_at__isnull=True).update(
            deleted_at=timezone.now()
        )
        if not updated and not account.posts.filter(remote_id=remote_id).exists():
            raise PermanentError(_("This post does not exist on the Sandbox network."))

    async def delete(self, channel: ChannelRef, remote_id: str) -> None:
        await conditions.before_call()
        await sync_to_async(self._delete)(channel, remote_id)

    # --- Conversations -----------------------------------------------------------

    def _interactions(self, channel: ChannelRef, cursor: str) -> InteractionPage:
        account = self._account(channel)
        after = int(cursor) if cursor.isdigit() else 0
        rows = list(
            account.interactions.filter(id__gt=after, deleted_at__isnull=True)
            .select_related("post")
            .order_by("id")[:PAGE_SIZE]
        )
        items = tuple(
            Interaction(
                remote_id=row.remote_id,
                kind=InteractionKind(row.kind),
                author_id=row.author_id,
                author_name=row.author_name,
                author_handle=f"@{row.author_handle}",
                text=row.text,
                created_at=row.created_at,
                post_remote_id=row.post.remote_id if row.post else "",
                url=self.post_url(row.post.remote_id) if row.post else "",
                raw={
                    "followers": row.author_followers,
                    "language": row.language,
                    "hidden": row.hidden,
                },
            )
            for row in rows
        )
        return InteractionPage(items=items, cursor=str(rows[-1].id) if rows else str(after))

    async def fetch_interactions(self, channel: ChannelRef, *, cursor: str = "") -> InteractionPage:
        await conditions.before_call()
        return await sync_to_async(self._interactions)(channel, cursor)

    async def reply(
        self, channel: ChannelRef, *, to_remote_id: str, text: str, idempotency_key: str
    ) -> PublishResult:
        exists = await SandboxInteraction.objects.filter(remote_id=to_remote_id).aexists()
        exists = exists or await SandboxPost.objects.filter(remote_id=to_remote_id).aexists()
        if not exists:
            raise PermanentError(
                _("The message you answer no longer exists on the Sandbox network.")
            )
        request = PublishRequest(
            text=text, idempotency_key=idempotency_key, reply_to_id=to_remote_id
        )
        return await self.publish(channel, request)

    def _moderate(self, channel: ChannelRef, remote_id: str, *, hidden: bool | None) -> None:
        """Hide (or show) an interaction, or delete it (``hidden=None``): on the
        account's own posts only, like a page owner on Facebook or Instagram."""
        account = self._account(channel)
        now = timezone.now()
        row = account.interactions.filter(remote_id=remote_id).first()
        if row is None:
            answer = account.posts.filter(remote_id=remote_id, reply_to_id__gt="").first()
            if hidden is None and answer is not None:  # the brand's own answer
                if answer.deleted_at is None:
                    answer.deleted_at = now
                    answer.save(update_fields=["deleted_at"])
                return
            raise PermanentError(_("This message no longer exists on the Sandbox network."))
        if row.deleted_at is not None:
            if hidden is None:
                return  # already deleted: the wish is fulfilled
            raise PermanentError(_("This message was deleted on the Sandbox network."))
        if hidden is None:
            row.deleted_at = now
            row.save(update_fields=["deleted_at"])
        else:
            row.hidden = hidden
            row.save(update_fields=["hidden"])

    async def hide_interaction(self, channel: ChannelRef, remote_id: str, *, hidden: bool) -> None:
        if not self.capabilities.hide_comments:
            await super().hide_interaction(channel, remote_id, hidden=hidden)
        await conditions.before_call()
        await sync_to_async(self._moderate)(channel, remote_id, hidden=hidden)

    async def delete_interaction(self, channel: ChannelRef, remote_id: str) -> None:
        await conditions.before_call()
        await sync_to_async(self._moderate)(channel, remote_id, hidden=None)

    def _like(self, channel: ChannelRef, remote_id: str, liked: bool) -> None:
        row = self._account(channel).interactions.filter(remote_id=remote_id).first()
        if row is None or row.deleted_at is not None:
            raise PermanentError(_("This message no longer exists on the Sandbox network."))
        row.liked = liked
        row.save(update_fields=["liked"])

    async def like_interaction(self, channel: ChannelRef, remote_id: str, *, liked: bool) -> None:
        if not self.capabilities.like:
            await super().like_interaction(channel, remote_id, liked=liked)
        await conditions.before_call()
        await sync_to_async(self._like)(channel, remote_id, liked)

    # --- Measuring ---------------------------------------------------------------

    def _metrics(self, channel: ChannelRef, remote_ids: Sequence[str]) -> list[MetricSample]:
        account = self._account(channel)
        now = timezone.now()
        samples = account_metrics(account, now)
        for post in account.posts.filter(remote_id__in=list(remote_ids)):
            samples += post_metrics(post, account, now)
        return samples

    async def fetch_metrics(
        self, channel: ChannelRef, *, remote_ids: Sequence[str] = ()
    ) -> Sequence[MetricSample]:
        await conditions.before_call()
        return await sync_to_async(self._metrics)(channel, remote_ids)


class SandboxFacebook(SandboxNetwork):
    key = "sandbox_facebook"
    flavour = "fb"
    name = _("Sandbox · Facebook Page")
    icon = "facebook"
    display = feeds.FACEBOOK
    text_rules = TextRules(max_length=63_206, max_media=10)
    media_rules = FACEBOOK_MEDIA_RULES
    capabilities = Capabilities(
        first_comment=True, link_card=True, hide_comments=True, like=True, direct_messages=True
    )


class SandboxInstagram(SandboxNetwork):
    key = "sandbox_instagram"
    flavour = "ig"
    name = _("Sandbox · Instagram")
    icon = "instagram"
    display = feeds.INSTAGRAM
    text_rules = TextRules(
        max_length=2_200, max_hashtags=30, max_mentions=20, media_required=True, max_media=10
    )
    media_rules = INSTAGRAM_MEDIA_RULES
    capabilities = Capabilities(
        links=False, first_comment=True, hide_comments=True, direct_messages=True
    )


class SandboxX(SandboxNetwork):
    key = "sandbox_x"
    flavour = "x"
    name = _("Sandbox · X")
    icon = "twitter-x"
    display = feeds.X
    text_rules = TextRules(max_length=280, counting="weighted", url_length=23, max_media=4)
    media_rules = X_MEDIA_RULES
    capabilities = Capabilities(threads=True, like=True, direct_messages=True)
