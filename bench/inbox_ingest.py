"""The ingestion half of bench/inbox.py: signed Facebook deliveries over HTTP, then a bare loop.

Client processes (spawned, several threads each, one kept-alive connection per thread) post
Meta ``page`` deliveries signed with ``X-Hub-Signature-256`` to the web server;
``parvis engine`` processes read them into messages. The bare loop inserts the same
message rows with psycopg, one INSERT per row, committed per delivery, from as many
processes and threads: what PostgreSQL alone does with the same rows.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

APP_SECRET = "bench-app-secret"
POSTS_PER_PAGE = 50
JSON = "application/json"


@dataclass(frozen=True)
class Plan:
    """What the clients send: ``events`` comments in deliveries of ``per_delivery``."""

    events: int
    pages: int
    per_delivery: int
    resend_every: int  # every Nth delivery is sent twice (Meta retries); 0: none
    run: str

    def comment_id(self, number: int) -> str:
        return f"{self.run}_c{number}"

    def page_id(self, number: int) -> str:
        return f"bench-page-{number % self.pages}"

    def deliveries(self) -> Iterator[list[int]]:
        for start in range(0, self.events, self.per_delivery):
            yield list(range(start, min(start + self.per_delivery, self.events)))

    def body(self, numbers: list[int]) -> bytes:
        """One ``page`` delivery: an entry per page, a ``feed`` change per comment."""
        entries: dict[str, list[dict]] = {}
        now = int(time.time())
        for number in numbers:
            page = self.page_id(number)
            post = f"{page}_{number // self.pages % POSTS_PER_PAGE}"
            entries.setdefault(page, []).append(
                {
                    "field": "feed",
                    "value": {
                        "item": "comment",
                        "verb": "add",
                        "post_id": post,
                        "comment_id": self.comment_id(number),
                        "parent_id": post,
                        "message": f"Comment {number}: is the bakery open on Sunday morning?",
                        "from": {
                            "id": f"person-{number % 5000}",
                            "name": f"Person {number % 5000}",
                        },
                        "created_time": now,
                    },
                }
            )
        payload = {
            "object": "page",
            "entry": [
                {"id": page, "time": now, "changes": changes} for page, changes in entries.items()
            ],
        }
        return json.dumps(payload, separators=(",", ":")).encode()


def _send_share(base_url: str, bodies: list[bytes], failures: list[int]) -> None:
    """Post each body on one kept-alive connection (the standard library's client: the
    load generator shares the machine's cores with the server it measures, and httpx
    cost 3 ms of CPU per delivery, more than the web server itself)."""
    from parvis.networks.meta.webhooks import SIGNATURE_HEADER, signature

    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    for body in bodies:
        headers = {SIGNATURE_HEADER: signature(body, APP_SECRET), "Content-Type": JSON}
        for _attempt in range(5):  # a delivery refused or lost is sent again, as Meta does
            try:
                connection.request("POST", "/hooks/facebook/", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    break
            except (OSError, http.client.HTTPException):
                connection.close()  # opened again by the next request
            time.sleep(0.2)
        else:
            failures.append(1)
    connection.close()


def _send_process(base_url: str, bodies: list[bytes], threads: int, failed, cpu, ready, go) -> None:
    import parvis.networks.meta.webhooks  # noqa: F401  (imported before the timing starts)

    failures: list[int] = []
    began = time.process_time()  # waiting for go costs none: the CPU of sending only
    _threads_after_start(
        [(_send_share, (base_url, bodies[i::threads], failures)) for i in range(threads)],
        ready,
        go,
    )
    with failed.get_lock():
        failed.value += len(failures)
    with cpu.get_lock():
        cpu.value += time.process_time() - began


def _threads_after_start(jobs: list[tuple], ready, go) -> None:
    """Run the jobs in threads once the parent says go (imports and start-up not timed)."""
    failed: list[BaseException] = []

    def guarded(target, args) -> None:
        try:
            target(*args)
        except BaseException as error:  # reported by the process's exit code, not ignored
            failed.append(error)
            raise

    workers = [threading.Thread(target=guarded, args=job) for job in jobs]
    ready.release()
    go.wait()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failed:
        raise SystemExit(f"{len(failed)} thread(s) failed: {failed[0]!r}")


def _processes_timed(target, shares: list[tuple], on_go=None) -> float:
    """Start a spawned process per share, then time them from go to the last one's end."""
    context = multiprocessing.get_context("spawn")
    ready, go = context.Semaphore(0), context.Event()
    started = [context.Process(target=target, args=(*share, ready, go)) for share in shares]
    for process in started:
        process.start()
    for _process in started:
        while not ready.acquire(timeout=1):
            if any(p.exitcode not in (None, 0) for p in started):
                raise SystemExit("A client process failed before starting: see its error above.")
    began = time.perf_counter()
    if on_go is not None:
        on_go()
    go.set()
    for process in started:
        process.join()
    elapsed = time.perf_counter() - began
    if any(process.exitcode != 0 for process in started):
        raise SystemExit("A benchmark process failed: see its error above; no figure is printed.")
    return elapsed


