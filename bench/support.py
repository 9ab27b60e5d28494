"""What the benchmarks share: a throwaway PostgreSQL server and the X test server.

Both run as their own processes, started here and stopped when the benchmark ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def granian_command(port: int, *, workers: int, threads: int) -> list[str]:
    """Parvis under granian, as docs/deployment.md runs it (WSGI, no websockets)."""
    return [
        sys.executable, "-m", "granian", "config.wsgi:application", "--interface", "wsgi",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--blocking-threads", str(threads), "--no-ws", "--log-level", "warning",
    ]  # fmt: skip


def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        sys.exit("PostgreSQL is not installed: run scripts/install-test-deps (make test does).")
    return versions[-1]


def _as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root: the cluster belongs to the postgres user.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL cluster of its own, with the server's default durability; its URL."""
    pg_bin, work = _pg_bin(), Path(tempfile.mkdtemp(prefix="parvis-bench-pg."))
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    port, data = free_port(), work / "data"
    subprocess.run(
        _as_postgres(
            [
                str(pg_bin / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(
        _as_postgres(
            [
                str(pg_bin / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(work / "server.log"),
                "-w",
                "-o",
                options,
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def x_test_server(*arguments: str) -> Iterator[str]:
    """The local X API v2 server (tests/servers/x) in its own process; its base URL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.servers.x", "--port", "0", *arguments],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = int(server.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def wait_until(condition, *, timeout: float, every: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def _group_cpu_seconds(groups: set[int]) -> float:
    """CPU seconds used so far by every process of these process groups (Linux /proc)."""
    used = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat_fields(stat)
        if fields and int(fields[2]) in groups:  # pgrp; then utime and stime, in ticks
            used += int(fields[11]) + int(fields[12])
    return used / os.sysconf("SC_CLK_TCK")


def _stat_fields(stat: Path) -> list[str] | None:
    try:
        return stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None  # gone meanwhile


def machine_cpu_seconds() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine so far, all cores (/proc/stat)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    hertz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / hertz, sum(ticks) / hertz


def postgres_cpu_seconds(database_url: str) -> float:
    """CPU seconds used so far by the PostgreSQL server of this URL (its postmaster,
    found by its port, and the postmaster's children: backends, WAL writer...)."""
    port = database_url.rsplit(":", 1)[1].split("/")[0]
    postmaster = None
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if words and words[0].endswith(b"postgres") and f"-p {port}".encode() in b" ".join(words):
            postmaster = cmdline.parent.name
    if postmaster is None:
        return 0.0
    used = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat_fields(stat)
        if fields and (stat.parent.name == postmaster or fields[1] == postmaster):
            used += int(fields[11]) + int(fields[12])
    return used / os.sysconf("SC_CLK_TCK")


def wait_settled(
    processes: list[subprocess.Popen], *, busy: float = 0.2, timeout: float = 120
) -> bool:
    """Wait until these services (each the leader of its process group, children
    included) use less than ``busy`` of a core over a second: started up (imports,
    workers booted) and idle, so their start-up is not counted in what is timed."""
    groups = {process.pid for process in processes}
    deadline = time.monotonic() + timeout
    before = _group_cpu_seconds(groups)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = _group_cpu_seconds(groups)
        if now - before < busy:
            return True
        before = now
    return False


def stop_process_groups(processes: list[subprocess.Popen], *, timeout: float = 15) -> None:
    """SIGTERM each process's group (started with ``start_new_session``), SIGKILL the slow."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
