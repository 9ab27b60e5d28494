"""Crash test against X: workers killed with SIGKILL while they publish to another process.

The X API v2 test server (``tests/servers/x``) runs as its own process, with latency,
some 503s and lost answers (the post is made, then the connection is dropped). Real
worker processes (``parvis engine``) publish a burst to it through the X connector and
are killed at random moments; their leases are then expired (as time would), and a new
worker starts. In the end every post exists exactly once on the server.

The server is told to accept duplicate posts (``--allow-duplicates``): real X would
refuse the second one with 403 "duplicate content", which would hide a duplicate as a
failed delivery. Here only the engine's verification stands between a lost answer and
a second post, and a duplicate is counted by the server.
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
from parvis.channels.models import Channel
from parvis.networks.base import ConnectedAccount
from parvis.publishing.actions import post_schedule
from parvis.publishing.models import Delivery, Post
from tests.networks.x.conftest import XServer, start_server

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = 5
POSTS = 60  # across the channels: 12 each
TERMINAL = {"published", "failed", "cancelled"}
KILLS = 6  # workers killed while they publish
KILLING_S = 30  # at most this long killing; then a last worker finishes the burst
DEADLINE_S = 55


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _worker(data_dir: Path, x_api: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PARVIS_"))}
    env.update(
        DATABASE_URL=_database_url(),
        SECRET_KEY=settings.SECRET_KEY,  # the tokens were encrypted with it
        PARVIS_ENCRYPTION_KEYS=",".join(settings.PARVIS_ENCRYPTION_KEYS),
        PARVIS_DEBUG="true",
        PARVIS_DATA_DIR=str(data_dir),
        PARVIS_X_API_BASE_URL=x_api,
    )
    log = (data_dir / "workers.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "parvis", "engine"], cwd=ROOT, env=env, stdout=log, stderr=log
    )


@pytest.fixture
def flaky_x():
    process, port = start_server(
        "--latency-ms",
        "100",
        "--lost-rate",
        "0.2",
        "--fail-rate",
        "0.05",
        "--allow-duplicates",
        "--seed",
        "20261125",
    )
    server = XServer(process, port)
    try:
        yield server
    finally:
        server.http.close()
        process.kill()
        process.wait(timeout=10)


def _pending() -> int:
    pending = Delivery.objects.exclude(state__in=TERMINAL).count()
    connection.close()
    return pending


def _time_passes(*, leases: bool = True) -> None:
    """As time would: waits are over and (after a kill) the dead worker's leases expire."""
    waiting = Delivery.objects.exclude(state__in=TERMINAL).filter(
        next_attempt_at__gt=timezone.now()
    )
    if leases:
        waiting = Delivery.objects.exclude(state__in=TERMINAL)
        waiting.update(locked_until=None)
    waiting.update(next_attempt_at=timezone.now())
    connection.close()


def _requests(server: XServer) -> int:
    return server.stats()["counters"].get("requests", 0)


def _wait_until_it_calls_x(worker: subprocess.Popen, server: XServer, most_s: float = 10) -> None:
    """Return once the new worker has made a call to X (or has exited, or time is up)."""
    before, until = _requests(server), time.monotonic() + most_s
    while time.monotonic() < until and worker.poll() is None and _requests(server) == before:
        time.sleep(0.05)


def _x_channels(workspace, server: XServer) -> list[Channel]:
    channels = []
    for number in range(CHANNELS):
        ref = server.new_channel(username=f"fournil{number}")
        account = ConnectedAccount(
            external_id=ref.external_id,
            name=f"Fournil {number}",
            handle=f"fournil{number}",
            access_token=ref.access_token,
            options=dict(ref.options),
        )
        channels.append(
            channel_connect(workspace=workspace, network_key="x", account=account, acting_user=None)
        )
    return channels


@pytest.mark.django_db(transaction=True)
def test_killed_workers_never_lose_or_duplicate_a_post_on_x(
    workspace, tmp_path, flaky_x, x_registered
):
    channels = _x_channels(workspace, flaky_x)
    for number in range(POSTS):
        # Every third post is a thread: its second part answers the first.
        thread = [f"La suite de la fournée {number}"] if number % 3 == 0 else []
        post = Post.objects.create(
            workspace=workspace, text=f"Fournée X numéro {number} 🥖", thread_parts=thread
        )
        channel = channels[number % CHANNELS]
        post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=None)
    connection.close()  # let the workers have the database

    rng = random.Random(20261126)
    started = time.monotonic()
    kills, deadline = 0, started + DEADLINE_S
    # Kill workers while they publish, then let the last one restart and finish.
    while kills < KILLS and time.monotonic() < started + KILLING_S and _pending():
        worker = _worker(tmp_path, flaky_x.base_url)
        try:
            _wait_until_it_calls_x(worker, flaky_x)  # Django boots first: kill it while it works
            worker.wait(timeout=rng.uniform(0.0, 1.5))
        except subprocess.TimeoutExpired:
            kills += 1  # still working: killed below
        finally:
            if worker.poll() is None:  # killed mid-work, and never left behind if the test fails
                worker.send_signal(signal.SIGKILL)
                worker.wait()
        _time_passes()
    last = _worker(tmp_path, flaky_x.base_url)
    try:
        while time.monotonic() < deadline and _pending():
            time.sleep(0.5)
            _time_passes(leases=False)  # a 503's backoff is over at once; the lease stands
    finally:
        last.send_signal(signal.SIGKILL)
        last.wait()
    duration = time.monotonic() - started

    stats = flaky_x.stats()
    log = (tmp_path / "workers.log").read_text(errors="replace")[-3000:]
    details = list(
        Delivery.objects.exclude(state="published").values_list(
            "state", "attempts", "last_error_detail"
        )[:5]
    )
    assert stats["duplicates"] == [], (stats["duplicates"], stats["counters"])
    expected = Delivery.objects.count()
    assert expected == POSTS + len(range(0, POSTS, 3))
    states = list(Delivery.objects.values_list("state", flat=True))
    assert states.count("published") == expected, (details, stats["counters"], log)
    assert stats["tweets"] == expected, stats  # none lost, none extra
    for delivery in Delivery.objects.select_related("channel", "follows"):
        (tweet,) = flaky_x.tweets(delivery.channel.external_id, delivery.text)
        assert tweet["id"] == delivery.remote_id
        assert not tweet["deleted"]
        # A thread's part answers the post it continues, on the network too.
        wanted = delivery.follows.remote_id if delivery.follows else ""
        assert tweet["in_reply_to_id"] == wanted
    counters = stats["counters"]
    print(
        f"crash test (X): {POSTS} posts ({expected} tweets with threads) on {CHANNELS} "
        f"channels, {kills} workers killed, "
        f"{duration:.1f} s, lost answers {counters.get('lost', 0)}, "
        f"503s {counters.get('status_503', 0)}, duplicates 0"
    )
    assert counters.get("lost", 0) > 0  # answers were lost: verification had work to do
    assert kills >= 2  # the test did kill workers mid-burst
