"""How fast the editorial calendar answers with 5,000 posts in a month.

    .venv/bin/python bench/calendar_month.py [--posts 5000] [--runs 7] [--browser] [--json]

Creates a throwaway SQLite database in a temporary folder, fills one month (the
current one, in the workspace's zone) with posts across several channels, then
prints the median time and payload size of the calendar's JSON endpoint for that
month, next to a baseline measured in the same run: the same events built the
previous way (model instances with prefetch_related). The endpoint is timed
twice: every post as an event (what the list views ask for, and what the month
view asked for before) and with busy days summarised (what the month and week
grids ask for now). With --browser, also the time Chromium takes to show the
month view (from navigation to every day drawn), both ways: as the page does
now, and with the old behaviour (the summarise parameter taken out of the
page's requests, so every post reaches the grid). --json prints the figures as
one JSON object instead. Nothing is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
NETWORKS = ["sandbox_facebook", "sandbox_instagram", "sandbox_x"]


def configure(data_dir: Path) -> None:
    """Point Django at a fresh SQLite file before anything imports settings."""
    os.environ.update(
        {
            "PARVIS_DATA_DIR": str(data_dir),
            "DATABASE_URL": f"sqlite:///{data_dir / 'bench.sqlite3'}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            # DEBUG serves the front-end files without collectstatic (--browser).
            "PARVIS_DEBUG": "true",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "PARVIS_LOGIN_THROTTLING": "false",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def month_bounds(zone: ZoneInfo) -> tuple[datetime, datetime]:
    from django.utils import timezone

    today = timezone.localdate(timezone=zone)
    start = datetime(today.year, today.month, 1, tzinfo=zone)
    end = datetime(today.year + today.month // 12, today.month % 12 + 1, 1, tzinfo=zone)
    return start, end


def populate(count: int) -> tuple[Any, Any, datetime, datetime]:
    """An owner, a workspace with six channels, ``count`` posts in this month."""
    from parvis.channels.models import Channel
    from parvis.publishing.models import Delivery, Post, PostStatus
    from tests import factories

    owner = factories.make_user("bench@example.org")
    workspace = factories.make_workspace("Bench", owner=owner)
    channels = Channel.objects.bulk_create(
        Channel(
            workspace=workspace, network=network, external_id=f"{network}-{n}", name=f"Page {n}"
        )
        for n in range(2)
        for network in NETWORKS
    )
    start, end = month_bounds(ZoneInfo(workspace.time_zone))
    span = (end - start).total_seconds()
    statuses = [PostStatus.SCHEDULED] * 3 + [PostStatus.PUBLISHED, PostStatus.DRAFT]
    posts = Post.objects.bulk_create(
        (
            Post(
                workspace=workspace,
                text=f"Post {n}: pain au levain, croissants et galettes.\n" + "Texte. " * 40,
                scheduled_at=start + timedelta(seconds=span * n / count),
                status=statuses[n % len(statuses)],
                created_by=owner,
            )
            for n in range(count)
        ),
        batch_size=500,
    )
    chosen = {post.pk: channels[post.pk % 6 : post.pk % 6 + 1 + post.pk % 3] for post in posts}
    Post.channels.through.objects.bulk_create(
        (
            Post.channels.through(post_id=pk, channel_id=c.pk)
            for pk, cs in chosen.items()
            for c in cs
        ),
        batch_size=1000,
    )
    delivery_state = {PostStatus.SCHEDULED: "scheduled", PostStatus.PUBLISHED: "published"}
    Delivery.objects.bulk_create(
        (
            Delivery(
                workspace=workspace,
                post=post,
                channel=channel,
                state=delivery_state[post.status],
                next_attempt_at=post.scheduled_at,
                url=f"https://example.org/{post.pk}/{channel.pk}"
                if post.status == PostStatus.PUBLISHED
                else "",
            )
            for post in posts
            if post.status in delivery_state
            for channel in chosen[post.pk]
        ),
        batch_size=1000,
    )
    return owner, workspace, start, end


def previous_way(workspace: Any, start: datetime, end: datetime) -> bytes:
    """The baseline: model instances and prefetch_related, as the calendar did before."""
    from django.http import JsonResponse
    from django.utils import timezone

    from parvis.publishing.models import Post

    posts = (
        Post.objects.in_workspace(workspace)
        .filter(scheduled_at__gte=start, scheduled_at__lt=end)
        .prefetch_related("channels", "deliveries")
        .order_by("scheduled_at", "id")
    )
    events = []
    for post in posts:
        channels = list(post.channels.all())
        links = [d.url for d in post.deliveries.all() if d.url]
        event = {
            "id": post.pk,
            "title": post.first_line,
            "start": timezone.localtime(post.scheduled_at).isoformat(),
            "extendedProps": {
                "status": post.status,
                "statusLabel": str(post.get_status_display()),
                "channels": [c.name for c in channels],
                "networks": sorted({c.network for c in channels}),
                "text": post.text,
            },
        }
        if links:
            event["url"] = links[0]
        events.append(event)
    return JsonResponse(events, safe=False).content


def timed(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The median wall time of ``runs`` calls (after one warm-up), and the last result."""
    result = work()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def browser_render(
    owner: Any, workspace: Any, runs: int, *, old: bool
) -> tuple[list[float], list[float], int]:
    """Times in ms from navigation to the month view drawn (each day either a
    "+N more" link or a summary), after one warm-up run; the times at which the
    page asked for its events; and the events drawn.
    ``old``: the page's requests lose ``summarise``, as before busy days were summarised."""
    from django.core.wsgi import get_wsgi_application
    from django.test import Client
    from playwright.sync_api import sync_playwright

    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), _ThreadingServer, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    client = Client()
    client.force_login(owner)
    session = client.cookies["sessionid"].value
    times: list[float] = []
    asked: list[float] = []  # when the page asked for the events (page and scripts loaded)
    drawn = 0

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if old:
            url = url.replace("&summarise=1", "").replace("summarise=1&", "")
        request_route.continue_(url=url)

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            # Playwright's probes evaluate strings, which the page's CSP forbids.
            context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
            # Both ways go through the same route, so both pay its small cost.
            context.route("**/calendar/events/**", route)
            for _ in range(runs + 1):  # the first run warms the caches
                page = context.new_page()
                page.goto(f"{base}/w/{workspace.slug}/calendar/")
                page.wait_for_function(
                    "document.querySelectorAll("
                    "'.fc-daygrid-more-link, .fc-daygrid-event.day-summary').length >= 20",
                    timeout=60_000,
                )
                times.append(page.evaluate("performance.now()"))
                asked.append(
                    page.evaluate(
                        "performance.getEntriesByType('resource')"
                        ".find((r) => r.name.includes('/calendar/events/')).startTime"
                    )
                )
                drawn = page.evaluate(
                    "[...document.querySelectorAll('.fc-daygrid-event')]"
                    ".filter((e) => getComputedStyle(e.parentElement).visibility !== 'hidden')"
                    ".length"
                )
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return times[1:], asked[1:], drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--browser", action="store_true", help="also time Chromium's month view")
    parser.add_argument("--browser-runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    say = (lambda *_: None) if args.json else print

    data_dir = Path(tempfile.mkdtemp(prefix="parvis-bench-calendar-"))
    try:
        configure(data_dir)
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse
        from django.utils import timezone

        began = time.perf_counter()
        owner, workspace, start, end = populate(args.posts)
        say(f"{args.posts} posts in {start:%B %Y} ({time.perf_counter() - began:.1f} s to create)")

        client = Client()
        client.force_login(owner)
        url = reverse("web:calendar_events", kwargs={"workspace": workspace.slug})
        query = {
            "start": start.replace(tzinfo=None).isoformat(),
            "end": end.replace(tzinfo=None).isoformat(),
        }

        def endpoint(**extra: str) -> Callable[[], bytes]:
            def call() -> bytes:
                response = client.get(url, {**query, **extra})
                assert response.status_code == 200, response.status_code
                return response.content

            return call

        figures: dict[str, Any] = {"posts": args.posts, "runs": args.runs}
        for name, extra in (("every_post", {}), ("summarised", {"summarise": "1"})):
            seconds, body = timed(args.runs, endpoint(**extra))
            with CaptureQueriesContext(connection) as queries:
                endpoint(**extra)()
            figures[f"endpoint_{name}"] = {
                "ms": round(seconds * 1000, 1),
                "kib": round(len(body) / 1024, 1),
                "queries": len(queries),
            }
        timezone.activate(ZoneInfo(workspace.time_zone))
        old_seconds, old_body = timed(args.runs, lambda: previous_way(workspace, start, end))
        figures["baseline_previous_way"] = {
            "ms": round(old_seconds * 1000, 1),
            "kib": round(len(old_body) / 1024, 1),
        }

        say(f"median of {args.runs} runs")
        for name, label in (
            ("every_post", "JSON endpoint, every post (lists)"),
            ("summarised", "JSON endpoint, busy days summarised (grids)"),
        ):
            f = figures[f"endpoint_{name}"]
            say(f"  {label}: {f['ms']:7.1f} ms, {f['kib']:7.1f} KiB, {f['queries']} queries")
        b = figures["baseline_previous_way"]
        say(
            "  baseline, the previous way (events only, no request): "
            f"{b['ms']:7.1f} ms, {b['kib']:7.1f} KiB"
        )
        if args.browser:
            if not Path(CHROMIUM).exists():
                sys.exit(f"--browser needs Chromium at {CHROMIUM}")
            say(
                f"Chromium, month view drawn, median of {args.browser_runs} runs (after a warm-up):"
            )
            for name, old in (("now", False), ("old", True)):
                times, asked, drawn = browser_render(owner, workspace, args.browser_runs, old=old)
                figures[f"browser_{name}"] = {
                    "median_ms": round(statistics.median(times)),
                    "runs_ms": [round(t) for t in times],
                    "events_asked_at_ms": round(statistics.median(asked)),
                    "events_drawn": drawn,
                }
                label = "now (busy days summarised)" if name == "now" else "old (every post sent)"
                say(
                    f"  {label}: {statistics.median(times):7.0f} ms from navigation, of which "
                    f"{statistics.median(asked):.0f} ms before the page asks for its events "
                    f"({drawn} events drawn; runs {', '.join(str(round(t)) for t in times)})"
                )
            ratio = figures["browser_old"]["median_ms"] / max(
                figures["browser_now"]["median_ms"], 1
            )
            figures["browser_speedup"] = round(ratio, 1)
            say(f"  {ratio:.1f} times faster")
        if args.json:
            print(json.dumps(figures, indent=2))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
