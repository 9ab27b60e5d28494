"""How fast the dashboards answer over 10,000,000 metric rows on PostgreSQL.

    .venv/bin/python bench/analytics.py [--rows 10000000] [--workspaces 10] [--queries 200]
                                        [--database-url URL] [--json]

Starts a throwaway PostgreSQL cluster (bench/support.py), migrates, creates
``--workspaces`` workspaces of 8 channels each with a year of published posts (one a
day per channel, in 5 campaigns), then loads ``--rows`` snapshot rows with COPY as the
collector would have written them: each channel's followers every hour, each post's
views, reach, likes, comments, shares and engagements every 3 hours for 3 days, then
daily up to 30 days. The summaries the collector keeps beside them (latest figure,
daily figures, each channel's daily gains) are derived from those rows in SQL with
the collector's rules, as if it had written them.

Then it times the real selector (``analytics.dashboards.dashboard``) on random
workspaces: the workspace over the last 28 and 90 days, one channel, one campaign and
one post, each with its previous period and top posts; p50 and p95 of ``--queries``
calls. The baseline, measured in the same run: the overview's main question (a
workspace's figures per day over the period and the one before) as one SQL statement
on a bare table holding the same snapshot rows (an index on workspace and time only).
``--json`` prints one JSON object: rows, p50_ms, p95_ms, baseline_p95_ms,
ratio_to_baseline (and p95_ms_by_scope). The machine's load makes the figures indicative.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import secrets
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import ROOT, percentile, throwaway_postgres

CHANNELS_PER_WORKSPACE = 8
CAMPAIGNS_PER_WORKSPACE = 5
DAYS = 365
POST_NAMES = ("views", "reach", "likes", "comments", "shares", "engagements")
# When a post is measured, in hours after it was published (collecting.py's rhythm).
POST_HOURS = tuple(range(3, 73, 3)) + tuple(24 * day for day in range(4, 31))
ZONE = "Europe/Paris"
KINDS = ("workspace", "channel", "campaign", "post", "workspace, 7 days")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="snapshot rows to load")
    parser.add_argument("--workspaces", type=int, default=10)
    parser.add_argument("--queries", type=int, default=200, help="dashboard calls timed")
    parser.add_argument("--database-url", default="", help="use this database, not a new one")
    parser.add_argument("--json", action="store_true", help="one JSON object, nothing else")
    return parser.parse_args()


def _setup_django(database_url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "PARVIS_DATA_DIR": str(ROOT / "var" / "bench"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.json:
        print(text, file=sys.stderr, flush=True)


def _posts_per_channel(args: argparse.Namespace) -> int:
    """How many posts each channel gets so that the snapshots come to ``--rows``."""
    channels = args.workspaces * CHANNELS_PER_WORKSPACE
    account_rows = channels * DAYS * 24
    # Posts are spread evenly over the year: only those older than an hour of
    # POST_HOURS have been measured then, so each post gives this many rows on average.
    span = DAYS * 24
    per_post = len(POST_NAMES) * sum(1 - hours / span for hours in POST_HOURS)
    return max(1, math.ceil((args.rows - account_rows) / (channels * per_post)))


def _workspaces(args: argparse.Namespace, start: datetime) -> list[dict]:
    """Workspaces, channels, campaigns, and published posts with their deliveries."""
    from parvis.accounts.models import Organisation, Workspace
    from parvis.channels.models import Channel
    from parvis.publishing.models import Delivery, Post
    from parvis.strategy.models import Campaign

    per_channel = _posts_per_channel(args)
    spacing = DAYS * 24 / per_channel  # hours between a channel's posts
    made = []
    for n in range(args.workspaces):
        organisation = Organisation.objects.create(name=f"Bench {n}", slug=f"bench-{n}")
        workspace = Workspace.objects.create(
            organisation=organisation, name=f"Bench {n}", slug=f"bench-{n}", time_zone=ZONE
        )
        channels = Channel.objects.bulk_create(
            Channel(
                workspace=workspace,
                network="sandbox_facebook",
                external_id=f"bench-{n}-{c}",
                name=f"Channel {c}",
            )
            for c in range(CHANNELS_PER_WORKSPACE)
        )
        campaigns = Campaign.objects.bulk_create(
            Campaign(workspace=workspace, name=f"Campaign {c}", starts_on=start.date())
            for c in range(CAMPAIGNS_PER_WORKSPACE)
        )
        posts, deliveries = [], []
        for channel in channels:
            for p in range(per_channel):
                at = start + timedelta(hours=p * spacing + random.random() * spacing)
                post = Post(
                    workspace=workspace,
                    text=f"Post {p} on {channel.name}",
                    status="published",
                    scheduled_at=at,
                    campaign=campaigns[p % len(campaigns)],
                )
                posts.append(post)
                deliveries.append((post, channel, at))
        Post.objects.bulk_create(posts, batch_size=2000)
        Delivery.objects.bulk_create(
            (
                Delivery(
                    workspace=workspace,
                    post=post,
                    channel=channel,
                    state="published",
                    remote_id=f"{channel.pk}_{post.pk}",
                    published_at=at,
                )
                for post, channel, at in deliveries
            ),
            batch_size=2000,
        )
        made.append(
            {
                "workspace": workspace,
                "channels": [c.pk for c in channels],
                "campaigns": [c.pk for c in campaigns],
                "posts": [(post.pk, channel.pk, at) for post, channel, at in deliveries],
            }
        )
    return made


def _snapshot_lines(made: list[dict], start: datetime, now: datetime):
    """The snapshot rows as COPY text, a channel at a time."""
    for found in made:
        workspace_id = found["workspace"].pk
        for channel_id in found["channels"]:
            lines = []
            followers = 2000 + random.randrange(20_000)
            for hour in range(DAYS * 24):
                at = start + timedelta(hours=hour)
                followers += random.choice((0, 0, 1, 1, 2))
                lines.append(f"{workspace_id}\t{channel_id}\t\tfollowers\t{followers}\t{at}\n")
            yield "".join(lines)
        lines = []
        for post_id, channel_id, published in found["posts"]:
            final = 20 + random.randrange(400)
            remote_id = f"{channel_id}_{post_id}"
            for hours in POST_HOURS:
                at = published + timedelta(hours=hours)
                if at > now:
                    break
                engagements = int(final * (1 - math.exp(-hours / 8)))
                reach = engagements * 18
                values = (int(reach * 1.3), reach, engagements * 7 // 10, engagements // 5)
                values += (engagements - values[2] - values[3], engagements)
                lines.extend(
                    f"{workspace_id}\t{channel_id}\t{remote_id}\t{name}\t{value}\t{at}\n"
                    for name, value in zip(POST_NAMES, values, strict=True)
                )
            if len(lines) > 200_000:
                yield "".join(lines)
                lines = []
        yield "".join(lines)


def _load(made: list[dict], start: datetime, now: datetime) -> int:
    from django.db import connection

    rows = 0
    columns = "(workspace_id, channel_id, remote_id, name, value, measured_at)"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY analytics_metricsnapshot {columns} FROM STDIN") as copy:
            for chunk in _snapshot_lines(made, start, now):
                rows += chunk.count("\n")
                copy.write(chunk)
        cursor.execute("CREATE TABLE bare_snapshot AS TABLE analytics_metricsnapshot")
        cursor.execute("CREATE INDEX ON bare_snapshot (workspace_id, measured_at)")
        _summaries(cursor)
        cursor.execute("VACUUM ANALYZE")
    return rows


def _summaries(cursor) -> None:
    """The collector's summaries of the loaded rows (summaries.py's rules, in SQL)."""
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_day AS
        SELECT workspace_id, channel_id, remote_id, name, day, value, measured_at,
               value - lag(value) OVER w AS growth
        FROM (
            SELECT DISTINCT ON (channel_id, remote_id, name, day)
                   workspace_id, channel_id, remote_id, name, value, measured_at,
                   (measured_at AT TIME ZONE '{ZONE}')::date AS day
            FROM analytics_metricsnapshot
            ORDER BY channel_id, remote_id, name, day, measured_at DESC
        ) last_of_day
        WINDOW w AS (PARTITION BY channel_id, remote_id, name ORDER BY day)
        """
    )
    cursor.execute(
        """
        INSERT INTO analytics_metricday
               (workspace_id, channel_id, remote_id, name, day, value, gain)
        SELECT workspace_id, channel_id, remote_id, name, day, value,
               COALESCE(growth, CASE WHEN remote_id = '' THEN 0 ELSE value END)
        FROM bench_day
        """
    )
    cursor.execute(
        """
        INSERT INTO analytics_metricchannelday (workspace_id, channel_id, name, day, gain)
        SELECT workspace_id, channel_id, name, day, sum(gain) FROM analytics_metricday
        WHERE remote_id <> '' GROUP BY workspace_id, channel_id, name, day
        """
    )
    cursor.execute(
        """
        INSERT INTO analytics_metriclatest
               (workspace_id, channel_id, remote_id, name, value, measured_at, day)
        SELECT DISTINCT ON (channel_id, remote_id, name)
               workspace_id, channel_id, remote_id, name, value, measured_at, day
        FROM bench_day ORDER BY channel_id, remote_id, name, day DESC
        """
    )


