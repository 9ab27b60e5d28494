"""A figure from a network at one time (its own module: the collector writes it)."""

from __future__ import annotations

from django.db import models

from parvis.core.tenancy import WorkspaceQuerySet


class MetricSnapshot(models.Model):
    """One figure as the network gave it at one time: for the account (``remote_id``
    empty) or for one of its posts. Names are the networks' common names
    (``networks.base.METRIC_NAMES``)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="metric_snapshots"
    )
    remote_id = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=40)
    value = models.FloatField()
    measured_at = models.DateTimeField()

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["channel", "remote_id", "name", "-measured_at"], name="snapshot_latest"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value:g} ({self.remote_id or 'account'})"
