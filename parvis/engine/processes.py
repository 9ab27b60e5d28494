"""Run several child processes as one group: Ctrl-C or SIGTERM stops them all.

Used by `parvis run` (web + worker) and `parvis worker` (task worker + engine).
If one child dies, the others are stopped and the group exits with its code,
so a supervisor (systemd, a container runtime) sees the failure.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    process: subprocess.Popen | None = None


def django_command(*args: str) -> list[str]:
    """argv that runs a Django management command with this interpreter."""
    return [sys.executable, "-m", "parvis", *args]


def run_group(children: list[Child], *, grace_seconds: float = 10.0) -> int:
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for child in children:
            child.process = subprocess.Popen(child.argv, env=os.environ.copy())
        exit_code = 0
        while not stopping:
            for child in children:
                code = child.process.poll() if child.process else None
                if code is not None:
                    print(
                        f"parvis: {child.name} stopped (exit code {code}); stopping the others.",
                        file=sys.stderr,
                    )
                    exit_code = code or 1
                    stopping = True
                    break
            time.sleep(0.2)
        _terminate(children, grace_seconds)
        return exit_code
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _terminate(children: list[Child], grace_seconds: float) -> None:
    running = [c.process for c in children if c.process and c.process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
