"""Posts. The foundation holds what the calendar shows; the publishing
engine (deliveries, variants, approvals) builds on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.core.tenancy import WorkspaceQuerySet


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")


class Post(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="posts"
    )
    text = models.TextField(_("text"))
    channels = models.ManyToManyField("channels.Channel", related_name="posts", blank=True)
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["workspace", "scheduled_at"])]

    def __str__(self) -> str:
        title = self.first_line
        return title if len(title) <= 60 else title[:59] + "…"

    @property
    def first_line(self) -> str:
        return self.text.strip().splitlines()[0].strip() if self.text.strip() else ""