def bodies_of(plan: Plan) -> list[bytes]:
    bodies = []
    for number, delivery in enumerate(plan.deliveries()):
        body = plan.body(delivery)
        bodies.append(body)
        if plan.resend_every and number % plan.resend_every == plan.resend_every - 1:
            bodies.append(body)
    return bodies


def send_all(
    base_url: str, bodies: list[bytes], processes: int, threads: int, on_go
) -> tuple[int, float, float]:
    """Post every body from ``processes`` x ``threads`` clients; the count never accepted,
    the seconds taken and the clients' CPU seconds sending. ``on_go()`` is called when
    the clients start."""
    context = multiprocessing.get_context("spawn")
    failed, cpu = context.Value("i", 0), context.Value("d", 0.0)
    shares = [(base_url, bodies[i::processes], threads, failed, cpu) for i in range(processes)]
    seconds = _processes_timed(_send_process, shares, on_go)
    return failed.value, seconds, cpu.value


# The bare loop -------------------------------------------------------------------------

MESSAGE_COLUMNS = (
    "workspace_id, conversation_id, channel_id, remote_id, kind, direction, author_id, text, "
    "created_at, in_reply_to_remote_id, url, raw, hidden, received_at, language, sentiment, "
    "intent, liked"
)


def _bare_share(dsn: str, groups: list[list[tuple]]) -> None:
    import psycopg

    placeholders = ", ".join(["%s"] * len(MESSAGE_COLUMNS.split(",")))
    with psycopg.connect(dsn) as connection:
        for group in groups:
            with connection.transaction(), connection.cursor() as cursor:
                for row in group:
                    cursor.execute(
                        f"INSERT INTO inbox_message ({MESSAGE_COLUMNS}) VALUES ({placeholders})",
                        row,
                    )


def _bare_process(dsn: str, groups: list[list[tuple]], threads: int, ready, go) -> None:
    jobs = [(_bare_share, (dsn, groups[i::threads])) for i in range(threads)]
    _threads_after_start(jobs, ready, go)


def bare_rate(dsn: str, plan: Plan, processes: int, threads: int) -> float:
    """Insert a copy of each stored message (new remote id) the bare way; rows per second."""
    from parvis.inbox.threads import Message

    run_ids = [plan.comment_id(n) for n in range(plan.events)]
    now = datetime.now(UTC)
    rows = [
        (
            m.workspace_id,
            m.conversation_id,
            m.channel_id,
            m.remote_id + "-bare",
            m.kind,
            m.direction,
            m.author_id,
            m.text,
            m.created_at,
            m.in_reply_to_remote_id,
            m.url,
            json.dumps(m.raw),
            m.hidden,
            now,
            m.language,
            m.sentiment,
            m.intent,
            m.liked,
        )
        for m in Message.objects.filter(remote_id__in=run_ids).order_by("id").iterator(2000)
    ]
    groups = [rows[i : i + plan.per_delivery] for i in range(0, len(rows), plan.per_delivery)]
    shares = [(dsn, groups[i::processes], threads) for i in range(processes)]
    elapsed = _processes_timed(_bare_process, shares)
    Message.objects.filter(remote_id__endswith="-bare").delete()
    return len(rows) / elapsed if elapsed > 0 else 0.0
