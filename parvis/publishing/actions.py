"""Writes about posts and their deliveries: drafting, reviewing, scheduling."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.models import Membership, User, Workspace
from parvis.accounts.selectors import members_who_can
from parvis.channels.models import Channel
from parvis.channels.selectors import channel_label
from parvis.core.audit import audit
from parvis.notifications.actions import notify
from parvis.notifications.models import NotificationKind
from parvis.publishing.media import MediaChoice, post_set_media
from parvis.publishing.models import (
    Delivery,
    Post,
    PostReview,
    PostRevision,
    PostStatus,
    PostVariant,
    ReviewDecision,
)
from parvis.publishing.parts import delivery_prepare

# A time chosen a moment ago is still accepted (the form was open for a while).
PAST_TOLERANCE = timedelta(minutes=1)


class PublishingError(Exception):
    """A request that cannot be carried out; the message is for the user."""


class PillarRefused(PublishingError):
    """The chosen content pillar cannot be used (the composer shows it on that field)."""


def needs_review(*, membership: Membership) -> bool:
    """Must this person's posts be approved by someone else before they are scheduled?"""
    return membership.workspace.approval_required or not membership.can("post.schedule")


def _check_channels(workspace: Workspace, channels: list[Channel]) -> None:
    if any(c.workspace_id != workspace.pk for c in channels):
        raise ValueError("A post can only go to its own workspace's channels.")


class _Keep:
    """The post keeps its campaign or pillar (callers that do not show the choice)."""


KEEP = _Keep()


def _check_campaign(workspace: Workspace, campaign: Any) -> None:
    """A post joins a campaign of its own workspace that is still in use."""
    if campaign is not None and campaign.workspace_id != workspace.pk:
        raise PublishingError(_("This campaign belongs to another workspace."))
    if campaign is not None and campaign.archived:
        raise PublishingError(
            _("The campaign “%(name)s” is archived: choose another one.") % {"name": campaign}
        )


def _check_pillar(workspace: Workspace, pillar: Any) -> None:
    """A post takes a content pillar of its own workspace that is still in use."""
    if pillar is not None and pillar.workspace_id != workspace.pk:
        raise PillarRefused(_("This content pillar belongs to another workspace."))
    if pillar is not None and pillar.archived:
        raise PillarRefused(
            _("The content pillar “%(name)s” is archived: choose another one.") % {"name": pillar}
        )


def _record_revision(post: Post, user: User | None) -> PostRevision:
    names = [f"{c.name} · {channel_label(c)}" for c in post.channels.all()]
    return PostRevision.objects.create(
        post=post,
        text=post.text,
        channel_names=sorted(names),
        scheduled_at=post.scheduled_at,
        edited_by=user,
    )


def _set_variants(post: Post, variants: dict[int, str]) -> bool:
    """Keep one variant per channel that has its own text; True if anything changed."""
    wanted = {pk: text for pk, text in variants.items() if text.strip()}
    current = {v.channel_id: v.text for v in post.variants.all()}
    if wanted == current:
        return False
    post.variants.exclude(channel_id__in=list(wanted)).delete()
    for channel_id, text in wanted.items():
        if current.get(channel_id) != text:
            PostVariant.objects.update_or_create(
                post=post, channel_id=channel_id, defaults={"text": text}
            )
    return True


@transaction.atomic
def post_draft(
    *,
    workspace: Workspace,
    text: str,
    channels: Iterable[Channel],
    acting_user: User | None,
    scheduled_at: datetime | None = None,
    repeat_every_days: int | None = None,
    repeat_until: date | None = None,
    variants: dict[int, str] | None = None,
    thread_parts: list[str] | None = None,
    first_comment: str = "",
    link: str = "",
    campaign: Any = None,
    pillar: Any = None,
    media: MediaChoice | None = None,
) -> Post:
    channels = list(channels)
    _check_channels(workspace, channels)
    _check_campaign(workspace, campaign)
    _check_pillar(workspace, pillar)
    post = Post.objects.create(
        workspace=workspace,
        text=text,
        link=link,
        thread_parts=_kept_parts(thread_parts),
        first_comment=first_comment,
        campaign=campaign,
        pillar=pillar,
        created_by=acting_user,
        scheduled_at=scheduled_at,
        repeat_every_days=repeat_every_days,
        repeat_until=repeat_until if repeat_every_days else None,
    )
    post.channels.set(channels)
    _set_variants(post, _own(variants or {}, channels))
    if media is not None:
        _check_media(workspace, media)
        post_set_media(post=post, choice=media, channel_ids=[c.pk for c in channels])
    _record_revision(post, acting_user)
    audit(verb="post.drafted", workspace=workspace, actor=acting_user, target=post)
    return post


