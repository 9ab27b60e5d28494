"""Reads about a person's notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from parvis.accounts.models import User
from parvis.notifications.models import Notification


def notifications_of(*, user: User, limit: int = 50) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("workspace")[:limit]


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
