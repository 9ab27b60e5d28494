"""How X's answers and failed connections become the contract's errors: one place.

X API v2 errors are problem details (``title``, ``detail``, ``type``, ``status``), or an
``errors`` list for invalid requests. Rate limits come in ``x-rate-limit-*`` headers
(epoch seconds); a user token's limit is the account's ("channel"), the 24-hour
``x-app-limit-*`` cap and a ``usage-capped`` problem are the whole app's ("app").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.core.http import NOT_SENT
from parvis.networks.base import (
    AuthExpired,
    NetworkError,
    PermanentError,
    RateLimited,
    TransientError,
    UnknownOutcome,
)
from parvis.networks.lazytext import with_values

logger = logging.getLogger(__name__)

DUPLICATE_MARK = "duplicate content"
USAGE_CAPPED = "usage-capped"
RATE_LIMIT_FALLBACK = timedelta(minutes=15)  # X's usual window, when no header says


@dataclass(frozen=True)
class RateLimitStatus:
    """What X said of a limit in its last answer: ``x-rate-limit-*``."""

    limit: int | None
    remaining: int | None
    reset_at: datetime | None


def _int(headers: httpx.Headers, name: str) -> int | None:
    try:
        return int(headers[name])
    except (KeyError, ValueError):
        return None


def _epoch(headers: httpx.Headers, name: str) -> datetime | None:
    seconds = _int(headers, name)
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None


def rate_limit_status(headers: httpx.Headers, prefix: str = "x-rate-limit") -> RateLimitStatus:
    return RateLimitStatus(
        limit=_int(headers, f"{prefix}-limit"),
        remaining=_int(headers, f"{prefix}-remaining"),
        reset_at=_epoch(headers, f"{prefix}-reset"),
    )


def problem_of(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def detail_of(response: httpx.Response) -> str:
    """X's own words on what went wrong, for the message and the log."""
    body = problem_of(response)
    for error in body.get("errors") or ():
        if isinstance(error, dict) and (error.get("message") or error.get("detail")):
            return str(error.get("message") or error.get("detail"))
    for key in ("detail", "title"):
        if body.get(key):
            return str(body[key])
    return response.reason_phrase or f"HTTP {response.status_code}"


def from_transport(error: httpx.TransportError, *, write: bool) -> NetworkError:
    """A call that got no answer. ``write``: the call would change something on X."""
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, NOT_SENT):
        return TransientError(_("X could not be reached: Parvis will try again."), detail=detail)
    if write:
        return UnknownOutcome(
            _(
                "X did not answer once the post was sent: Parvis checks whether it was "
                "published before trying again."
            ),
            detail=detail,
        )
    return TransientError(_("X did not answer: Parvis will try again."), detail=detail)


def _retry_at(moment: datetime | None) -> datetime:
    now = timezone.now()
    if moment is None:
        return now + RATE_LIMIT_FALLBACK
    return max(moment, now)


def _next_month() -> datetime:
    """When a monthly usage cap resets: the first day of next month, UTC."""
    now = timezone.now().astimezone(UTC)
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)


def rate_limited(response: httpx.Response) -> RateLimited:
    headers = response.headers
    detail = f"429 {detail_of(response)}"
    app = rate_limit_status(headers, "x-app-limit-24hour")
    body = problem_of(response)
    if body.get("type", "").endswith(USAGE_CAPPED) and body.get("period") == "Monthly":
        return RateLimited(
            _(
                "This installation's X app has used its monthly allowance: posting to X "
                "resumes next month, or sooner once the app's X plan is raised."
            ),
            retry_at=_next_month(),
            scope="app",
            detail=detail,
        )
    if app.remaining == 0 or body.get("type", "").endswith(USAGE_CAPPED):
        return RateLimited(
            _("Parvis has reached X's limit for all its accounts: it resumes when X allows."),
            retry_at=_retry_at(app.reset_at or _epoch(headers, "x-rate-limit-reset")),
            scope="app",
            detail=detail,
        )
    user_day = rate_limit_status(headers, "x-user-limit-24hour")
    reset_at = user_day.reset_at if user_day.remaining == 0 else None
    return RateLimited(
        _("X asks Parvis to wait before posting again on this account."),
        retry_at=_retry_at(reset_at or _epoch(headers, "x-rate-limit-reset")),
        scope="channel",
        detail=detail,
    )


def from_response(response: httpx.Response, *, write: bool) -> NetworkError:
    """The error an unsuccessful answer means (the caller only sends 4xx and 5xx here)."""
    status = response.status_code
    detail = detail_of(response)
    raw = f"{status} {detail}"
    logger.info("X answered %s to %s %s", raw, response.request.method, response.request.url.path)
    if status == 401:
        return AuthExpired(
            _("X no longer accepts this channel's access: reconnect the channel."), detail=raw
        )
    if status == 403 and DUPLICATE_MARK in detail.lower():
        return PermanentError(
            _("X refuses duplicate content: this account has already posted this text."),
            detail=raw,
        )
    if status == 429:
        return rate_limited(response)
    if status == 404:
        return PermanentError(
            with_values(_("X does not find it: %(detail)s"), detail=detail), detail=raw
        )
    if status == 504 and write:
        # A gateway gave up waiting: the post may have been made behind it.
        return UnknownOutcome(
            _("X timed out while posting: Parvis checks whether it was published."), detail=raw
        )
    if status >= 500:
        return TransientError(
            with_values(
                _("X is having trouble (error %(status)s): Parvis will try again."), status=status
            ),
            detail=raw,
        )
    return PermanentError(
        with_values(_("X refused the request: %(detail)s"), detail=detail), detail=raw
    )