def _kept_parts(parts: list[str] | None) -> list[str]:
    """The thread parts written, in order; empty boxes are left out."""
    return [part for part in parts or [] if part.strip()]


def _campaign_id(campaign: Any) -> int | None:
    return campaign.pk if campaign is not None else None


_pillar_id = _campaign_id  # the same: a model instance or None


def _check_media(workspace: Workspace, media: MediaChoice) -> None:
    assets = [*media.shared, *(a for own in media.own.values() for a in own)]
    if any(a.workspace_id != workspace.pk for a in assets):
        raise ValueError("A post can only use its own workspace's media.")


def _own(variants: dict[int, str], channels: list[Channel]) -> dict[int, str]:
    """Only the chosen channels' variants count."""
    chosen = {c.pk for c in channels}
    return {pk: text for pk, text in variants.items() if pk in chosen}


@transaction.atomic
def post_autosave(
    *,
    workspace: Workspace,
    draft: Post | None,
    text: str,
    channels: Iterable[Channel],
    acting_user: User,
    thread_parts: list[str] | None = None,
    first_comment: str = "",
    link: str = "",
    campaign: Any = KEEP,
    pillar: Any = KEEP,
    media: MediaChoice | None = None,
) -> Post | None:
    """Keep what is being written as a draft, as the person types: the first save
    makes the draft, the next ones update it (no history entry per keystroke)."""
    channels = list(channels)
    if draft is None:
        if not text.strip() and not (media and (media.shared or media.own)):
            return None  # nothing written or chosen yet: nothing to keep
        return post_draft(
            workspace=workspace,
            text=text,
            channels=channels,
            acting_user=acting_user,
            thread_parts=thread_parts,
            first_comment=first_comment,
            link=link,
            campaign=None if campaign is KEEP else campaign,
            pillar=None if pillar is KEEP else pillar,
            media=media,
        )
    _check_channels(workspace, channels)
    draft.text, draft.link = text, link
    draft.thread_parts, draft.first_comment = _kept_parts(thread_parts), first_comment
    fields = ["text", "link", "thread_parts", "first_comment", "updated_at"]
    if campaign is not KEEP and _campaign_id(campaign) != draft.campaign_id:
        _check_campaign(workspace, campaign)
        draft.campaign = campaign
        fields.append("campaign")
    if pillar is not KEEP and _pillar_id(pillar) != draft.pillar_id:
        _check_pillar(workspace, pillar)
        draft.pillar = pillar
        fields.append("pillar")
    draft.save(update_fields=fields)
    draft.channels.set(channels)
    if media is not None:
        _check_media(workspace, media)
        post_set_media(post=draft, choice=media, channel_ids=[c.pk for c in channels])
    return draft


@transaction.atomic
def post_schedule(
    *, post: Post, at: datetime, channels: Iterable[Channel], acting_user: User | None
) -> list[Delivery]:
    """Schedule a post: one delivery per channel, due at ``at`` (UTC)."""
    channels = list(channels)
    _check_channels(post.workspace, channels)
    post.scheduled_at, post.status = at, PostStatus.SCHEDULED
    post.save(update_fields=["scheduled_at", "status", "updated_at"])
    post.channels.add(*channels)
    deliveries = []
    for channel in channels:
        delivery, _created = Delivery.objects.get_or_create(
            post=post, channel=channel, position=0, defaults={"workspace_id": post.workspace_id}
        )
        if delivery.state in ("", "scheduled"):
            delivery_prepare(post=post, delivery=delivery, at=at)
        deliveries.append(delivery)
    audit(
        verb="post.scheduled",
        workspace=post.workspace,
        actor=acting_user,
        target=post,
        at=at.isoformat(),
        channels=[c.pk for c in channels],
    )
    return deliveries


