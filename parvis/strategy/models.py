"""Strategy: campaigns group posts, goals set targets, pillars set the mix of themes."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parvis.core.tenancy import WorkspaceQuerySet

DEFAULT_COLOUR = "#6f42c1"


def colour_field() -> models.CharField:
    """A colour such as #6f42c1, that marks a campaign's or a pillar's posts."""
    return models.CharField(
        _("colour"),
        max_length=7,
        default=DEFAULT_COLOUR,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Choose a colour such as #6f42c1."))],
    )


class Campaign(models.Model):
    """A named stretch of work (a launch, a season, an event) that posts belong to."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    colour = colour_field()
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["archived", "-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(
                "workspace", Lower("name"), name="one_campaign_name_per_workspace"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "strategy:campaign", kwargs={"workspace": self.workspace.slug, "campaign_id": self.pk}
        )


class Goal(models.Model):
    """A target for one KPI (see kpis.py) to reach by a deadline, optionally for one
    channel or one campaign: "+15 % followers this quarter"."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="goals"
    )
    name = models.CharField(_("name"), max_length=120)
    kpi = models.CharField(_("KPI"), max_length=40)
    target = models.FloatField(_("target"))
    starts_on = models.DateField(_("starts on"))
    deadline = models.DateField(_("deadline"))
    channel = models.ForeignKey(
        "channels.Channel",
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goals",
    )
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["archived", "deadline", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("starts_on")),
                name="goal_deadline_after_its_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        url = reverse("strategy:goals", kwargs={"workspace": self.workspace.slug})
        return f"{url}#goal-{self.pk}"


class Pillar(models.Model):
    """A theme the brand keeps coming back to (know-how, offers, the team...), with
    the share of the posts it should take."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="pillars"
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    colour = colour_field()
    target_share = models.PositiveSmallIntegerField(_("target share of posts (%)"), default=0)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("content pillar")
        verbose_name_plural = _("content pillars")
        ordering = ["archived", "name"]
        constraints = [
            models.UniqueConstraint(
                "workspace", Lower("name"), name="one_pillar_name_per_workspace"
            ),
            models.CheckConstraint(
                condition=models.Q(target_share__lte=100), name="pillar_share_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name
