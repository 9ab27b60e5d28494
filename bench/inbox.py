"""How fast the inbox takes in webhooks, and how fast its pages answer with a million messages.

    .venv/bin/python bench/inbox.py [--events 20000] [--per-delivery 10] [--messages 1000000]
                                    [--runs 3] [--json]

Ingestion: Facebook ``page`` deliveries (``feed`` comments, each signed with
``X-Hub-Signature-256`` by the app secret) are posted over loopback by --clients
processes x --threads threads (kept-alive connections) to granian serving Parvis as in production
(--web-workers x --web-threads), which checks each signature and stores the delivery
raw before answering 200; --engines ``parvis engine`` processes read the deliveries
into messages. The web server and the engines start once, and each run waits until
they are idle (started up), as services that run all the time. One delivery in
--resend-every is sent twice, as Meta does when unsure. The rate is comments stored
per second, from the first post to the last delivery read. The bare rate is the same
message rows inserted with psycopg, one INSERT each and a commit per delivery's
worth, by as many clients. Duplicates and lost: every comment sent must be exactly
one message. The CPU the web server, the engines, PostgreSQL and the clients (while
sending) used per delivery is printed too, with the share of the machine's cores that
was busy (indicative on a shared machine). ``--ingest-only`` skips the pages.

Pages: --messages messages (COPY) in a separate workspace, then --requests
inbox list pages (varied filters and lengths), each followed by the count request
the page sends once shown (timed as its own kind, "its count"), and as many
conversation pages, timed in the server process (handler, middleware, queries,
templates).

A throwaway PostgreSQL cluster is started unless --database-url is given. With
--runs N everything is measured N times and the medians are printed; --json
prints one JSON object. ``--messages 100000`` makes a quick run.

Targets (issue 6): >= 2,000 events/s, >= 50 % of the bare loop, p95 of both pages
<= 100 ms with 1,000,000 messages, 0 duplicates, 0 lost.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path[0] = str(Path(__file__).resolve().parents[1])
from bench import inbox_ingest, inbox_pages  # noqa: E402
from bench.support import (  # noqa: E402
    ROOT,
    _group_cpu_seconds,
    free_port,
    granian_command,
    machine_cpu_seconds,
    percentile,
    postgres_cpu_seconds,
    stop_process_groups,
    throwaway_postgres,
    wait_settled,
    wait_until,
)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000, help="comments sent per run")
    parser.add_argument("--per-delivery", type=int, default=10, help="comments per delivery")
    parser.add_argument("--pages", type=int, default=20, help="Facebook Pages (channels)")
    parser.add_argument("--resend-every", type=int, default=100)
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per client process")
    parser.add_argument("--web-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--web-threads", type=int, default=4, help="threads per web worker")
    parser.add_argument("--engines", type=int, default=2, help="`parvis engine` processes")
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per page kind")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", action="store_true", help="one JSON object, nothing else")
    parser.add_argument(
        "--ingest-only", action="store_true", help="measure the ingestion only (no pages)"
    )
    return parser.parse_args()


def _environment(database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "PARVIS_META_APP_ID": "bench-app",
        "PARVIS_META_APP_SECRET": inbox_ingest.APP_SECRET,
        "PARVIS_DATA_DIR": str(ROOT / "var" / "bench"),
        "PARVIS_HTTPS": "false",
        "PARVIS_LOGIN_THROTTLING": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _setup_django(environment: dict[str, str]) -> None:
    os.environ.update(environment)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _start(command: list[str], environment: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(processes: list[subprocess.Popen]) -> None:
    stop_process_groups(processes, timeout=20)


def _web_server(port: int, args: argparse.Namespace, environment: dict[str, str]):
    command = granian_command(port, workers=args.web_workers, threads=args.web_threads)
    return _start(command, environment)


def _workspace():
    from parvis.channels.models import Channel
    from tests import factories

    owner = factories.make_user(f"bench-{secrets.token_hex(4)}@example.org")
    workspace = factories.make_workspace(f"Bench {secrets.token_hex(3)}", owner=owner)
    return owner, workspace, Channel


def _ingest_run(
    args: argparse.Namespace, base_url: str, environment: dict[str, str], services: list
) -> dict:
    from django.db import connection

    from parvis.inbox.models import InboundEvent
    from parvis.inbox.threads import Message

    _owner, workspace, channel_model = _workspace()
    channel_model.objects.filter(network="facebook").delete()
    channel_model.objects.bulk_create(
        channel_model(
            workspace=workspace, network="facebook", external_id=f"bench-page-{n}", name=f"Page {n}"
        )
        for n in range(args.pages)
    )
    plan = inbox_ingest.Plan(
        events=args.events,
        pages=args.pages,
        per_delivery=args.per_delivery,
        resend_every=args.resend_every,
        run=secrets.token_hex(4),
    )
    bodies = inbox_ingest.bodies_of(plan)
    InboundEvent.objects.all().delete()
    connection.close()
    began: list[float] = []
    web, engines = {services[0].pid}, {s.pid for s in services[1:]}
    cpu_before = _group_cpu_seconds(web), _group_cpu_seconds(engines)
    database_cpu = postgres_cpu_seconds(environment["DATABASE_URL"])
    machine = machine_cpu_seconds()
    refused, accepted_s, clients_cpu = inbox_ingest.send_all(
        base_url, bodies, args.clients, args.threads, lambda: began.append(time.perf_counter())
    )
    wait_until(
        lambda: InboundEvent.objects.filter(state="received").count() == 0,
        timeout=600,
        every=0.05,
    )
    elapsed = time.perf_counter() - began[0]
    cpu = _group_cpu_seconds(web) - cpu_before[0], _group_cpu_seconds(engines) - cpu_before[1]
    database_cpu = postgres_cpu_seconds(environment["DATABASE_URL"]) - database_cpu
    (busy, total), (busy_before, total_before) = machine_cpu_seconds(), machine
    busy, total = busy - busy_before, total - total_before
    sent = [plan.comment_id(n) for n in range(plan.events)]
    stored = list(Message.objects.filter(remote_id__in=sent).values_list("remote_id", flat=True))
    bare = inbox_ingest.bare_rate(environment["DATABASE_URL"], plan, args.clients, args.threads)
    events_per_s = plan.events / elapsed
    return {
        "events": plan.events,
        "deliveries": len(bodies),
        "refused": refused,
        "accept_s": accepted_s,
        "events_per_s": events_per_s,
        "bare_inserts_per_s": bare,
        "ratio_to_bare": events_per_s / bare if bare else 0.0,
        "duplicates": len(stored) - len(set(stored)),
        "lost": len(set(sent) - set(stored)),
        # CPU used per delivery (indicative: what the stages cost on a shared machine)
        "web_cpu_ms_per_delivery": 1000 * cpu[0] / len(bodies),
        "engine_cpu_ms_per_delivery": 1000 * cpu[1] / len(bodies),
        "postgres_cpu_ms_per_delivery": 1000 * database_cpu / len(bodies),
        "clients_cpu_ms_per_delivery": 1000 * clients_cpu / len(bodies),
        "machine_busy_share": busy / total if total else 0.0,
    }


def _pages_run(args: argparse.Namespace) -> dict:
    from parvis.accounts.models import Membership
    from tests import factories

    owner, workspace, channel_model = _workspace()
    members = [owner] + [
        factories.make_user(f"member-{n}-{secrets.token_hex(3)}@example.org") for n in range(3)
    ]
    for member in members[1:]:
        Membership.objects.create(workspace=workspace, user=member, role="editor")
    channels = channel_model.objects.bulk_create(
        channel_model(workspace=workspace, network=network, external_id=f"p-{n}", name=f"Page {n}")
        for n in range(3)
        for network in ("sandbox_facebook", "sandbox_instagram", "sandbox_x")
    )
    ids = inbox_pages.load(
        workspace=workspace, channels=channels, members=members, messages=args.messages
    )
    timings = inbox_pages.time_pages(
        workspace=workspace,
        user=owner,
        channels=channels,
        members=members,
        conversation_ids=ids,
        requests=args.requests,
    )
    return {
        "messages": args.messages,
        "conversations": len(ids),
        "inbox_p95_ms": percentile(timings["inbox"], 0.95),
        "inbox_p50_ms": percentile(timings["inbox"], 0.50),
        # The list's count, a request of its own that the list page sends once shown.
        "count_p95_ms": percentile(timings["count"], 0.95),
        "count_p50_ms": percentile(timings["count"], 0.50),
        "conversation_p95_ms": percentile(timings["conversation"], 0.95),
        "conversation_p50_ms": percentile(timings["conversation"], 0.50),
    }


def _measure(args: argparse.Namespace, database_url: str) -> dict:
    environment = _environment(database_url)
    _setup_django(environment)
    port = free_port()
    services = [_web_server(port, args, environment)]
    services += [_start([sys.executable, "-m", "parvis", "engine"], environment)
                 for _ in range(args.engines)]  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        up = wait_until(lambda: _answers(base_url), timeout=180)  # slow on a busy machine
        if not up:
            sys.exit("granian did not start: run it by hand to see why.")
        ingests = []
        for _run in range(args.runs):
            # Services start once, as in production: their start-up is not ingestion.
            wait_settled(services)
            ingests.append(_ingest_run(args, base_url, environment, services))
    finally:
        _stop(services)
    figures = {key: statistics.median(r[key] for r in ingests) for key in ingests[0]}
    figures["duplicates"] = sum(r["duplicates"] for r in ingests)
    figures["lost"] = sum(r["lost"] for r in ingests)
    figures["events_per_s_runs"] = [round(r["events_per_s"], 1) for r in ingests]
    figures["bare_per_s_runs"] = [round(r["bare_inserts_per_s"], 1) for r in ingests]
    if not args.ingest_only:
        figures.update(_pages_run(args))
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}


def _answers(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/hooks/facebook/", timeout=2).status_code == 403
    except httpx.TransportError:
        return False


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
    print(f"Inbox benchmark (PostgreSQL, granian x {args.web_workers}, {args.engines} engines)")
    print(
        f"  events           {figures['events']} comments in {figures['deliveries']} deliveries"
        f" of {args.per_delivery} (medians of {args.runs} runs)"
    )
    print(
        f"  events per s     {figures['events_per_s']}  (bare INSERT loop: "
        f"{figures['bare_inserts_per_s']}, ratio {figures['ratio_to_bare']})"
    )
    cpu = ", ".join(
        f"{part} {figures[f'{part}_cpu_ms_per_delivery']:.2f}"
        for part in ("clients", "web", "engine", "postgres")
    )
    print(f"  CPU per delivery {cpu} ms (machine busy {figures['machine_busy_share']:.0%})")
    print(f"  duplicates       {figures['duplicates']}")
    print(f"  lost             {figures['lost']}")
    if args.ingest_only:
        return
    print(f"  messages         {figures['messages']} in {figures['conversations']} conversations")
    print(f"  inbox page       p95 {figures['inbox_p95_ms']} ms (p50 {figures['inbox_p50_ms']})")
    print(f"  its count        p95 {figures['count_p95_ms']} ms (p50 {figures['count_p50_ms']})")
    print(
        f"  conversation     p95 {figures['conversation_p95_ms']} ms "
        f"(p50 {figures['conversation_p50_ms']})"
    )


if __name__ == "__main__":
    main()
