"""Periodic jobs the worker runs: each app registers its own in ready().

A job is a plain function with no arguments; it must be safe to run twice and
to be skipped (the database is the source of truth, not the schedule).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import close_old_connections

logger = logging.getLogger("parvis.engine")


@dataclass
class PeriodicJob:
    name: str
    every_seconds: float
    run: Callable[[], object]
    next_run: float = field(default=0.0)


_JOBS: dict[str, PeriodicJob] = {}


def register(name: str, every_seconds: float, run: Callable[[], object]) -> None:
    _JOBS[name] = PeriodicJob(name=name, every_seconds=every_seconds, run=run)


def registered() -> list[PeriodicJob]:
    return list(_JOBS.values())


def run_due(now: float | None = None) -> list[str]:
    """Run every job whose time has come; return their names."""
    now = time.monotonic() if now is None else now
    ran = []
    for job in _JOBS.values():
        if job.next_run > now:
            continue
        close_old_connections()
        try:
            job.run()
        except Exception:  # a failing job must not stop the others
            logger.exception("Periodic job %s failed", job.name)
        job.next_run = now + job.every_seconds
        ran.append(job.name)
    return ran


def run_forever(should_stop: Callable[[], bool], tick: float = 0.25) -> None:
    while not should_stop():
        run_due()
        time.sleep(tick)
