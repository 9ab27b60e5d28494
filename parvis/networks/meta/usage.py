"""Meta's usage headers: how much of its rate limits an app, a Page or a business used.

``X-App-Usage`` (the app's, percentages over a rolling hour), ``X-Page-Usage`` and
``X-Business-Use-Case-Usage`` (per business object, with ``type`` and
``estimated_time_to_regain_access`` in minutes). A call that finds any figure at
``HOLD_PERCENT`` or more holds further calls instead of meeting Meta's refusal.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

logger = logging.getLogger(__name__)

HOLD_PERCENT = 95
# Meta's figures cover a rolling hour; when no header says how long to wait.
FALLBACK_WAIT = timedelta(minutes=15)
_FIGURES = ("call_count", "total_cputime", "total_time")


def _json(headers: Mapping[str, str], name: str) -> object:
    raw = headers.get(name) or headers.get(name.lower())
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        logger.info("Meta sent an unreadable %s header: %r", name, raw[:200])
        return None


def _percent(entry: object) -> int:
    if not isinstance(entry, dict):
        return 0
    values = [entry.get(name) for name in _FIGURES]
    return max((int(v) for v in values if isinstance(v, int | float)), default=0)


def _minutes(entry: object) -> int:
    if not isinstance(entry, dict):
        return 0
    value = entry.get("estimated_time_to_regain_access")
    return int(value) if isinstance(value, int | float) else 0


@dataclass(frozen=True)
class Usage:
    """The highest use Meta reported, in percent, and how long it says to wait."""

    app_percent: int = 0  # X-App-Usage: the whole app, every Page and account together
    object_percent: int = 0  # X-Page-Usage / X-Business-Use-Case-Usage: this Page's
    regain_minutes: int = 0  # estimated_time_to_regain_access, the longest given

    @property
    def highest(self) -> int:
        return max(self.app_percent, self.object_percent)

    @property
    def scope(self) -> str:
        """Whose limit is nearest: "app" (every channel) or "channel"."""
        return "app" if self.app_percent >= self.object_percent else "channel"

    def wait(self) -> timedelta:
        return timedelta(minutes=self.regain_minutes) if self.regain_minutes else FALLBACK_WAIT

    def hold_until(self, now: datetime) -> datetime | None:
        """When calls may resume, if the limit is (nearly) reached; None otherwise."""
        if self.highest < HOLD_PERCENT and not self.regain_minutes:
            return None
        return now + self.wait()


def read_usage(headers: Mapping[str, str]) -> Usage:
    app = _json(headers, "X-App-Usage")
    entries: list[object] = []
    page = _json(headers, "X-Page-Usage")
    if page is not None:
        entries.append(page)
    business = _json(headers, "X-Business-Use-Case-Usage")
    if isinstance(business, dict):
        for per_object in business.values():
            entries += per_object if isinstance(per_object, list) else [per_object]
    return Usage(
        app_percent=_percent(app),
        object_percent=max((_percent(e) for e in entries), default=0),
        regain_minutes=max((_minutes(e) for e in [*entries, app]), default=0),
    )
