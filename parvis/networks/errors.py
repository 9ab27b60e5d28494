"""The only errors a network raises; each maps to what the engine does next
(see ARCHITECTURE.md, "Errors decide the next state"). ``networks.base`` re-exports them."""

from __future__ import annotations

from datetime import datetime

from django.utils.functional import Promise


class NetworkError(Exception):
    """Base of the errors a network raises. ``user_message`` is shown to people."""

    def __init__(self, user_message: str | Promise, *, detail: str = "") -> None:
        super().__init__(str(user_message))
        self.user_message = user_message
        self.detail = detail


class PermanentError(NetworkError):
    """The request will never succeed as it is (e.g. text too long, media refused)."""


class TransientError(NetworkError):
    """Worth retrying later with backoff (e.g. 5xx, a timeout before sending)."""


class RateLimited(TransientError):
    """The network asks us to wait until ``retry_at``. ``scope`` says whose limit."""

    def __init__(
        self,
        user_message: str | Promise,
        *,
        retry_at: datetime,
        scope: str = "channel",
        detail: str = "",
    ) -> None:
        super().__init__(user_message, detail=detail)
        self.retry_at = retry_at
        self.scope = scope  # "channel" or "app"


class AuthExpired(NetworkError):
    """The token is expired or revoked: the channel needs to be reconnected."""


class UnknownOutcome(NetworkError):
    """The request may or may not have been applied: verify before any retry."""
