"""The main navigation: one entry per area of the workbench."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Promise
    icon: str
    url_name: str


MAIN_NAVIGATION: tuple[NavItem, ...] = (
    NavItem("calendar", _("Calendar"), "calendar3", "web:calendar"),
    NavItem("compose", _("Compose"), "pencil-square", "publishing:compose"),
    NavItem("media", _("Media"), "images", "publishing:media"),
    NavItem("review", _("To review"), "check2-square", "publishing:review_queue"),
    NavItem("campaigns", _("Campaigns"), "flag", "strategy:campaigns"),
    NavItem("inbox", _("Inbox"), "inbox", "inbox:list"),
    NavItem("community", _("Community"), "people", "community:list"),
    NavItem("analytics", _("Analytics"), "graph-up", "web:analytics"),
    NavItem("links", _("Links"), "link-45deg", "web:links"),
    NavItem("settings", _("Settings"), "gear", "web:settings"),
)