def _locked(post: Post) -> Post:
    return Post.objects.select_for_update().select_related("workspace").get(pk=post.pk)


def _drop_unstarted_deliveries(post: Post, keep: Iterable[Channel] = ()) -> int:
    """Deliveries that never started leave no trace on a network: they can go."""
    unstarted = post.deliveries.filter(state="scheduled").exclude(channel__in=[c.pk for c in keep])
    count, _by_model = unstarted.delete()
    return count


@transaction.atomic
def post_update(
    *,
    post: Post,
    text: str,
    channels: Iterable[Channel],
    scheduled_at: datetime | None,
    acting: Membership,
    variants: dict[int, str] | None = None,
    thread_parts: list[str] | None = None,
    first_comment: str | None = None,
    link: str | None = None,
    campaign: Any = KEEP,
    pillar: Any = KEEP,
    media: MediaChoice | None = None,
) -> Post:
    """Change a post that has not gone out. A changed, scheduled post that needs
    approval goes back to review; a scheduled post's deliveries follow.
    ``variants``, ``thread_parts``, ``first_comment`` and ``link`` left at None stay."""
    post = _locked(post)
    channels = list(channels)
    _check_channels(post.workspace, channels)
    if not post.is_editable:
        raise PublishingError(_("This post has started going out; it can no longer be changed."))
    before = (post.text, {c.pk for c in post.channels.all()}, post.scheduled_at)
    changed = [
        name
        for name, old, new in zip(
            ("text", "channels", "time"),
            before,
            (text, {c.pk for c in channels}, scheduled_at),
            strict=True,
        )
        if old != new
    ]
    if variants is not None and _set_variants(post, _own(variants, channels)):
        changed.append("variants")
    if thread_parts is not None and _kept_parts(thread_parts) != post.thread_parts:
        post.thread_parts = _kept_parts(thread_parts)
        changed.append("thread")
    if first_comment is not None and first_comment != post.first_comment:
        post.first_comment = first_comment
        changed.append("first_comment")
    if link is not None and link != post.link:
        post.link = link
        changed.append("link")
    if campaign is not KEEP and _campaign_id(campaign) != post.campaign_id:
        _check_campaign(post.workspace, campaign)
        post.campaign = campaign
        changed.append("campaign")
    if pillar is not KEEP and _pillar_id(pillar) != post.pillar_id:
        _check_pillar(post.workspace, pillar)
        post.pillar = pillar
        changed.append("pillar")
    if media is not None:
        _check_media(post.workspace, media)
        if post_set_media(post=post, choice=media, channel_ids=[c.pk for c in channels]):
            changed.append("media")
    if not changed:
        return post
    post.text, post.scheduled_at = text, scheduled_at
    fields = [
        "text",
        "scheduled_at",
        "thread_parts",
        "first_comment",
        "link",
        "campaign",
        "pillar",
    ]
    post.save(update_fields=[*fields, "updated_at"])
    post.channels.set(channels)
    back_to_review = (
        post.status == PostStatus.SCHEDULED
        and needs_review(membership=acting)
        and (
            {"text", "channels", "variants", "media", "thread", "first_comment", "link"}
            & set(changed)
        )
    )
    if back_to_review:
        _drop_unstarted_deliveries(post)
        post.status = PostStatus.IN_REVIEW
        post.save(update_fields=["status", "updated_at"])
    elif post.status == PostStatus.SCHEDULED and not set(changed) <= {"campaign", "pillar"}:
        _drop_unstarted_deliveries(post, keep=channels)
        post_schedule(
            post=post,
            at=scheduled_at or timezone.now(),
            channels=channels,
            acting_user=acting.user,
        )
    _record_revision(post, acting.user)
    audit(
        verb="post.edited",
        workspace=post.workspace,
        actor=acting.user,
        target=post,
        changed=changed,
    )
    if back_to_review:
        _notify_reviewers(post, acting.user)
    return post


def _notify_reviewers(post: Post, author: User | None) -> None:
    reviewers = [u for u in members_who_can(workspace=post.workspace, permission="post.approve")]
    if post.workspace.approval_required:
        reviewers = [u for u in reviewers if u != author]
    name = author.display_name if author else "Parvis"
    notify(
        recipients=reviewers,
        workspace=post.workspace,
        kind=NotificationKind.REVIEW_REQUESTED,
        title=lambda: _("%(name)s submits a post for review") % {"name": name},
        body=lambda: post.text[:500],
        link=post.get_absolute_url(),
    )


