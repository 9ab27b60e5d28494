"""Writes about organisations, workspaces and memberships."""

from __future__ import annotations

from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parvis.accounts.logos import logo_normalise
from parvis.accounts.models import Invitation, Membership, Organisation, User, Workspace
from parvis.accounts.roles import GRANTABLE, Role
from parvis.core.audit import audit


def _unique_slug(model: type, base: str) -> str:
    root = slugify(base)[:50] or "workspace"
    slug, n = root, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{root}-{n}", n + 1
    return slug


@transaction.atomic
def workspace_lock(*, workspace: Workspace) -> None:
    """Until the caller's transaction ends, one such write at a time in this workspace:
    e.g. two people saving the same name at once, where the second must be told it is
    taken rather than meet the database's unique constraint. (SQLite's IMMEDIATE
    transactions serialise writes already; PostgreSQL needs the row lock.)"""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("workspace_lock() holds only inside a transaction.")
    list(Workspace.objects.select_for_update().filter(pk=workspace.pk).values_list("pk"))


def organisation_create(*, name: str, acting_user: User | None = None) -> Organisation:
    organisation = Organisation.objects.create(name=name, slug=_unique_slug(Organisation, name))
    audit(verb="organisation.created", actor=acting_user, target=organisation)
    return organisation


@transaction.atomic
def workspace_create(
    *,
    organisation: Organisation,
    name: str,
    owner: User,
    language: str = "fr",
    time_zone: str | None = None,
    slug: str | None = None,
) -> Workspace:
    """A new brand workspace; its creator becomes its owner."""
    zone = time_zone or settings.PARVIS_DEFAULT_TIME_ZONE.get(language, "UTC")
    workspace = Workspace.objects.create(
        organisation=organisation,
        name=name,
        slug=slug or _unique_slug(Workspace, name),
        language=language,
        time_zone=zone,
    )
    Membership.objects.create(user=owner, workspace=workspace, role=Role.OWNER)
    audit(verb="workspace.created", workspace=workspace, actor=owner, target=workspace)
    return workspace


