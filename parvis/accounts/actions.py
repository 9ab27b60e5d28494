"""Writes about organisations, workspaces and memberships."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from parvis.accounts.models import Membership, Organisation, User, Workspace
from parvis.accounts.roles import Role
from parvis.core.audit import audit


def _unique_slug(model: type, base: str) -> str:
    root = slugify(base)[:50] or "workspace"
    slug, n = root, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{root}-{n}", n + 1
    return slug


@transaction.atomic
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
