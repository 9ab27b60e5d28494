"""Reads about campaigns, always scoped to one workspace."""

from __future__ import annotations

from django.db.models import Count, Max, Min, QuerySet
from django.shortcuts import get_object_or_404

from parvis.accounts.models import Workspace
from parvis.strategy.models import Campaign


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
