"""The runner: claims due rows, runs their state's handler, writes the outcome.

Network calls run concurrently: a handler that must call a network returns a
``Call`` (the coroutine to await, what to do with its answer, and the limits
it counts against) instead of waiting itself. The calls of a batch are made in
waves: a wave holds no more calls of a key than its limit (e.g. one per
channel, a hundred per network); its calls are prepared (attempts committed),
made together on one event loop, and their outcomes written in one
transaction, then the model reacts to the wave's moves at once.

Claiming (ARCHITECTURE rule): one short transaction takes due rows and sets
their lease (``locked_until``). On PostgreSQL it uses ``SELECT ... FOR UPDATE
SKIP LOCKED``, so workers on several machines never take the same row; on
SQLite the transaction is ``BEGIN IMMEDIATE`` (settings), which serialises
claims. A handler runs outside any transaction. Its outcome is written with
a compare-and-swap on the lease: a worker whose lease expired (and whose row
was taken over) cannot overwrite the newer work.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from asgiref.sync import async_to_sync
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.core.bulk import rows_update
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


@dataclass
class Call:
    """A network call a handler asks the runner to make.

    ``then(result, error)`` runs after it (in the runner's thread, so it may
    use the database) and returns the move. ``limits`` are ``(key, most at
    once)`` pairs, e.g. ``("channel:12", 1)``.
    """

    make: Callable[[], Awaitable[Any]]
    then: Callable[[Any, BaseException | None], Any]
    limits: tuple[tuple[str, int], ...] = ()
    # Runs just before the call, once its turn has come: the fields it returns are
    # committed (with a renewed lease) before the call is made. If the row's lease
    # was lost meanwhile, nothing is written and the call is not made.
    prepare: Callable[[], dict[str, Any]] | None = None


def backoff(attempts: int, *, base: float = BACKOFF_BASE_S, cap: float = BACKOFF_CAP_S) -> float:
    """Seconds before the next try: exponential, capped, with 'full jitter' in [half, all]."""
    ceiling = min(cap, base * (2 ** max(0, attempts - 1)))
    return random.uniform(ceiling / 2, ceiling)


def retry_or_give_up(
    *,
    error: Exception,
    attempts: int,
    most: int,
    retrying: State,
    failed: State,
    fields: dict[str, Any] | None = None,
) -> Move:
    """After trouble worth retrying (``error`` has ``user_message``, maybe ``retry_at``):
    try again after a backoff (or when the network said), or fail once ``most``
    attempts are used. ``fields`` are written with either move."""
    reason = str(getattr(error, "user_message", error))
    detail = getattr(error, "detail", "") or repr(error)
    fields = dict(fields or {})
    if attempts + 1 >= most:
        reason = _("%(reason)s Parvis gave up after %(count)d attempts.") % {
            "reason": reason,
            "count": most,
        }
        return Move(to=failed, error=reason, error_detail=detail, fields=fields)
    retry_at = getattr(error, "retry_at", None) or timezone.now() + timedelta(
        seconds=backoff(attempts + 1)
    )
    return Move(
        to=retrying,
        retry_at=retry_at,
        error=reason,
        error_detail=detail,
        fields={**fields, "attempts": attempts + 1},
    )


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
        if model.claim_related:  # what its handlers read, loaded with the claim
            rows = rows.select_related(*model.claim_related)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
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


def _held(rows: list[StateMachineModel]) -> set[Any]:
    """The rows this worker still holds (same state, same lease as when it read them),
    locked until the caller's transaction ends. One statement for all of them."""
    model = type(rows[0])
    leases: dict[tuple[str, datetime | None], list[Any]] = {}
    for row in rows:
        leases.setdefault((row.state, row.locked_until), []).append(row.pk)
    condition = Q()
    for (state, locked_until), pks in leases.items():
        condition |= Q(pk__in=pks, state=state, locked_until=locked_until)
    held = model._base_manager.filter(condition)
    if connection.features.has_select_for_update:
        held = held.select_for_update()
    return set(held.values_list("pk", flat=True))


