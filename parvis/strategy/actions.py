"""Writes about campaigns, goals and content pillars: named, atomic, audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from parvis.accounts.actions import workspace_lock
from parvis.accounts.models import User, Workspace
from parvis.channels.models import Channel
from parvis.core.audit import audit
from parvis.strategy.kpis import kpi_of
from parvis.strategy.models import DEFAULT_COLOUR, Campaign, Goal, Pillar


class StrategyError(Exception):
    """A campaign, goal or pillar change that cannot be made; the message is for the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


CampaignError = StrategyError


def _check(
    *, workspace: Workspace, name: str, starts_on: date, ends_on: date | None, pk: int | None
) -> str:
    name = name.strip()
    if not name:
        raise CampaignError(_("Give the campaign a name."), field="name")
    if ends_on is not None and ends_on < starts_on:
        raise CampaignError(_("The campaign cannot end before it starts."), field="ends_on")
    workspace_lock(workspace=workspace)  # a name saved at the same moment is seen
    if _name_taken(Campaign.objects.in_workspace(workspace).exclude(pk=pk), name):
        raise CampaignError(
            _("A campaign called “%(name)s” already exists in this workspace.") % {"name": name},
            field="name",
        )
    return name


def _name_taken(others, name: str) -> bool:
    # Compared in Python: SQLite folds the case of ASCII letters only (Noël, NOËL).
    return any(o.casefold() == name.casefold() for o in others.values_list("name", flat=True))


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
    return _set_archived(campaign, archived, acting_user=acting_user, noun="campaign")


def _set_archived[T: Campaign | Goal | Pillar](
    row: T, archived: bool, *, acting_user: User | None, noun: str
) -> T:
    """Archive or bring back, with an audit event only when it changes."""
    if row.archived != archived:
        row.archived = archived
        row.save(update_fields=["archived"])
        audit(
            verb=f"{noun}.archived" if archived else f"{noun}.unarchived",
            workspace=row.workspace,
            actor=acting_user,
            target=row,
        )
    return row


# Goals


def _check_goal(
    *,
    workspace: Workspace,
    name: str,
    kpi: str,
    target: float,
    starts_on: date,
    deadline: date,
    channel: Channel | None,
    campaign: Campaign | None,
) -> str:
    name = name.strip()
    if not name:
        raise StrategyError(_("Give the goal a name."), field="name")
    measured = kpi_of(kpi)
    if measured is None:
        raise StrategyError(_("Choose one of the KPIs offered."), field="kpi")
    if target < 0:
        raise StrategyError(_("The target cannot be negative."), field="target")
    if deadline < starts_on:
        raise StrategyError(_("The deadline cannot come before the start."), field="deadline")
    if channel is not None and channel.workspace_id != workspace.pk:
        raise StrategyError(_("This channel belongs to another workspace."), field="channel")
    if campaign is not None and campaign.workspace_id != workspace.pk:
        raise StrategyError(_("This campaign belongs to another workspace."), field="campaign")
    if channel is not None and "channel" not in measured.scopes:
        raise StrategyError(
            _("%(kpi)s is measured for the whole workspace: leave the channel empty.")
            % {"kpi": measured.label},
            field="channel",
        )
    if campaign is not None and "campaign" not in measured.scopes:
        raise StrategyError(
            _("%(kpi)s does not depend on campaigns: leave the campaign empty.")
            % {"kpi": measured.label},
            field="campaign",
        )
    return name