def _timed(call) -> float:
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def _dashboard_calls(made: list[dict], today: date, count: int) -> list:
    from parvis.analytics.dashboards import Scope, dashboard
    from parvis.inbox.responsiveness import Period

    calls = []
    for n in range(count):
        found = random.choice(made)
        workspace = found["workspace"]
        days = random.choice((28, 90))
        period = Period(today - timedelta(days=days - 1), today)
        kind = n % 5
        if kind == 0:
            scope = Scope(workspace)
        elif kind == 1:
            scope = Scope(workspace, channel_id=random.choice(found["channels"]))
        elif kind == 2:
            scope = Scope(workspace, campaign_id=random.choice(found["campaigns"]))
        elif kind == 3:
            post_id, _channel, _at = random.choice(found["posts"][-2000:])
            scope = Scope(workspace, post_id=post_id)
        else:
            scope = Scope(workspace)
            period = Period(today - timedelta(days=6), today)
        call = lambda scope=scope, period=period: dashboard(scope=scope, period=period)  # noqa: E731
        call.kind = KINDS[kind]
        calls.append(call)
    return calls


def _baseline_calls(made: list[dict], today: date, count: int) -> list:
    from zoneinfo import ZoneInfo

    from django.db import connection

    from parvis.inbox.responsiveness import Period

    sql = f"""
        SELECT (measured_at AT TIME ZONE '{ZONE}')::date AS day, name, sum(value)
        FROM bare_snapshot
        WHERE workspace_id = %s AND measured_at >= %s AND measured_at < %s
          AND name IN ('views', 'reach', 'engagements', 'followers')
        GROUP BY 1, 2
    """

    def run(workspace_id: int, start: datetime, end: datetime) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [workspace_id, start, end])
            cursor.fetchall()

    calls = []
    for _n in range(count):
        found = random.choice(made)
        days = random.choice((28, 90))
        period = Period(today - timedelta(days=2 * days - 1), today)
        start, end = period.bounds(ZoneInfo(ZONE))
        calls.append(lambda w=found["workspace"].pk, s=start, e=end: run(w, s, e))
    return calls