def _write(rows_values: list[tuple[StateMachineModel, dict[str, Any]]]) -> list:
    """Write each row's values if its lease still holds, in one transaction and a
    few statements (not one per row); return the rows written (``setattr`` done)."""
    if not rows_values:
        return []
    with transaction.atomic():
        held = _held([row for row, _values in rows_values])
        written = [(row, values) for row, values in rows_values if row.pk in held]
        fields: set[str] = set()
        for row, values in written:
            fields.update(values)
            for name, value in values.items():
                setattr(row, name, value)
        if written:
            # The fields a row's values do not name are written back as read: only
            # the lease holder changes them, and this worker holds every one of them.
            rows_update([row for row, _values in written], sorted(fields))
    lost = len(rows_values) - len(written)
    if lost:
        logger.warning("%s: %d leases lost; their writes dropped", type(rows_values[0][0]), lost)
    return [row for row, _values in written]


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


def _bug(row: StateMachineModel, error: BaseException) -> Move:
    """A bug (or an illegal move) must not lose the row: it is tried again later."""
    logger.error("%s %s: handler %s failed", type(row).__name__, row.pk, row.state, exc_info=error)
    return Move(
        retry_at=timezone.now() + timedelta(seconds=backoff(row.attempts + 1)),
        error="An unexpected error occurred; Parvis will try again.",
        error_detail=f"{type(error).__name__}: {error}",
    )


def _start(row: StateMachineModel) -> Any:
    """Run the handler of the row's state: a move, or a Call to make first."""
    try:
        return getattr(row, row.state_object.handler_name)()
    except Exception as error:
        return _bug(row, error)


def _then(row: StateMachineModel, call: Call, result: Any, error: BaseException | None) -> Any:
    try:
        return call.then(result, error)
    except Exception as failure:
        return _bug(row, failure)


Moved = list[tuple[StateMachineModel, str]]  # rows that changed state, with their previous one


def _outcome(row: StateMachineModel, result: Any) -> dict[str, Any]:
    move = result if isinstance(result, Move) else Move(to=result)
    try:
        return _outcome_values(row, move, timezone.now())
    except Exception as error:  # e.g. a move the graph does not allow
        return _outcome_values(row, _bug(row, error), timezone.now())


def _finish(outcomes: list[tuple[StateMachineModel, Any]], moved: Moved) -> int:
    """Write the outcomes of rows whose lease still holds (others are dropped: the
    row was taken over); return how many were written.

    A row that changed state is added to ``moved``: the model reacts to a wave's
    moves together (see ``_react``).
    """
    previous = {row.pk: row.state for row, _result in outcomes}
    written = _write([(row, _outcome(row, result)) for row, result in outcomes])
    moved.extend((row, previous[row.pk]) for row in written if row.state != previous[row.pk])
    return len(written)


def _waves(waiting: list[tuple[StateMachineModel, Call]]) -> list[list]:
    """Split the calls so that no wave holds more calls of a key than its limit."""
    waves: list[tuple[list, dict[str, int]]] = []
    for row, call in waiting:
        fits = (
            (wave, used)
            for wave, used in waves
            if all(used.get(key, 0) < most for key, most in call.limits)
        )
        wave, used = next(fits, ([], {}))
        if not wave:
            waves.append((wave, used))
        wave.append((row, call))
        for key, _most in call.limits:
            used[key] = used.get(key, 0) + 1
    return [wave for wave, _used in waves]


async def _make_all(
    calls: list[Call], around: Callable[[], AbstractAsyncContextManager] | None = None
) -> list[tuple[Any, BaseException | None]]:
    """Make the calls together; ``around`` (the model's ``calls_context``) wraps them
    all, e.g. to share connections."""

    async def make(call: Call) -> tuple[Any, BaseException | None]:
        try:
            return await call.make(), None
        except Exception as failure:
            return None, failure

    if around is None:
        return await asyncio.gather(*(make(call) for call in calls))
    async with around():
        return await asyncio.gather(*(make(call) for call in calls))