@transaction.atomic
def membership_add(
    *, workspace: Workspace, user: User, role: str, acting_user: User | None = None
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    audit(
        verb="member.added" if created else "member.role_changed",
        workspace=workspace,
        actor=acting_user,
        target=membership,
        role=role,
    )
    return membership


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    valid = {code for code, _name in settings.LANGUAGES}
    if language and language not in valid:
        raise ValueError(f"Unknown language {language!r}")
    user.language = language
    user.save(update_fields=["language"])
    return user


class AccountsError(Exception):
    """A request that breaks a membership rule; the message is for the person."""


def _owners_left(workspace: Workspace, excluding: Membership) -> int:
    return workspace.memberships.filter(role=Role.OWNER).exclude(pk=excluding.pk).count()


def _check_grantable(acting: Membership, role: str) -> None:
    if role not in GRANTABLE.get(acting.role, []):
        raise AccountsError(
            _("Your role cannot give the role “%(role)s”.") % {"role": Role(role).label}
        )


@transaction.atomic
def invitation_create(*, acting: Membership, email: str, role: str) -> Invitation:
    """Invite someone by email; re-inviting a pending address updates that invitation."""
    workspace, email = acting.workspace, email.strip().lower()
    _check_grantable(acting, role)
    if workspace.memberships.filter(user__email__iexact=email).exists():
        raise AccountsError(
            _("%(email)s is already a member of this workspace.") % {"email": email}
        )
    invitation = next((i for i in workspace.invitations.filter(email=email) if i.is_pending), None)
    if invitation is None:
        invitation = Invitation.objects.create(
            workspace=workspace, email=email, role=role, invited_by=acting.user
        )
    else:
        invitation.role, invitation.invited_by = role, acting.user
        invitation.expires_at = timezone.now() + timedelta(days=settings.PARVIS_INVITATION_DAYS)
        invitation.save(update_fields=["role", "invited_by", "expires_at"])
    audit(
        verb="invitation.sent", workspace=workspace, actor=acting.user, target=invitation, role=role
    )
    transaction.on_commit(lambda: send_invitation_email(invitation))
    return invitation


def send_invitation_email(invitation: Invitation) -> None:
    link = settings.PARVIS_BASE_URL + reverse("accounts:invitation", args=[invitation.token])
    inviter = invitation.invited_by.display_name if invitation.invited_by else "Parvis"
    with translation.override(invitation.workspace.language):
        context = {"invitation": invitation, "link": link, "inviter": inviter}
        subject = _("%(inviter)s invites you to %(workspace)s on Parvis") % {
            "inviter": inviter,
            "workspace": invitation.workspace.name,
        }
        send_mail(
            subject,
            render_to_string("accounts/email/invitation.txt", context),
            None,
            [invitation.email],
            html_message=render_to_string("accounts/email/invitation.html", context),
        )


@transaction.atomic
def invitation_revoke(*, acting: Membership, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit(
        verb="invitation.revoked", workspace=acting.workspace, actor=acting.user, target=invitation
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    if not invitation.is_pending:
        raise AccountsError(_("This invitation is no longer valid."))
    if user.email.lower() != invitation.email.lower():
        raise AccountsError(
            _("This invitation was sent to %(email)s: log in with that address.")
            % {"email": invitation.email}
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership = membership_add(
        workspace=invitation.workspace, user=user, role=invitation.role, acting_user=user
    )
    if not user.language:
        user.language = invitation.workspace.language
        user.save(update_fields=["language"])
    return membership


@transaction.atomic
def membership_change_role(*, acting: Membership, membership: Membership, role: str) -> Membership:
    if Role.OWNER in (role, membership.role) and acting.role != Role.OWNER:
        raise AccountsError(_("Only an owner can make or unmake owners."))
    _check_grantable(acting, role)
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and not _owners_left(membership.workspace, membership)
    ):
        raise AccountsError(_("A workspace keeps at least one owner: name another owner first."))
    return membership_add(
        workspace=membership.workspace, user=membership.user, role=role, acting_user=acting.user
    )


@transaction.atomic
def membership_remove(*, acting: Membership, membership: Membership) -> None:
    """Remove a member (or leave, when ``membership`` is the acting one)."""
    leaving = membership.pk == acting.pk
    if membership.role == Role.OWNER and not leaving and acting.role != Role.OWNER:
        raise AccountsError(_("Only an owner can remove an owner."))
    if membership.role == Role.OWNER and not _owners_left(membership.workspace, membership):
        raise AccountsError(_("A workspace keeps at least one owner: name another owner first."))
    audit(
        verb="member.left" if leaving else "member.removed",
        workspace=membership.workspace,
        actor=acting.user,
        target=membership,
    )
    membership.delete()


@transaction.atomic
def workspace_update(
    *,
    acting: Membership,
    name: str,
    language: str,
    time_zone: str,
    color: str,
    approval_required: bool = False,
    response_target_minutes: int | None = None,
) -> Workspace:
    workspace = acting.workspace
    workspace.name, workspace.language = name, language
    workspace.time_zone, workspace.color = time_zone, color
    workspace.approval_required = approval_required
    fields = ["name", "language", "time_zone", "color", "approval_required"]
    if response_target_minutes is not None:
        workspace.response_target_minutes = response_target_minutes
        fields.append("response_target_minutes")
    workspace.save(update_fields=fields)
    audit(verb="workspace.updated", workspace=workspace, actor=acting.user, target=workspace)
    return workspace


@transaction.atomic
def workspace_logo_set(*, acting: Membership, file: IO[bytes], size: int) -> Workspace:
    """Check the uploaded logo and keep it as a small PNG (raises LogoRejected)."""
    png = logo_normalise(file, size=size)
    workspace = acting.workspace
    previous = workspace.logo.name if workspace.logo else ""
    workspace.logo.save("logo.png", ContentFile(png), save=False)
    workspace.save(update_fields=["logo"])
    audit(verb="workspace.logo_set", workspace=workspace, actor=acting.user, target=workspace)
    if previous:
        transaction.on_commit(lambda: workspace.logo.storage.delete(previous))
    return workspace


@transaction.atomic
def workspace_logo_remove(*, acting: Membership) -> Workspace:
    workspace = acting.workspace
    if workspace.logo:
        previous = workspace.logo.name
        workspace.logo = ""
        workspace.save(update_fields=["logo"])
        audit(
            verb="workspace.logo_removed", workspace=workspace, actor=acting.user, target=workspace
        )
        transaction.on_commit(lambda: workspace.logo.storage.delete(previous))
    return workspace
