"""What a job that reads a channel on a schedule (figures, the inbox) does when refused.

A refused access is renewed when the network can renew it (the job looks again
once it is), else the channel needs reconnecting and the job pauses; a rate limit
waits for its reset; other trouble backs off, never longer than the job's interval.
The answer is the fields of the job's next move (``engine.runner.Move``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone, translation

from parvis.channels.actions import channel_record_health, credential_refresh_request
from parvis.channels.models import Channel
from parvis.networks.base import AuthExpired, NetworkError, RateLimited

RENEWAL_WAIT = timedelta(seconds=45)  # after asking for a token renewal


def reading_refused(
    *,
    channel: Channel,
    error: NetworkError,
    attempts: int,
    every: timedelta,
    paused: object,
    backoff: Callable[[int], float],
) -> dict[str, Any]:
    """The next move's fields after ``error``: ``paused`` is the job's paused state."""
    now = timezone.now()
    with translation.override(channel.workspace.language):
        reason = str(error.user_message)
        if isinstance(error, AuthExpired):
            if credential_refresh_request(channel=channel):
                return {
                    "retry_at": now + RENEWAL_WAIT,
                    "error": reason,
                    "error_detail": error.detail,
                }
            channel_record_health(channel=channel, error=error)
            return {"to": paused, "error": reason, "error_detail": error.detail}
    if isinstance(error, RateLimited):
        return {"retry_at": error.retry_at, "error": reason, "error_detail": error.detail}
    attempts += 1
    return {
        "retry_at": now + min(timedelta(seconds=backoff(attempts)), every),
        "fields": {"attempts": attempts},
        "error": reason,
        "error_detail": error.detail,
    }
