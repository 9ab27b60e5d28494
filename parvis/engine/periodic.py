"""Periodic jobs the worker runs: each app registers its own in ready().

A job is a plain function with no arguments; it must be safe to run twice and
to be skipped (the database is the source of truth, not the schedule).

A job registered ``again_while_working`` (the engine's drains) runs again at once
while it finds work (returns a count above 0) and waits its period only once it
found none: rows that arrive while a batch runs are taken as soon as it ends,
instead of waiting for the next quarter of a second with the cores idle.
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
    again_while_working: bool = False


_JOBS: dict[str, PeriodicJob] = {}


def register(
    name: str, every_seconds: float, run: Callable[[], object], *, again_while_working=False
) -> None:
    _JOBS[name] = PeriodicJob(name, every_seconds, run, again_while_working=again_while_working)


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
        found = None
        try:
            found = job.run()
        except Exception:  # a failing job must not stop the others
            logger.exception("Periodic job %s failed", job.name)
        working = job.again_while_working and isinstance(found, int) and found > 0
        job.next_run = now if working else now + job.every_seconds
        ran.append(job.name)
    return ran


def run_forever(should_stop: Callable[[], bool], tick: float = 0.25) -> None:
    while not should_stop():
        run_due()
        soonest = min((job.next_run for job in _JOBS.values()), default=0.0)
        time.sleep(max(0.0, min(tick, soonest - time.monotonic())))