def _measure(args: argparse.Namespace, database_url: str) -> dict:
    _setup_django(database_url)
    from django.utils import timezone

    random.seed(7)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    start = (now - timedelta(days=DAYS)).astimezone(UTC)
    _say(args, "creating workspaces, channels and posts...")
    made = _workspaces(args, start)
    _say(args, "loading snapshot rows with COPY and deriving the summaries...")
    began = time.perf_counter()
    rows = _load(made, start, now)
    _say(args, f"  {rows} rows in {time.perf_counter() - began:.0f} s")
    from zoneinfo import ZoneInfo

    today = timezone.localdate(timezone=ZoneInfo(ZONE))
    for call in _dashboard_calls(made, today, 10) + _baseline_calls(made, today, 5):
        call()  # warm the caches the same way for both
    by_kind: dict[str, list[float]] = {}
    for call in _dashboard_calls(made, today, args.queries):
        by_kind.setdefault(call.kind, []).append(_timed(call))
    dashboards = [ms for found in by_kind.values() for ms in found]
    baseline = [_timed(call) for call in _baseline_calls(made, today, max(20, args.queries // 4))]
    p95, baseline_p95 = percentile(dashboards, 0.95), percentile(baseline, 0.95)
    return {
        "rows": rows,
        "p50_ms": round(percentile(dashboards, 0.5), 1),
        "p95_ms": round(p95, 1),
        "baseline_p95_ms": round(baseline_p95, 1),
        "ratio_to_baseline": round(p95 / baseline_p95, 2) if baseline_p95 else None,
        "p95_ms_by_scope": {
            kind: round(percentile(found, 0.95), 1) for kind, found in by_kind.items()
        },
    }


def main() -> None:
    args = _arguments()
    if args.database_url:
        figures = _measure(args, args.database_url)
    else:
        with throwaway_postgres() as database_url:
            figures = _measure(args, database_url)
    if args.json:
        print(json.dumps(figures))
        return
    print("Analytics dashboards benchmark (PostgreSQL; indicative on a shared machine)")
    print(f"  metric rows      {figures['rows']}")
    print(f"  dashboard        p95 {figures['p95_ms']} ms (p50 {figures['p50_ms']}), target 300")
    print(
        f"  baseline         p95 {figures['baseline_p95_ms']} ms "
        f"(one aggregate on a bare table of the same rows)"
    )
    print(f"  ratio            {figures['ratio_to_baseline']}")
    for kind, p95 in figures["p95_ms_by_scope"].items():
        print(f"  p95 {kind:<18} {p95} ms")


if __name__ == "__main__":
    main()
