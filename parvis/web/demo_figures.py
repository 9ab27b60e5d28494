"""The demo's figures: some weeks of collections, as the Sandbox would have given them.

The worker collects every hour from now on; before that, the demo replays one
collection each evening of the last weeks (the Sandbox's figures are a function of
time and of its audience's reactions, so the history agrees with what comes next),
through the collector's own store, so the dashboards and their summaries are real.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from parvis.accounts.models import Workspace
from parvis.analytics.actions import collections_ensure
from parvis.analytics.collecting import TRACKED, snapshots_store
from parvis.analytics.models import MetricsCollection, MetricSnapshot
from parvis.networks.sandbox.metrics import account_metrics, post_metrics
from parvis.networks.sandbox.models import SandboxAccount

HISTORY_DAYS = 42
EVENING = time(21, 0)


def figures_history(workspace: Workspace) -> int:
    """A collection each evening of the last ``HISTORY_DAYS`` days, once per workspace.

    The demo's Sandbox accounts are made to have opened ``HISTORY_DAYS`` days ago, so
    their followers grow over the whole history. Returns the snapshot rows written."""
    if MetricSnapshot.objects.in_workspace(workspace).exists():
        return 0
    collections_ensure()
    zone = ZoneInfo(workspace.time_zone)
    today = timezone.localdate(timezone=zone)
    now = timezone.now()
    first_day = today - timedelta(days=HISTORY_DAYS)
    written = 0
    for channel in workspace.channels.all():
        account = SandboxAccount.objects.filter(external_id=channel.external_id).first()
        if account is None:
            continue
        opened = datetime.combine(first_day - timedelta(days=1), EVENING, tzinfo=zone)
        if account.created_at > opened:
            account.created_at = opened
            account.save(update_fields=["created_at"])
        collection = MetricsCollection.objects.get(channel=channel)
        posts = list(account.posts.filter(reply_to_id="", deleted_at__isnull=True))
        for offset in range(HISTORY_DAYS + 1):
            moment = datetime.combine(first_day + timedelta(days=offset), EVENING, tzinfo=zone)
            if moment > now:
                moment = now
            samples = account_metrics(account, moment)
            for post in posts:
                if post.published_at <= moment <= post.published_at + TRACKED:
                    samples += post_metrics(post, account, moment)
            written += snapshots_store(collection=collection, samples=samples)
            if moment == now:
                break
    return written
