"""Reads about posts, always scoped to one workspace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from parvis.accounts.models import Workspace
from parvis.channels.models import Channel
from parvis.publishing.history import HistoryEntry, history_of
from parvis.publishing.models import Delivery, Post, PostStatus

# Deliveries whose post is going out or out: the calendar does not let it move.
_GOING_OUT = ("publishing", "verifying", "retrying", "published")
NO_CAMPAIGN = "none"
NO_PILLAR = "none"


def post_of_or_404(*, workspace: Workspace, post_id: int) -> Post:
    return get_object_or_404(
        Post.objects.in_workspace(workspace).select_related(
            "created_by", "campaign__workspace", "pillar"
        ),
        pk=post_id,
    )


def posts_between(
    *,
    workspace: Workspace,
    start: datetime,
    end: datetime,
    channel_ids: Iterable[int] | None = None,
    statuses: Iterable[str] | None = None,
    campaign: int | str | None = None,
    pillar: int | str | None = None,
) -> QuerySet[Post]:
    """Posts scheduled in [start, end), filtered by channel, status, campaign
    (a campaign's id, or NO_CAMPAIGN for the posts without one) and content pillar
    (likewise, NO_PILLAR)."""
    posts = Post.objects.in_workspace(workspace).filter(
        scheduled_at__gte=start, scheduled_at__lt=end
    )
    if channel_ids:
        posts = posts.filter(channels__id__in=list(channel_ids)).distinct()
    if statuses:
        posts = posts.filter(status__in=list(statuses))
    if campaign == NO_CAMPAIGN:
        posts = posts.filter(campaign__isnull=True)
    elif campaign is not None:
        posts = posts.filter(campaign_id=campaign)
    if pillar == NO_PILLAR:
        posts = posts.filter(pillar__isnull=True)
    elif pillar is not None:
        posts = posts.filter(pillar_id=pillar)
    return posts.order_by("scheduled_at", "id")


def posts_of_campaign(*, workspace: Workspace, campaign_id: int) -> QuerySet[Post]:
    """A campaign's posts, latest first (those without a date at the end)."""
    return (
        Post.objects.in_workspace(workspace)
        .filter(campaign_id=campaign_id)
        .order_by(F("scheduled_at").desc(nulls_last=True), "-id")
    )


def published_deliveries(
    *,
    workspace: Workspace,
    start: datetime | None = None,
    end: datetime | None = None,
    channel_id: int | None = None,
    campaign_id: int | None = None,
) -> list[tuple[int, int, str]]:
    """(post id, channel id, network id) of each post published on a channel in
    [start, end) (the posts themselves, not their thread parts or first comments)."""
    published = Delivery.objects.in_workspace(workspace).filter(position=0, state="published")
    if start is not None:
        published = published.filter(published_at__gte=start)
    if end is not None:
        published = published.filter(published_at__lt=end)
    if channel_id is not None:
        published = published.filter(channel_id=channel_id)
    if campaign_id is not None:
        published = published.filter(post__campaign_id=campaign_id)
    return list(published.order_by("id").values_list("post_id", "channel_id", "remote_id"))


def deliveries_of(*, post: Post) -> QuerySet[Delivery]:
    """Each channel's delivery, followed by its thread parts and first comment."""
    return post.deliveries.select_related("channel").order_by(
        "channel__name", "channel_id", "position"
    )


def posts_in_review(*, workspace: Workspace) -> QuerySet[Post]:
    return (
        Post.objects.in_workspace(workspace)
        .filter(status=PostStatus.IN_REVIEW)
        .select_related("created_by")
        .prefetch_related("channels")
        .order_by("updated_at", "id")
    )


def posts_in_review_count(*, workspace: Workspace) -> int:
    return Post.objects.in_workspace(workspace).filter(status=PostStatus.IN_REVIEW).count()


def post_history(*, post: Post) -> list[HistoryEntry]:
    return history_of(post)


def calendar_rows(
    *,
    workspace: Workspace,
    start: datetime,
    end: datetime,
    channel_ids: Iterable[int] | None = None,
    statuses: Iterable[str] | None = None,
    campaign: int | str | None = None,
    pillar: int | str | None = None,
    post_ids: Iterable[int] | None = None,
) -> list[dict[str, Any]]:
    """What the calendar shows of each post in [start, end), as plain dicts.

    Three queries whatever the number of posts (posts with their campaign; their
    channels; their deliveries that have a link or are going out), each joined on
    a subquery rather than a list of ids, so thousands of posts stay cheap.
    ``post_ids`` narrows the posts further (the quiet days of a busy month).
    """
    posts = posts_between(
        workspace=workspace,
        start=start,
        end=end,
        channel_ids=channel_ids,
        statuses=statuses,
        campaign=campaign,
        pillar=pillar,
    )
    if post_ids is not None:
        posts = posts.filter(pk__in=list(post_ids))
    fields = ("id", "text", "scheduled_at", "status", "created_by_id", "campaign_id")
    rows = {
        row["id"]: {**row, "channels": [], "urls": [], "going_out": False}
        for row in posts.values(
            *fields, campaign_name=F("campaign__name"), campaign_colour=F("campaign__colour")
        )
    }
    if not rows:
        return []
    chosen = posts.order_by().values("id")
    links = Post.channels.through.objects.filter(post__in=chosen).order_by(
        "channel__name", "channel_id"
    )
    for post_id, name, network in links.values_list("post_id", "channel__name", "channel__network"):
        rows[post_id]["channels"].append((name, network))
    deliveries = (
        Delivery.objects.in_workspace(workspace)
        .filter(post__in=chosen, position=0)
        .filter(Q(state__in=_GOING_OUT) | ~Q(url=""))
        .order_by("id")
    )
    for post_id, state, url in deliveries.values_list("post_id", "state", "url"):
        if url:
            rows[post_id]["urls"].append(url)
        if state in _GOING_OUT:
            rows[post_id]["going_out"] = True
    return list(rows.values())


def own_draft_or_none(*, workspace: Workspace, user, draft_id: str | None) -> Post | None:
    """The person's own draft being composed (autosaved), or None: never someone else's."""
    if not draft_id or not str(draft_id).isdigit():
        return None
    return (
        Post.objects.in_workspace(workspace)
        .filter(pk=int(draft_id), created_by=user, status=PostStatus.DRAFT)
        .first()
    )


def calendar_day_counts(**filters: Any) -> dict[date, list[tuple[int, str]]]:
    """The posts ``posts_between(**filters)`` finds, by day in the active
    (workspace's) zone: (id, status) pairs, in one light query; the calendar
    counts the busy days."""
    days: dict[date, list[tuple[int, str]]] = defaultdict(list)
    posts = posts_between(**filters).values_list("id", "scheduled_at", "status")
    for post_id, at, status in posts:
        days[timezone.localdate(at)].append((post_id, status))
    return dict(days)


def published_remote_ids(*, channel: Channel, since: datetime, limit: int) -> list[str]:
    """The network ids of the channel's posts published since ``since``, newest first
    (the posts themselves: not their thread parts or first comments)."""
    published = Delivery.objects.in_workspace(channel.workspace).filter(
        channel=channel, position=0, state="published", published_at__gte=since
    )
    return list(
        published.exclude(remote_id="")
        .order_by("-published_at")
        .values_list("remote_id", flat=True)[:limit]
    )


def posts_by_remote_id(*, channel: Channel, remote_ids: list[str]) -> dict[str, tuple[int, str]]:
    """The channel's published deliveries among these network ids: id -> (post id, URL).

    The inbox attaches comments to the brand's post this way."""
    if not remote_ids:
        return {}
    rows = (
        Delivery.objects.in_workspace(channel.workspace)
        .filter(channel=channel, remote_id__in=set(remote_ids))
        .values_list("remote_id", "post_id", "url")
    )
    return {remote_id: (post_id, url) for remote_id, post_id, url in rows}


def published_objects(
    *, workspace: Workspace, channel_id: int | None = None, post_filters: dict[str, Any]
) -> list[tuple[int, str, int]]:
    """(channel id, network id, post id) of the workspace's published posts matching
    ``post_filters`` (``Post`` lookups such as ``{"campaign_id": 3}``): the posts
    themselves, not their thread parts or first comments. Analytics scopes figures so."""
    published = (
        Delivery.objects.in_workspace(workspace)
        .filter(position=0, state="published", **{f"post__{k}": v for k, v in post_filters.items()})
        .exclude(remote_id="")
    )
    if channel_id is not None:
        published = published.filter(channel_id=channel_id)
    return list(published.values_list("channel_id", "remote_id", "post_id"))


def posts_by_channel_remote_id(
    *, workspace: Workspace, keys: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], Post]:
    """The published posts behind these (channel id, network id) pairs."""
    keys = set(keys)
    if not keys:
        return {}
    rows = (
        Delivery.objects.in_workspace(workspace)
        .filter(
            position=0,
            channel_id__in={c for c, _r in keys},
            remote_id__in={r for _c, r in keys},
        )
        .select_related("post")
    )
    return {
        (row.channel_id, row.remote_id): row.post
        for row in rows
        if (row.channel_id, row.remote_id) in keys
    }


@dataclass(frozen=True)
class PublishedItem:
    """One post as it went out on one channel."""

    channel_id: int
    remote_id: str
    post_id: int
    text: str
    url: str
    published_at: datetime


def published_between(
    *,
    workspace: Workspace,
    start: datetime,
    end: datetime,
    channel_ids: Iterable[int] | None = None,
) -> list[PublishedItem]:
    """The posts published in [start, end), one per channel they went out on (not their
    thread parts or first comments), oldest first; only these channels' if given."""
    published = Delivery.objects.in_workspace(workspace).filter(
        position=0, state="published", published_at__gte=start, published_at__lt=end
    )
    if channel_ids is not None:
        published = published.filter(channel_id__in=list(channel_ids))
    rows = (
        published.exclude(remote_id="")
        .order_by("published_at", "id")
        .values_list("channel_id", "remote_id", "post_id", "post__text", "url", "published_at")
    )
    return [PublishedItem(*row) for row in rows]
