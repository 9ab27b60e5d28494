"""Writes about campaigns: named, atomic, audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from parvis.accounts.actions import workspace_lock
from parvis.accounts.models import User, Workspace
from parvis.core.audit import audit
from parvis.strategy.models import DEFAULT_COLOUR, Campaign


class CampaignError(Exception):
    """A campaign change that cannot be made; the message is for the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def _check(
    *, workspace: Workspace, name: str, starts_on: date, ends_on: date | None, pk: int | None
) -> str:
    name = name.strip()
    if not name:
        raise CampaignError(_("Give the campaign a name."), field="name")
    if ends_on is not None and ends_on < starts_on:
        raise CampaignError(_("The campaign cannot end before it starts."), field="ends_on")
    workspace_lock(workspace=workspace)  # a name saved at the same moment is seen
    # Compared in Python: SQLite folds the case of ASCII letters only (Noël, NOËL).
    others = Campaign.objects.in_workspace(workspace).exclude(pk=pk).values_list("name", flat=True)
    if any(other.casefold() == name.casefold() for other in others):
        raise CampaignError(
            _("A campaign called “%(name)s” already exists in this workspace.") % {"name": name},
            field="name",
        )
    return name


@transaction.atomic
def campaign_create(
    *,
    workspace: Workspace,
    name: str,
    starts_on: date,
    ends_on: date | None = None,
    description: str = "",
    colour: str = DEFAULT_COLOUR,
    acting_user: User | None,
) -> Campaign:
    name = _check(workspace=workspace, name=name, starts_on=starts_on, ends_on=ends_on, pk=None)
    campaign = Campaign.objects.create(
        workspace=workspace,
        name=name,
        description=description,
        colour=colour,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit(verb="campaign.created", workspace=workspace, actor=acting_user, target=campaign)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    name: str,
    starts_on: date,
    ends_on: date | None,
    description: str,
    colour: str,
    acting_user: User | None,
) -> Campaign:
    campaign.name = _check(
        workspace=campaign.workspace,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        pk=campaign.pk,
    )
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    campaign.description, campaign.colour = description, colour
    campaign.save(update_fields=["name", "starts_on", "ends_on", "description", "colour"])
    audit(verb="campaign.updated", workspace=campaign.workspace, actor=acting_user, target=campaign)
    return campaign


@transaction.atomic
def campaign_archive(
    *, campaign: Campaign, archived: bool = True, acting_user: User | None
) -> Campaign:
    """Archive (or bring back) a campaign: its posts keep it; the composer no longer offers it."""
    if campaign.archived != archived:
        campaign.archived = archived
        campaign.save(update_fields=["archived"])
        audit(
            verb="campaign.archived" if archived else "campaign.unarchived",
            workspace=campaign.workspace,
            actor=acting_user,
            target=campaign,
        )
    return campaign
