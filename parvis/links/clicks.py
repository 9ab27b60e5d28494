"""Counting clicks cheaply: a small buffer per server process, written in batches.

The redirect answers at once and hands the click to ``record``; the buffer is
written in one INSERT when it holds ``PARVIS_CLICK_BATCH`` clicks, or by a
background thread at most ``PARVIS_CLICK_FLUSH_MS`` after its first click,
and when the process exits normally (a gunicorn worker restarting or stopping).

Crash window: the clicks of the last ``PARVIS_CLICK_FLUSH_MS`` (at most
``PARVIS_CLICK_BATCH`` per process) are lost if the process is killed without
exiting (SIGKILL, out of memory, a gunicorn worker timeout) or if the database
refuses the insert (logged with the number of clicks lost). With
``PARVIS_CLICK_FLUSH_MS=0`` (the tests' setting) every click is written before the redirect
answers: nothing is buffered, at the cost of one INSERT per request.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections, connection

from parvis.links.actions import clicks_store

logger = logging.getLogger(__name__)

ClickRow = tuple[int, int, datetime, str, bool]

_lock = threading.Lock()
_pending: list[ClickRow] = []
_flusher_pid: int | None = None
_wake = threading.Event()


def record(click: ClickRow) -> None:
    """Keep one click; written now (no buffering) or with the next batch."""
    if settings.PARVIS_CLICK_FLUSH_SECONDS <= 0:
        clicks_store(clicks=[click])
        return
    with _lock:
        _pending.append(click)
        full = len(_pending) >= settings.PARVIS_CLICK_BATCH
        _start_flusher()
    if full:
        _wake.set()


def flush() -> int:
    """Write the buffered clicks now; the number written."""
    with _lock:
        batch = _pending[:]
        _pending.clear()
    if not batch:
        return 0
    try:
        return clicks_store(clicks=batch)
    except Exception:
        logger.exception("%d clicks could not be stored and are lost", len(batch))
        return 0


def _start_flusher() -> None:
    """One flushing thread per process, started after gunicorn forks (called with the lock)."""
    global _flusher_pid
    if _flusher_pid == os.getpid():
        return
    _flusher_pid = os.getpid()
    threading.Thread(target=_flush_loop, name="parvis-click-flusher", daemon=True).start()


def _flush_loop() -> None:
    while True:
        _wake.wait(timeout=settings.PARVIS_CLICK_FLUSH_SECONDS)
        _wake.clear()
        close_old_connections()
        flush()


def _flush_at_exit() -> None:
    if _pending:
        flush()
        connection.close()


atexit.register(_flush_at_exit)
