"""Two people doing the same thing at the same moment, on separate connections."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import connection


def slowed(function: Callable, seconds: float = 0.3) -> Callable:
    """``function``, then a pause: widens the window in which a race would happen."""

    def slow(*args, **kwargs):
        result = function(*args, **kwargs)
        time.sleep(seconds)
        return result

    return slow


def twice_at_once(action: Callable[[], object], refused: type[Exception]) -> list[str]:
    """Run ``action`` in two threads released together; what each got: "done", the
    message of a ``refused`` error, or the repr of anything else (which must not be)."""
    barrier, outcomes = threading.Barrier(2), []

    def run() -> None:
        try:
            barrier.wait()
            action()
            outcomes.append("done")
        except refused as error:
            outcomes.append(str(error))
        except Exception as error:  # e.g. the database's unique constraint
            outcomes.append(repr(error))
        finally:
            connection.close()

    in_threads(run, count=2)
    return sorted(outcomes)


def in_threads(target: Callable[[], None], *, count: int, timeout: float = 60) -> None:
    """Run ``target`` in ``count`` threads at once and wait for them all."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
