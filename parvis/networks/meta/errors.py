"""How Graph API answers and failed connections become the contract's errors.

A Graph error body: ``{"error": {"message", "type", "code", "error_subcode",
"error_user_msg", "fbtrace_id"}}``. The code decides (not the HTTP status):
190 and 102 a dead token (the subcode says why), 10 and 200-299 a missing permission,
4/17/32/341/613/80001-80014 rate limits (the wait read from the usage headers),
368 and 506 refusals, 1 and 2 Meta's own trouble.
https://developers.facebook.com/docs/graph-api/guides/error-handling
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import httpx
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parvis.core.http import NOT_SENT
from parvis.networks import base
from parvis.networks.lazytext import with_values
from parvis.networks.meta.usage import Usage, read_usage

logger = logging.getLogger(__name__)


# Code 190's subcodes: why the token no longer works, and what the person does.
TOKEN_REASONS: dict[int, Promise] = {
    458: _("the app was removed from the Facebook account that connected it"),
    459: _("Facebook asks the person who connected it to log in on facebook.com and confirm"),
    460: _("the password of the Facebook account that connected it was changed"),
    461: _("Facebook ended the session that connected it"),
    462: _("Facebook ended the session that connected it"),
    463: _("the access expired"),
    464: _("the Facebook account that connected it is not confirmed yet"),
    465: _("Facebook ended the session that connected it"),
    466: _("Facebook ended the session that connected it"),
    467: _("the access is no longer valid (logged out or revoked)"),
    492: _("the person who connected it no longer manages this Page"),
}
# Rate limits: code -> (whose limit, the wait when no header gives one).
RATE_LIMITS: dict[int, tuple[str, timedelta]] = {
    4: ("app", timedelta(minutes=15)),  # the app's calls
    17: ("channel", timedelta(minutes=15)),  # the user's calls
    32: ("channel", timedelta(minutes=15)),  # the Page's calls
    341: ("app", timedelta(minutes=15)),  # an application limit
    613: ("channel", timedelta(hours=1)),  # calls within one hour
    80001: ("channel", timedelta(minutes=15)),  # a Page's business use case
}
BUSINESS_USE_CASE = range(80000, 80015)  # 80001 Pages, others for Instagram, ads...
TRANSIENT_CODES = (1, 2)
PERMISSION_CODES = (10, *range(200, 300))


@dataclass(frozen=True)
class GraphError:
    """The parts of a Graph error body that decide what happens."""

    status: int
    code: int | None
    subcode: int | None
    message: str
    user_message: str
    fbtrace_id: str

    @property
    def detail(self) -> str:
        sub = f"/{self.subcode}" if self.subcode else ""
        return f"{self.status} code {self.code}{sub}: {self.message} (fbtrace_id {self.fbtrace_id})"


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def graph_error(response: httpx.Response) -> GraphError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    return GraphError(
        status=response.status_code,
        code=_int(error.get("code")),
        subcode=_int(error.get("error_subcode")),
        message=str(error.get("message") or response.reason_phrase or ""),
        user_message=str(error.get("error_user_msg") or ""),
        fbtrace_id=str(error.get("fbtrace_id") or ""),
    )


def from_transport(error: httpx.TransportError, *, network: str, write: bool) -> base.NetworkError:
    """A call that got no answer. ``write``: the call would make something on the network."""
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, NOT_SENT):
        return base.TransientError(
            with_values(
                _("%(network)s could not be reached: Parvis will try again."), network=network
            ),
            detail=detail,
        )
    if write:
        return base.UnknownOutcome(
            with_values(
                _(
                    "%(network)s did not answer once the request was sent: Parvis checks "
                    "whether it was done before trying again."
                ),
                network=network,
            ),
            detail=detail,
        )
    return base.TransientError(
        with_values(_("%(network)s did not answer: Parvis will try again."), network=network),
        detail=detail,
    )


def _token_error(error: GraphError, network: str) -> base.AuthExpired:
    reason = TOKEN_REASONS.get(error.subcode or 0)
    if reason is None:
        message = with_values(
            _("%(network)s no longer accepts this channel's access: reconnect the channel."),
            network=network,
        )
    else:
        message = with_values(
            _(
                "%(network)s no longer accepts this channel's access (%(reason)s): "
                "reconnect the channel."
            ),
            network=network,
            reason=reason,
        )
    return base.AuthExpired(message, detail=error.detail)


def _rate_limited(error: GraphError, usage: Usage, network: str) -> base.RateLimited:
    scope, fallback = RATE_LIMITS.get(error.code or 0, ("channel", timedelta(minutes=15)))
    wait = timedelta(minutes=usage.regain_minutes) if usage.regain_minutes else fallback
    if scope == "app":
        message = _(
            "Parvis has reached %(network)s's limit for all its accounts: it resumes when "
            "%(network)s allows, in about %(minutes)s minutes."
        )
    else:
        message = _(
            "%(network)s asks Parvis to slow down on this account: it resumes in about "
            "%(minutes)s minutes."
        )
    return base.RateLimited(
        with_values(message, network=network, minutes=max(1, round(wait.total_seconds() / 60))),
        retry_at=timezone.now() + wait,
        scope=scope,
        detail=error.detail,
    )


def from_response(response: httpx.Response, *, network: str, write: bool) -> base.NetworkError:
    """The error an unsuccessful Graph answer means."""
    error = graph_error(response)
    logger.info("%s answered %s", network, error.detail)
    code = error.code
    said = error.user_message or error.message
    if code in (190, 102):
        return _token_error(error, network)
    if code in PERMISSION_CODES:
        return base.AuthExpired(
            with_values(
                _(
                    "%(network)s refused for lack of a permission (%(said)s): reconnect the "
                    "channel and grant every permission Parvis asks for."
                ),
                network=network,
                said=said,
            ),
            detail=error.detail,
        )
    if code in RATE_LIMITS or (code is not None and code in BUSINESS_USE_CASE):
        return _rate_limited(error, read_usage(response.headers), network)
    if code == 368:
        return base.PermanentError(
            with_values(
                _(
                    "%(network)s has temporarily blocked this account from posting for a "
                    "policy reason (%(said)s). Check the account's quality status on "
                    "%(network)s, then publish again later."
                ),
                network=network,
                said=said,
            ),
            detail=error.detail,
        )
    if code == 506:
        return base.PermanentError(
            with_values(
                _("%(network)s refuses a duplicate post: change the text, then publish again."),
                network=network,
            ),
            detail=error.detail,
        )
    if code in TRANSIENT_CODES:
        return base.TransientError(
            with_values(
                _("%(network)s is having temporary trouble: Parvis will try again."),
                network=network,
            ),
            detail=error.detail,
        )
    if code is None and response.status_code >= 500:
        if write and response.status_code == 504:
            return base.UnknownOutcome(
                with_values(
                    _(
                        "%(network)s timed out: Parvis checks whether it was done "
                        "before trying again."
                    ),
                    network=network,
                ),
                detail=error.detail,
            )
        return base.TransientError(
            with_values(
                _("%(network)s is having trouble (error %(status)s): Parvis will try again."),
                network=network,
                status=response.status_code,
            ),
            detail=error.detail,
        )
    return base.PermanentError(
        with_values(_("%(network)s refused the request: %(said)s"), network=network, said=said),
        detail=error.detail,
    )
