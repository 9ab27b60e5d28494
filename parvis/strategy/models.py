"""Strategy: campaigns group posts (goals and pillars come later)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parvis.core.tenancy import WorkspaceQuerySet

DEFAULT_COLOUR = "#6f42c1"


class Campaign(models.Model):
    """A named stretch of work (a launch, a season, an event) that posts belong to."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default=DEFAULT_COLOUR,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Choose a colour such as #6f42c1."))],
    )
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