def _run_wave(wave: list[tuple[StateMachineModel, Call]], moved: Moved) -> int:
    """Prepare the wave's calls (committing each attempt), make them together, write outcomes.

    Only calls about to be made are prepared, so a crash leaves few attempts
    to verify; the outcomes are written as one transaction.
    """
    ready = _prepare(wave)
    if not ready:
        return 0
    around = getattr(type(ready[0][0]), "calls_context", None)
    answers = async_to_sync(_make_all)([call for _row, call in ready], around)
    results = [
        _then(row, call, *answer) for (row, call), answer in zip(ready, answers, strict=True)
    ]
    outcomes = [(row, result) for (row, _call), result in zip(ready, results, strict=True)]
    return _finish(outcomes, moved)


def _prepare(wave: list[tuple[StateMachineModel, Call]]) -> list[tuple[StateMachineModel, Call]]:
    """Commit what the wave's calls need before they are made, with renewed leases
    (each gets its state's full lease, however long it waited for its turn)."""
    now, prepared = timezone.now(), []
    for row, call in wave:
        if call.prepare is None:
            continue
        fields = call.prepare()
        fields["locked_until"] = now + timedelta(seconds=row.state_object.lease)
        prepared.append((row, fields))
    written = {row.pk for row in _write(prepared)}
    ready = [(row, call) for row, call in wave if call.prepare is None or row.pk in written]
    if len(ready) < len(wave):
        logger.warning("%d rows lost their lease before their call", len(wave) - len(ready))
    return ready


def run_row(row: StateMachineModel) -> bool:
    """Run one row's handler (and its call, if any) and write the outcome."""
    return run_rows([row]) == 1


def run_rows(rows: list[StateMachineModel]) -> int:
    """Run claimed rows: moves at once, calls in waves; return outcomes written."""
    waiting: list[tuple[StateMachineModel, Call]] = []
    moved: Moved = []
    written = 0
    _before_run(rows)
    moves = []
    for row in rows:
        step = _start(row)
        if isinstance(step, Call):
            waiting.append((row, step))
        else:
            moves.append((row, step))
    written += _finish(moves, moved)
    _react(moved)
    for wave in _waves(waiting):
        moved = []
        written += _run_wave(wave, moved)
        _react(moved)
    return written


def _before_run(rows: list[StateMachineModel]) -> None:
    """Let the model load at once what the batch's handlers will read (``before_run``)."""
    if not rows:
        return
    load = getattr(type(rows[0]), "before_run", None)
    if load is None:
        return
    try:
        load(rows)
    except Exception:  # only an optimisation: each handler can still load its own
        logger.exception("%s: loading a batch failed", type(rows[0]).__name__)


def _react(moved: Moved) -> None:
    """Let the model react to the moves it made (e.g. update the parents' summaries).

    A model with ``after_transitions(moved)`` reacts to them all at once;
    otherwise each row's ``after_transition(previous)`` is called.
    """
    if not moved:
        return
    model = type(moved[0][0])
    batch = getattr(model, "after_transitions", None)
    try:
        if batch is not None:
            batch(moved)
            return
        for row, previous in moved:
            hook = getattr(row, "after_transition", None)
            if hook is not None:
                hook(previous)
    except Exception:  # the moves are saved; a failing reaction must not undo or stop them
        logger.exception("%s: reacting to %d moves failed", model.__name__, len(moved))


def run_once(model: type[StateMachineModel], *, limit: int = 50) -> int:
    """Claim a batch of due rows and work through them; return how many ran."""
    rows = claim(model, limit=limit)
    run_rows(rows)
    return len(rows)


def drain(model: type[StateMachineModel], *, limit: int = 200, budget_s: float = 5.0) -> int:
    """Run batches while they come full, for at most ``budget_s``; return rows run."""
    started, total = timezone.now(), 0
    while True:
        count = run_once(model, limit=limit)
        total += count
        if count < limit or (timezone.now() - started).total_seconds() > budget_s:
            return total
