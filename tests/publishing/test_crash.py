"""Crash test: workers killed with SIGKILL at random moments while they publish.

Real worker processes (`parvis engine`) share the test database and publish a
burst to the Sandbox network, with its latency, transient errors, rate limits
and lost answers turned up. Each is killed at a random moment. Killed workers'
leases are then expired (as time would), and a new worker starts. In the end
every post exists exactly once on the network: none lost, none twice. The
Sandbox, like Facebook, Instagram and X, has no idempotency key, so only the
engine's verification stands between a lost answer and a duplicate.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from parvis.channels.actions import channel_connect
from parvis.networks import registry
from parvis.networks.sandbox.models import SandboxPost
from parvis.publishing.actions import post_schedule
from parvis.publishing.models import Delivery, Post

ROOT = Path(__file__).resolve().parents[2]
POSTS = 20
TERMINAL = {"published", "failed", "cancelled"}
KILLS = 8
KILLING_S = 120
DEADLINE_S = 300
RUNNING = b"Engine running"


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _worker(data_dir: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PARVIS_"))}
    env.update(
        DATABASE_URL=_database_url(),
        SECRET_KEY=settings.SECRET_KEY,  # the tokens were encrypted with it
        PARVIS_ENCRYPTION_KEYS=",".join(settings.PARVIS_ENCRYPTION_KEYS),
        PARVIS_DEBUG="true",
        PARVIS_DATA_DIR=str(data_dir),
        PARVIS_SANDBOX_LATENCY_MS="100,400",
        PARVIS_SANDBOX_FAILURE_RATE="0.1",
        PARVIS_SANDBOX_RATE_LIMIT_RATE="0.05",
        PARVIS_SANDBOX_LOST_RESPONSE_RATE="0.2",
        PARVIS_SANDBOX_AUDIENCE_SECONDS="3600",
        PYTHONUNBUFFERED="1",  # "Engine running" reaches the log at once
    )
    log = (data_dir / "workers.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "parvis", "engine"], cwd=ROOT, env=env, stdout=log, stderr=log
    )


def _pending() -> int:
    pending = Delivery.objects.exclude(state__in=TERMINAL).count()
    connection.close()
    return pending


def _time_passes(*, leases: bool = True) -> None:
    """As time would: waits are over and (after a kill) the dead worker's leases expire."""
    fields = {"next_attempt_at": timezone.now()} | ({"locked_until": None} if leases else {})
    Delivery.objects.exclude(state__in=TERMINAL).update(**fields)
    connection.close()


def _wait_until_it_runs(worker: subprocess.Popen, data_dir: Path, most_s: float = 60) -> None:
    """Return once the new worker says it runs (or has exited, or time is up): on a busy
    machine Django may take seconds to boot, and a kill before that tests nothing."""
    log = data_dir / "workers.log"
    before = log.read_bytes().count(RUNNING)
    until = time.monotonic() + most_s
    while time.monotonic() < until and worker.poll() is None:
        if log.read_bytes().count(RUNNING) > before:
            return
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_killed_workers_never_lose_or_duplicate_a_post(workspace, tmp_path):
    # Synchronous on purpose: after the browser tests, this thread has an event loop.
    account = registry.get("sandbox_x").ensure_account(
        external_id="crash-test", name="Crash test", handle="crashtest"
    )
    channel = channel_connect(
        workspace=workspace, network_key="sandbox_x", account=account, acting_user=None
    )
    for number in range(POSTS):
        post = Post.objects.create(workspace=workspace, text=f"Fournée numéro {number}")
        post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=None)
    connection.close()  # let the workers have the database

    rng = random.Random(20261125)
    started, kills = time.monotonic(), 0
    # Kill workers while they publish, then let the last one finish.
    while kills < KILLS and time.monotonic() < started + KILLING_S and _pending():
        worker = _worker(tmp_path)
        try:
            _wait_until_it_runs(worker, tmp_path)  # Django boots first: kill it while it works
            worker.wait(timeout=rng.uniform(0.2, 2.5))
        except subprocess.TimeoutExpired:
            kills += 1  # still working: killed below
        finally:
            if worker.poll() is None:  # killed mid-work, and never left behind if the test fails
                worker.send_signal(signal.SIGKILL)
                worker.wait()
        _time_passes()
    last = _worker(tmp_path)
    try:
        while time.monotonic() < started + DEADLINE_S and _pending():
            time.sleep(0.5)
            _time_passes(leases=False)  # waits are over at once; the lease stands
    finally:
        last.send_signal(signal.SIGKILL)
        last.wait()

    states = list(Delivery.objects.values_list("state", flat=True))
    details = list(Delivery.objects.values_list("state", "attempts", "last_error_detail"))[:5]
    log = (tmp_path / "workers.log").read_text(errors="replace")[-3000:]
    assert states.count("published") == POSTS, (details, log)
    on_network = list(SandboxPost.objects.values_list("text", flat=True))
    assert sorted(on_network) == sorted(Post.objects.values_list("text", flat=True))  # once each
    for delivery in Delivery.objects.select_related("post"):
        assert SandboxPost.objects.get(text=delivery.post.text).remote_id == delivery.remote_id
    print(f"crash test: {POSTS} posts, {kills} workers killed, all published once")
    assert kills >= 2  # the test did kill workers mid-burst
