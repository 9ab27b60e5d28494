from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from parvis.accounts.selectors import workspaces_for
from parvis.inbox.selectors import open_badge
from parvis.notifications.selectors import unread_count
from parvis.publishing.selectors import posts_in_review_count
from parvis.web.navigation import MAIN_NAVIGATION


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page layout needs: navigation, the current workspace, the switcher."""
    context: dict[str, Any] = {"LANGUAGES": settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    context["user_workspaces"] = workspaces_for(user=user)
    context["unread_notifications"] = unread_count(user=user)
    workspace = getattr(request, "workspace", None)
    if workspace is not None:
        context["workspace"] = workspace
        context["membership"] = request.membership
        context["main_navigation"] = MAIN_NAVIGATION
        context["review_count"] = posts_in_review_count(workspace=workspace)
        context["inbox_count"] = open_badge(workspace=workspace)
    return context
