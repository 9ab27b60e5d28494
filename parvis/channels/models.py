"""A channel is one page or account of a network, connected to one workspace."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.core.crypto import EncryptedTextField
from parvis.core.tenancy import WorkspaceQuerySet


class ChannelStatus(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnect")
    ERROR = "error", _("Error")
    DISCONNECTED = "disconnected", _("Disconnected")


class Channel(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="channels"
    )
    network = models.CharField(_("network"), max_length=40)
    external_id = models.CharField(max_length=200)
    name = models.CharField(_("name"), max_length=200)
    handle = models.CharField(_("handle"), max_length=200, blank=True)
    avatar_url = models.URLField(blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ChannelStatus.choices, default=ChannelStatus.HEALTHY
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    options = models.JSONField(default=dict, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    connected_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "external_id"], name="one_channel_per_account"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Credential(models.Model):
    """A channel's tokens, encrypted at rest. Never logged, never rendered."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="credential")
    access_token = EncryptedTextField(blank=True)
    refresh_token = EncryptedTextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    refresh_expires_at = models.DateTimeField(null=True, blank=True)
    # When the network issued the access token (``Tokens.obtained_at``).
    obtained_at = models.DateTimeField(null=True, blank=True)
    # Renewing the token (``channels.refreshing``): asked for at once after a network
    # refused it; one worker at a time (a lease, also the wait after a failed try);
    # the last time the network refused to renew it.
    refresh_requested_at = models.DateTimeField(null=True, blank=True)
    refresh_lease_until = models.DateTimeField(null=True, blank=True)
    refresh_failed_at = models.DateTimeField(null=True, blank=True)
    scopes = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"credential for {self.channel}"
