"""Reads about people, workspaces and memberships."""

from __future__ import annotations

from django.db.models import QuerySet

from parvis.accounts.models import Invitation, Membership, User, Workspace
from parvis.accounts.roles import PERMISSIONS


def workspaces_for(*, user: User) -> QuerySet[Workspace]:
    return (
        Workspace.objects.filter(memberships__user=user)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def default_workspace_for(*, user: User) -> Workspace | None:
    """The workspace the user last worked in, else their first one."""
    workspaces = workspaces_for(user=user)
    if user.last_workspace_id:
        last = workspaces.filter(pk=user.last_workspace_id).first()
        if last is not None:
            return last
    return workspaces.first()


def members_of(*, workspace: Workspace) -> QuerySet[Membership]:
    return workspace.memberships.select_related("user").order_by("user__full_name", "user__email")


def pending_invitations_of(*, workspace: Workspace) -> list[Invitation]:
    return [i for i in workspace.invitations.select_related("invited_by") if i.is_pending]


def members_who_can(*, workspace: Workspace, permission: str) -> list[User]:
    """The active people of a workspace whose role grants ``permission``."""
    roles = [role for role, granted in PERMISSIONS.items() if permission in granted]
    memberships = Membership.objects.filter(
        workspace=workspace, role__in=roles, user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships]


def membership_of(*, user: User, workspace: Workspace) -> Membership | None:
    """The user's membership of the workspace, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, workspace=workspace).first()
