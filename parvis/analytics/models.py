"""Figures from the networks: snapshots, and the row that collects them per channel."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.analytics import collecting
from parvis.analytics.reports.models import ReportSchedule, ReportSending
from parvis.analytics.snapshots import MetricSnapshot
from parvis.analytics.states import CollectionStates
from parvis.analytics.summaries import MetricChannelDay, MetricDay, MetricLatest
from parvis.channels.selectors import credentials_load
from parvis.core import http
from parvis.engine.models import StateMachineModel

__all__ = [
    "MetricChannelDay",
    "MetricDay",
    "MetricLatest",
    "MetricSnapshot",
    "MetricsCollection",
    "ReportSchedule",
    "ReportSending",
]


class MetricsCollection(StateMachineModel):
    """The job of collecting one channel's figures, again and again (the row is the job)."""

    graph = CollectionStates
    claim_related = ("channel", "channel__workspace")

    channel = models.OneToOneField(
        "channels.Channel", on_delete=models.CASCADE, related_name="metrics_collection"
    )
    last_collected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("metrics collection")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="collection_due")]

    def __str__(self) -> str:
        return f"metrics of {self.channel}"

    calls_context = staticmethod(http.shared_connections)

    @classmethod
    def before_run(cls, collections: list[MetricsCollection]) -> None:
        """The batch's channel credentials in one query."""
        credentials_load(channels=[c.channel for c in collections])

    def handle_collecting(self):
        return collecting.collect(self)
