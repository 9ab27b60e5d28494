"""A notification: something a person should know, in the app and by email."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    DELIVERY_FAILED = "delivery_failed", _("A post could not be published")
    DELIVERY_NEEDS_ATTENTION = "delivery_needs_attention", _("A post needs attention")
    REVIEW_REQUESTED = "review_requested", _("A post awaits review")
    POST_APPROVED = "post_approved", _("A post was approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes were requested")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    # Written in the recipient's language when it is created, so it reads the
    # same in the app and in the email.
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500)  # a path inside Parvis
    # Notifications of one group (e.g. one channel's held posts) are not
    # repeated while one of them is unread.
    group_key = models.CharField(max_length=80, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title
