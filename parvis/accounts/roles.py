"""Roles in a workspace and what each may do. The one place that decides."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    CONTRIBUTOR = "contributor", _("Contributor")
    VIEWER = "viewer", _("Viewer")


ROLE_HELP = {
    Role.OWNER: _("Everything, including deleting the workspace and managing owners."),
    Role.ADMIN: _("Manages members, channels and settings; publishes and approves."),
    Role.EDITOR: _(
        "Writes, schedules, publishes and approves posts; manages campaigns, goals and "
        "content pillars; keeps the "
        "snippets and hashtag groups; answers the inbox."
    ),
    Role.CONTRIBUTOR: _("Writes drafts and submits them for approval; cannot publish."),
    Role.VIEWER: _("Reads everything, changes nothing (a client's seat)."),
}

# Permissions are plain strings, "<area>.<verb>".
_VIEW = {"workspace.view"}
_CONTRIBUTE = _VIEW | {"post.draft", "post.submit", "inbox.note", "media.upload"}
_EDIT = _CONTRIBUTE | {
    "post.schedule",
    "post.publish",
    "post.approve",
    "inbox.reply",
    "community.edit",  # tag, note, merge and separate people; keep segments
    "campaign.manage",  # create, edit, archive campaigns (everyone reads them)
    "strategy.manage",  # create, edit, archive goals and content pillars (everyone reads them)
    "snippet.manage",
    "link.manage",  # the link-in-bio page's links
    "media.delete",
}
_ADMIN = _EDIT | {
    "channel.manage",
    "member.manage",
    "workspace.settings",
    "community.privacy",  # export and erase everything held about a person (GDPR)
}
_OWNER = _ADMIN | {"workspace.delete", "owner.manage"}

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(_OWNER),
    Role.ADMIN: frozenset(_ADMIN),
    Role.EDITOR: frozenset(_EDIT),
    Role.CONTRIBUTOR: frozenset(_CONTRIBUTE),
    Role.VIEWER: frozenset(_VIEW),
}

# Roles an inviter of a given role may hand out.
GRANTABLE: dict[str, list[str]] = {
    Role.OWNER: [r.value for r in Role],
    Role.ADMIN: [Role.ADMIN, Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER],
}


def role_can(role: str, permission: str) -> bool:
    return permission in PERMISSIONS.get(role, frozenset())