@transaction.atomic
def post_submit(*, post: Post, acting_user: User) -> Post:
    """Ask for approval. The post keeps its proposed time (or none: as soon as approved)."""
    post = _locked(post)
    if post.status not in (PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED):
        raise PublishingError(
            _("Only a draft, or a post with requested changes, can be submitted.")
        )
    if not post.channels.exists():
        raise PublishingError(_("Choose at least one channel before submitting the post."))
    post.status = PostStatus.IN_REVIEW
    post.save(update_fields=["status", "updated_at"])
    audit(verb="post.submitted", workspace=post.workspace, actor=acting_user, target=post)
    _notify_reviewers(post, acting_user)
    return post


def _check_reviewable(post: Post, reviewer: User) -> None:
    if post.status != PostStatus.IN_REVIEW:
        raise PublishingError(_("This post is not awaiting review."))
    if post.workspace.approval_required and post.created_by_id == reviewer.pk:
        raise PublishingError(
            _("In this workspace every post is approved by someone other than its author.")
        )


@transaction.atomic
def post_approve(
    *, post: Post, acting_user: User, at: datetime | None = None, comment: str = ""
) -> list[Delivery]:
    """Approve and schedule, at ``at`` or the proposed time (or now if none was given)."""
    post = _locked(post)
    _check_reviewable(post, acting_user)
    at = at or post.scheduled_at or timezone.now()
    if at < timezone.now() - PAST_TOLERANCE:
        raise PublishingError(
            _("The planned time has passed: choose a new date and time, then approve.")
        )
    PostReview.objects.create(
        post=post, decision=ReviewDecision.APPROVED, comment=comment, reviewer=acting_user
    )
    audit(
        verb="post.approved",
        workspace=post.workspace,
        actor=acting_user,
        target=post,
        comment=comment,
    )
    deliveries = post_schedule(
        post=post, at=at, channels=post.channels.all(), acting_user=acting_user
    )
    if post.created_by and post.created_by != acting_user:
        notify(
            recipients=[post.created_by],
            workspace=post.workspace,
            kind=NotificationKind.POST_APPROVED,
            title=lambda: _("%(name)s approved your post") % {"name": acting_user.display_name},
            body=lambda: comment,
            link=post.get_absolute_url(),
        )
    return deliveries


@transaction.atomic
def post_request_changes(*, post: Post, acting_user: User, comment: str) -> Post:
    post = _locked(post)
    _check_reviewable(post, acting_user)
    if not comment.strip():
        raise PublishingError(_("Say what should change, so the author knows what to do."))
    PostReview.objects.create(
        post=post,
        decision=ReviewDecision.CHANGES_REQUESTED,
        comment=comment,
        reviewer=acting_user,
    )
    post.status = PostStatus.CHANGES_REQUESTED
    post.save(update_fields=["status", "updated_at"])
    audit(
        verb="post.changes_requested",
        workspace=post.workspace,
        actor=acting_user,
        target=post,
        comment=comment,
    )
    notify(
        recipients=[post.created_by] if post.created_by else [],
        workspace=post.workspace,
        kind=NotificationKind.CHANGES_REQUESTED,
        title=lambda: (
            _("%(name)s asks for changes to your post") % {"name": acting_user.display_name}
        ),
        body=lambda: comment,
        link=post.get_absolute_url(),
    )
    return post


@transaction.atomic
def post_unschedule(*, post: Post, acting_user: User) -> Post:
    """Take a scheduled post back to draft; nothing has gone out yet."""
    post = _locked(post)
    if post.status != PostStatus.SCHEDULED or not post.is_editable:
        raise PublishingError(
            _("Only a scheduled post that has not started going out can be unscheduled.")
        )
    _drop_unstarted_deliveries(post)
    post.status = PostStatus.DRAFT
    post.save(update_fields=["status", "updated_at"])
    audit(verb="post.unscheduled", workspace=post.workspace, actor=acting_user, target=post)
    return post