@transaction.atomic
def goal_create(
    *,
    workspace: Workspace,
    name: str,
    kpi: str,
    target: float,
    starts_on: date,
    deadline: date,
    channel: Channel | None = None,
    campaign: Campaign | None = None,
    acting_user: User | None,
) -> Goal:
    fields = {
        "name": name,
        "kpi": kpi,
        "target": target,
        "starts_on": starts_on,
        "deadline": deadline,
        "channel": channel,
        "campaign": campaign,
    }
    fields["name"] = _check_goal(workspace=workspace, **fields)
    goal = Goal.objects.create(workspace=workspace, **fields)
    audit(verb="goal.created", workspace=workspace, actor=acting_user, target=goal)
    return goal


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    name: str,
    kpi: str,
    target: float,
    starts_on: date,
    deadline: date,
    channel: Channel | None,
    campaign: Campaign | None,
    acting_user: User | None,
) -> Goal:
    fields = {
        "name": name,
        "kpi": kpi,
        "target": target,
        "starts_on": starts_on,
        "deadline": deadline,
        "channel": channel,
        "campaign": campaign,
    }
    fields["name"] = _check_goal(workspace=goal.workspace, **fields)
    for field, value in fields.items():
        setattr(goal, field, value)
    goal.save(update_fields=list(fields))
    audit(verb="goal.updated", workspace=goal.workspace, actor=acting_user, target=goal)
    return goal


@transaction.atomic
def goal_archive(*, goal: Goal, archived: bool = True, acting_user: User | None) -> Goal:
    """Archive (or bring back) a goal: it leaves the goals in progress."""
    return _set_archived(goal, archived, acting_user=acting_user, noun="goal")


# Content pillars


def _check_pillar(
    *, workspace: Workspace, name: str, target_share: int, active: bool, pk: int | None
) -> str:
    name = name.strip()
    if not name:
        raise StrategyError(_("Give the pillar a name."), field="name")
    if not 0 <= target_share <= 100:
        raise StrategyError(
            _("The target share is a percentage, from 0 to 100."), field="target_share"
        )
    workspace_lock(workspace=workspace)  # two pillars saved at once both count
    others = Pillar.objects.in_workspace(workspace).exclude(pk=pk)
    if _name_taken(others, name):
        raise StrategyError(
            _("A pillar called “%(name)s” already exists in this workspace.") % {"name": name},
            field="name",
        )
    if active:
        taken = sum(others.filter(archived=False).values_list("target_share", flat=True))
        if taken + target_share > 100:
            raise StrategyError(
                _(
                    "The targets of the active pillars would add up to %(total)d %%, over "
                    "100 %%. The other pillars already take %(taken)d %%: set this one to "
                    "%(left)d %% or less, or lower another pillar's target first."
                )
                % {"total": taken + target_share, "taken": taken, "left": max(0, 100 - taken)},
                field="target_share",
            )
    return name


@transaction.atomic
def pillar_create(
    *,
    workspace: Workspace,
    name: str,
    target_share: int,
    description: str = "",
    colour: str = DEFAULT_COLOUR,
    acting_user: User | None,
) -> Pillar:
    name = _check_pillar(
        workspace=workspace, name=name, target_share=target_share, active=True, pk=None
    )
    pillar = Pillar.objects.create(
        workspace=workspace,
        name=name,
        target_share=target_share,
        description=description,
        colour=colour,
    )
    audit(verb="pillar.created", workspace=workspace, actor=acting_user, target=pillar)
    return pillar


@transaction.atomic
def pillar_update(
    *,
    pillar: Pillar,
    name: str,
    target_share: int,
    description: str,
    colour: str,
    acting_user: User | None,
) -> Pillar:
    pillar.name = _check_pillar(
        workspace=pillar.workspace,
        name=name,
        target_share=target_share,
        active=not pillar.archived,
        pk=pillar.pk,
    )
    pillar.target_share, pillar.description, pillar.colour = target_share, description, colour
    pillar.save(update_fields=["name", "target_share", "description", "colour"])
    audit(verb="pillar.updated", workspace=pillar.workspace, actor=acting_user, target=pillar)
    return pillar


@transaction.atomic
def pillar_archive(*, pillar: Pillar, archived: bool = True, acting_user: User | None) -> Pillar:
    """Archive a pillar (its posts keep it; the composer no longer offers it), or bring
    it back, if the active pillars' targets leave room for its own."""
    if pillar.archived == archived:
        return pillar
    if not archived:
        _check_pillar(
            workspace=pillar.workspace,
            name=pillar.name,
            target_share=pillar.target_share,
            active=True,
            pk=pillar.pk,
        )
    return _set_archived(pillar, archived, acting_user=acting_user, noun="pillar")
