"""Reads about channels, always scoped to one workspace."""

from __future__ import annotations

from django.db.models import QuerySet

from parvis.accounts.models import Workspace
from parvis.channels.models import Channel


def channels_of(*, workspace: Workspace) -> QuerySet[Channel]:
    return Channel.objects.in_workspace(workspace).order_by("network", "name")
