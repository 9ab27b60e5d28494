"""The runner: claims due rows, runs their state's handler, writes the outcome.

Claiming (ARCHITECTURE rule): one short transaction takes due rows and sets
their lease (``locked_until``). On PostgreSQL it uses ``SELECT ... FOR UPDATE
SKIP LOCKED``, so workers on several machines never take the same row; on
SQLite the transaction is ``BEGIN IMMEDIATE`` (settings), which serialises
claims. A handler runs outside any transaction. Its outcome is written with
a compare-and-swap on the lease: a worker whose lease expired (and whose row
was taken over) cannot overwrite the newer work.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from parvis.engine.graph import State
from parvis.engine.models import StateMachineModel

logger = logging.getLogger("parvis.engine")

BACKOFF_BASE_S = 10.0
BACKOFF_CAP_S = 3600.0


@dataclass
class Move:
    """What a handler decided. ``to=None`` stays in the state and tries again."""

    to: State | str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    retry_at: datetime | None = None
    error: str = ""
    error_detail: str = ""


def backoff(attempts: int, *, base: float = BACKOFF_BASE_S, cap: float = BACKOFF_CAP_S) -> float:
    """Seconds before the next try: exponential, capped, with 'full jitter' in [half, all]."""
    ceiling = min(cap, base * (2 ** max(0, attempts - 1)))
    return random.uniform(ceiling / 2, ceiling)


def due_filter(model: type[StateMachineModel], now: datetime) -> Q:
    automatic = [s.name for s in model.graph.automatic_states]
    unlocked = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    return Q(state__in=automatic, next_attempt_at__lte=now) & unlocked


def claim(
    model: type[StateMachineModel], *, limit: int = 50, now: datetime | None = None
) -> list[StateMachineModel]:
    """Take up to ``limit`` due rows and lease them to this worker."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = model._base_manager.filter(due_filter(model, now)).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        claimed = list(rows[:limit])
        by_lease: dict[float, list[int]] = {}
        for row in claimed:
            by_lease.setdefault(row.state_object.lease, []).append(row.pk)
        for lease, pks in by_lease.items():
            locked_until = now + timedelta(seconds=lease)
            model._base_manager.filter(pk__in=pks).update(locked_until=locked_until)
            for row in claimed:
                if row.pk in pks:
                    row.locked_until = locked_until
    return claimed


def checkpoint(row: StateMachineModel, **fields: Any) -> bool:
    """Commit fields now, while holding the lease (e.g. before a non-repeatable call)."""
    with transaction.atomic():
        held = _guarded(row).update(**fields)
    if held:
        for name, value in fields.items():
            setattr(row, name, value)
    return bool(held)


def _guarded(row: StateMachineModel):
    return type(row)._base_manager.filter(pk=row.pk, state=row.state, locked_until=row.locked_until)


def _outcome_values(row: StateMachineModel, move: Move, now: datetime) -> dict[str, Any]:
    values = row.transition_values(move.to or row.state_object, now=now)
    if move.to is None or values["state"] == row.state:
        values["attempts"] = row.attempts + 1
    if move.retry_at is not None:
        values["next_attempt_at"] = move.retry_at
    if move.error or move.to is None:
        values["last_error"] = move.error
        values["last_error_detail"] = move.error_detail
    if values["state"] != row.state and not move.error:
        values["last_error"] = ""
        values["last_error_detail"] = ""
    values.update(move.fields)
    values["locked_until"] = None
    return values


def run_row(row: StateMachineModel) -> bool:
    """Run the handler of the row's state and write its outcome; False if the lease was lost."""
    handler = getattr(row, row.state_object.handler_name)
    try:
        result = handler()
        move = result if isinstance(result, Move) else Move(to=result)
        values = _outcome_values(row, move, timezone.now())
    except Exception as error:  # a bug (or an illegal move) must not lose the row: retry later
        logger.exception("%s %s: handler %s failed", type(row).__name__, row.pk, row.state)
        move = Move(
            retry_at=timezone.now() + timedelta(seconds=backoff(row.attempts + 1)),
            error="An unexpected error occurred; Parvis will try again.",
            error_detail=f"{type(error).__name__}: {error}",
        )
        values = _outcome_values(row, move, timezone.now())
    with transaction.atomic():
        written = _guarded(row).update(**values)
    if not written:
        logger.warning("%s %s: lease lost; outcome dropped", type(row).__name__, row.pk)
        return False
    previous = row.state
    for name, value in values.items():
        setattr(row, name, value)
    if row.state != previous:
        _after_transition(row, previous)
    return True


def _after_transition(row: StateMachineModel, previous: str) -> None:
    """Let the model react to a move it made (e.g. update its parent's summary)."""
    hook = getattr(row, "after_transition", None)
    if hook is None:
        return
    try:
        hook(previous)
    except Exception:  # the move is saved; a failing reaction must not undo or stop it
        logger.exception("%s %s: after_transition failed", type(row).__name__, row.pk)


def run_once(model: type[StateMachineModel], *, limit: int = 50) -> int:
    """Claim a batch of due rows and work through them; return how many ran."""
    rows = claim(model, limit=limit)
    for row in rows:
        run_row(row)
    return len(rows)
