"""Reads about campaigns, goals and pillars, always scoped to one workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from parvis.accounts.models import Workspace
from parvis.publishing.selectors import posts_between
from parvis.strategy.models import Campaign, Goal, Pillar


def campaigns_of(*, workspace: Workspace, include_archived: bool = True) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.in_workspace(workspace)
    if not include_archived:
        campaigns = campaigns.filter(archived=False)
    return campaigns.order_by("archived", "-starts_on", "name")


def campaigns_with_counts(*, workspace: Workspace) -> QuerySet[Campaign]:
    """Each campaign with its number of posts and the span of their dates."""
    return campaigns_of(workspace=workspace).annotate(
        post_count=Count("posts", distinct=True),
        first_post_at=Min("posts__scheduled_at"),
        last_post_at=Max("posts__scheduled_at"),
    )


def campaign_of_or_404(*, workspace: Workspace, campaign_id: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.in_workspace(workspace).select_related("workspace"), pk=campaign_id
    )


def campaign_choices(*, workspace: Workspace) -> list[tuple[int, str, str]]:
    """(id, name, colour) of every campaign, archived ones last, for filters."""
    return list(campaigns_of(workspace=workspace).values_list("pk", "name", "colour"))


# Goals


def goals_of(*, workspace: Workspace, include_archived: bool = True) -> QuerySet[Goal]:
    goals = Goal.objects.in_workspace(workspace).select_related("workspace", "channel", "campaign")
    if not include_archived:
        goals = goals.filter(archived=False)
    return goals.order_by("archived", "deadline", "name")


def goal_of_or_404(*, workspace: Workspace, goal_id: int) -> Goal:
    return get_object_or_404(goals_of(workspace=workspace), pk=goal_id)


def goals_of_campaign(*, workspace: Workspace, campaign_id: int) -> QuerySet[Goal]:
    return goals_of(workspace=workspace, include_archived=False).filter(campaign_id=campaign_id)


def goals_in_progress(*, workspace: Workspace, today: date) -> QuerySet[Goal]:
    """Active goals whose deadline has not passed (the workspace home's summary)."""
    return goals_of(workspace=workspace, include_archived=False).filter(deadline__gte=today)


# Content pillars


def pillars_of(*, workspace: Workspace, include_archived: bool = True) -> QuerySet[Pillar]:
    pillars = Pillar.objects.in_workspace(workspace)
    if not include_archived:
        pillars = pillars.filter(archived=False)
    return pillars.order_by("archived", "name")


def pillar_of_or_404(*, workspace: Workspace, pillar_id: int) -> Pillar:
    return get_object_or_404(Pillar.objects.in_workspace(workspace), pk=pillar_id)


def pillar_choices(*, workspace: Workspace) -> list[tuple[int, str, str]]:
    """(id, name, colour) of every pillar, archived ones last, for filters."""
    return list(pillars_of(workspace=workspace).values_list("pk", "name", "colour"))


@dataclass(frozen=True)
class MixShare:
    """One pillar's share of the posts in a period, next to its target."""

    pillar_id: int | None  # None: the posts without a pillar
    name: str
    colour: str
    target: int | None
    count: int
    share: float  # percent of the period's posts

    @property
    def gap(self) -> float | None:
        """Points over (+) or under (-) the target."""
        return None if self.target is None else self.share - self.target


@dataclass(frozen=True)
class Mix:
    total: int
    shares: tuple[MixShare, ...]


def _mix(pillars: list[Pillar], counts: dict[int | None, int]) -> Mix:
    total = sum(counts.values())
    shares = []
    for pillar in pillars:
        count = counts.get(pillar.pk, 0)
        if pillar.archived and not count:
            continue
        shares.append(
            MixShare(
                pillar.pk,
                pillar.name,
                pillar.colour,
                None if pillar.archived else pillar.target_share,
                count,
                count / total * 100 if total else 0.0,
            )
        )
    without = counts.get(None, 0)
    if without:
        shares.append(MixShare(None, "", "#adb5bd", None, without, without / total * 100))
    return Mix(total, tuple(shares))


def pillar_mix(**filters: Any) -> Mix:
    """Each pillar's share of the posts ``posts_between(**filters)`` finds (the posts
    the calendar shows for its period and filters), in one grouped query."""
    workspace = filters["workspace"]
    posts = posts_between(**filters).order_by()
    counts = {
        row["pillar_id"]: row["count"]
        for row in posts.values("pillar_id").annotate(count=Count("id", distinct=True))
    }
    return _mix(list(pillars_of(workspace=workspace)), counts)


def pillar_mix_by_month(
    *, workspace: Workspace, first: date, months: int
) -> list[tuple[date, Mix]]:
    """The mix of each month from ``first`` (a 1st of a month), months in the
    workspace's zone, in one grouped query."""
    zone = ZoneInfo(workspace.time_zone)
    starts = [add_months(first, n) for n in range(months + 1)]
    start, end = (datetime.combine(day, time.min, tzinfo=zone) for day in (starts[0], starts[-1]))
    posts = posts_between(workspace=workspace, start=start, end=end).order_by()
    rows = posts.annotate(month=TruncMonth("scheduled_at", tzinfo=zone)).values(
        "month", "pillar_id"
    )
    counts: dict[date, dict[int | None, int]] = {day: {} for day in starts[:-1]}
    for row in rows.annotate(count=Count("id")):
        month = row["month"]
        day = month.date() if isinstance(month, datetime) else month
        counts.setdefault(day, {})[row["pillar_id"]] = row["count"]
    pillars = list(pillars_of(workspace=workspace))
    return [(day, _mix(pillars, counts[day])) for day in starts[:-1]]


def add_months(day: date, count: int) -> date:
    month = day.month - 1 + count
    return date(day.year + month // 12, month % 12 + 1, 1)
