"""How fast, how punctual and how exact the publishing engine is.

    .venv/bin/python bench/publish.py [--posts 10000] [--channels 500] [--workers 4]
                                      [--latency-ms 50] [--steady RATE] [--json]

N posts are due at the same moment across the channels of the local X API v2
test server (tests/servers/x, its own process, answering after --latency-ms).
The production set-up does the work: PostgreSQL (a throwaway cluster started
here with the server's default durability, unless --database-url is given) and
--workers `parvis engine` processes. Printed: time to drain, posts per second,
lateness (published minus due) p50/p95/p99, duplicates and lost posts as the
server counts them, and the ratio to a bare client that makes the same HTTP
calls (same processes count, same concurrency per process) with no engine.

--steady RATE spreads RATE x --duration posts over time instead, one due every
1/RATE s, to measure lateness at a steady rate.

Targets (issue 4, on a 2-core machine): 10,000 drained in <= 30 s, >= 50 % of
the bare client's throughput, p99 lateness <= 2 s at a steady 20 posts/s,
0 duplicates, 0 lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx

# The project's root, not bench/, comes first (a bench module must not shadow the stdlib).
sys.path[0] = str(Path(__file__).resolve().parents[1])
from bench.support import (  # noqa: E402
    ROOT,
    percentile,
    stop_process_groups,
    throwaway_postgres,
    wait_until,
    x_test_server,
)

TERMINAL = ("published", "failed", "cancelled", "needs_attention")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4, help="`parvis engine` processes")
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--steady", type=float, default=0.0, help="posts per second over time")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds, with --steady")
    parser.add_argument("--lead", type=float, default=6.0, help="seconds before the first is due")
    parser.add_argument("--database-url", default="", help="a PostgreSQL database to use")
    parser.add_argument("--json", action="store_true", help="one JSON object, nothing else")
    return parser.parse_args()


def _environment(database_url: str, x_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "PARVIS_ENCRYPTION_KEYS": os.environ.get("PARVIS_ENCRYPTION_KEYS", ""),
        "PARVIS_PREVIEW_NETWORKS": "x",
        "PARVIS_X_API_BASE_URL": x_url,
        "PARVIS_DATA_DIR": str(ROOT / "var" / "bench"),
        "PARVIS_SANDBOX_AUDIENCE_SECONDS": "3600",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _setup_django(environment: dict[str, str]) -> None:
    os.environ.update({k: v for k, v in environment.items() if v})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(args: argparse.Namespace, start_in: float) -> tuple[list[str], list[int]]:
    """Channels of X users 1..C and the posts with their deliveries; the texts and due times."""
    from django.db import transaction
    from django.utils import timezone

    from parvis.accounts.actions import organisation_create, workspace_create
    from parvis.accounts.models import User
    from parvis.channels.actions import channel_connect
    from parvis.networks.base import ConnectedAccount
    from parvis.publishing.models import Delivery, Post, PostStatus

    owner = User.objects.create_user(f"bench-{secrets.token_hex(4)}@example.org", None)
    workspace = workspace_create(
        organisation=organisation_create(name="Bench"), name="Bench", owner=owner, language="en"
    )
    channels = []
    with transaction.atomic():
        for number in range(1, args.channels + 1):
            account = ConnectedAccount(
                external_id=str(number), name=f"Account {number}", access_token=f"user-{number}"
            )
            channels.append(
                channel_connect(
                    workspace=workspace, network_key="x", account=account, acting_user=None
                )
            )
    count = int(args.steady * args.duration) if args.steady else args.posts
    first_due = timezone.now() + timedelta(seconds=start_in)
    every = 1.0 / args.steady if args.steady else 0.0
    run = secrets.token_hex(3)
    texts = [f"Bench {run} post {n}: fresh bread at the corner bakery" for n in range(count)]
    dues = [first_due + timedelta(seconds=n * every) for n in range(count)]
    with transaction.atomic():
        posts = Post.objects.bulk_create(
            [
                Post(workspace=workspace, text=text, scheduled_at=due, status=PostStatus.SCHEDULED)
                for text, due in zip(texts, dues, strict=True)
            ],
            batch_size=2000,
        )
        through = Post.channels.through
        through.objects.bulk_create(
            [
                through(post_id=post.pk, channel_id=channels[n % len(channels)].pk)
                for n, post in enumerate(posts)
            ],
            batch_size=2000,
        )
        Delivery.objects.bulk_create(
            [
                Delivery(
                    workspace=workspace,
                    post=post,
                    channel=channels[n % len(channels)],
                    state="scheduled",
                    next_attempt_at=post.scheduled_at,
                    idempotency_key=secrets.token_hex(16),
                )
                for n, post in enumerate(posts)
            ],
            batch_size=2000,
        )
    return texts, [int(due.timestamp() * 1000) for due in dues]


def _workers(count: int, environment: dict[str, str]) -> list[subprocess.Popen]:
    env = {**os.environ, **environment}
    return [
        subprocess.Popen(
            [sys.executable, "-m", "parvis", "engine"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(count)
    ]


def _stop(processes: list[subprocess.Popen]) -> None:
    stop_process_groups(processes, timeout=20)


def _engine_run(args: argparse.Namespace, environment: dict[str, str], x_url: str) -> dict:
    from django.db import connection
    from django.db.models import Max, Min

    from parvis.publishing.models import Delivery

    texts, _dues = _seed(args, start_in=args.lead)
    connection.close()
    workers = _workers(args.workers, environment)
    total = len(texts)
    try:
        finished = wait_until(
            lambda: Delivery.objects.exclude(state__in=TERMINAL).count() == 0,
            timeout=args.lead + 600 + (args.duration if args.steady else 0),
            every=0.5,
        )
    finally:
        _stop(workers)
    rows = list(
        Delivery.objects.filter(state="published").values_list("post__scheduled_at", "published_at")
    )
    lateness = [(published - due).total_seconds() for due, published in rows]
    bounds = Delivery.objects.aggregate(first=Min("post__scheduled_at"), last=Max("published_at"))
    drain = (bounds["last"] - bounds["first"]).total_seconds() if rows else float("nan")
    stats = httpx.get(f"{x_url}/_test/stats", timeout=30).json()
    duplicates = sum(d["count"] - 1 for d in stats["duplicates"])
    on_server = stats["tweets"] - duplicates
    return {
        "finished": finished,
        "posts": total,
        "published": len(rows),
        "drain_s": drain,
        "posts_per_s": len(rows) / drain if rows and drain > 0 else 0.0,
        "lateness": lateness,
        "duplicates": duplicates,
        "lost": total - on_server,
    }


async def _bare_share(x_url: str, jobs: list[tuple[int, str]], concurrency: int) -> None:
    """POST each job's text as its user, ``concurrency`` at a time.

    httpx's pool costs more CPU per request the more connections it holds, so
    the bare client spreads its calls over small pools: the best it can do.
    """
    pools = [
        httpx.AsyncClient(base_url=x_url, limits=httpx.Limits(max_connections=8), timeout=60)
        for _ in range(max(1, concurrency // 8))
    ]
    gate = asyncio.Semaphore(concurrency)

    async def post(number: int, user: int, text: str) -> None:
        async with gate:
            response = await pools[number % len(pools)].post(
                "/2/tweets", json={"text": text}, headers={"Authorization": f"Bearer user-{user}"}
            )
            response.raise_for_status()

    try:
        await asyncio.gather(*(post(n, user, text) for n, (user, text) in enumerate(jobs)))
    finally:
        for pool in pools:
            await pool.aclose()


def _bare_process(x_url: str, jobs: list[tuple[int, str]], concurrency: int) -> None:
    asyncio.run(_bare_share(x_url, jobs, concurrency))


def _bare_run(args: argparse.Namespace, x_url: str, count: int) -> float:
    """The same calls by a client with no engine: as many processes as workers."""
    from django.conf import settings

    httpx.post(f"{x_url}/_test/reset", timeout=30)
    run = secrets.token_hex(3)
    jobs = [(n % args.channels + 1, f"Bare {run} post {n}: fresh bread") for n in range(count)]
    shares = [jobs[i :: args.workers] for i in range(args.workers)]
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    processes = [
        context.Process(
            target=_bare_process, args=(x_url, share, settings.PARVIS_PUBLISH_PER_NETWORK)
        )
        for share in shares
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return count / (time.perf_counter() - started)


def _report(result: dict, bare_rate: float, args: argparse.Namespace) -> dict:
    lateness = result["lateness"] or [float("nan")]
    return {
        "posts": result["posts"],
        "drain_s": round(result["drain_s"], 2),
        "posts_per_s": round(result["posts_per_s"], 1),
        "bare_posts_per_s": round(bare_rate, 1),
        "ratio_to_bare": round(result["posts_per_s"] / bare_rate, 3) if bare_rate else None,
        "lateness_p50_s": round(percentile(lateness, 0.50), 3),
        "lateness_p95_s": round(percentile(lateness, 0.95), 3),
        "lateness_p99_s": round(percentile(lateness, 0.99), 3),
        "duplicates": result["duplicates"],
        "lost": result["lost"],
        "mode": f"steady {args.steady}/s for {args.duration:g} s" if args.steady else "burst",
        "workers": args.workers,
        "channels": args.channels,
        "latency_ms": args.latency_ms,
        "finished": result["finished"],
    }


def main() -> None:
    args = _arguments()
    with x_test_server("--latency-ms", str(args.latency_ms)) as x_url:
        if args.database_url:
            figures = _measure(args, args.database_url, x_url)
        else:
            with throwaway_postgres() as database_url:
                figures = _measure(args, database_url, x_url)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"Publishing benchmark ({figures['mode']}, {args.workers} engine processes,")
    print(
        f"  {args.channels} X channels on the local test server answering after "
        f"{args.latency_ms} ms, PostgreSQL)"
    )
    print(f"  posts            {figures['posts']}")
    print(f"  time to drain    {figures['drain_s']} s")
    print(
        f"  posts per second {figures['posts_per_s']}  (bare client: "
        f"{figures['bare_posts_per_s']}, ratio {figures['ratio_to_bare']})"
    )
    print(
        f"  lateness         p50 {figures['lateness_p50_s']} s · p95 "
        f"{figures['lateness_p95_s']} s · p99 {figures['lateness_p99_s']} s"
    )
    print(f"  duplicates       {figures['duplicates']}")
    print(f"  lost             {figures['lost']}")


def _measure(args: argparse.Namespace, database_url: str, x_url: str) -> dict:
    environment = _environment(database_url, x_url)
    _setup_django(environment)
    environment["PARVIS_ENCRYPTION_KEYS"] = ",".join(_keys())
    result = _engine_run(args, environment, x_url)
    bare_rate = _bare_run(args, x_url, result["posts"])
    return _report(result, bare_rate, args)


def _keys() -> list[str]:
    from django.conf import settings

    return list(settings.PARVIS_ENCRYPTION_KEYS)


if __name__ == "__main__":
    main()
