"""Publishing one delivery, exactly once (ARCHITECTURE: "Never publish twice").

1. Before the network call, commit ``attempt_started_at`` (the idempotency
   key was fixed when the delivery was made).
2. Call the network; store remote id and URL with the move to ``published``.
3. A delivery found in ``publishing`` with ``attempt_started_at`` set (the
   worker died, timed out or lost the answer) goes to ``verifying``, which
   asks the network before anything is published again.

Network errors decide the next state; each keeps a reason people can read.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from asgiref.sync import async_to_sync
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.channels.actions import channel_record_health
from parvis.channels.selectors import channel_ref
from parvis.engine.runner import Move, backoff, checkpoint
from parvis.networks import registry
from parvis.networks.base import (
    AuthExpired,
    ChannelRef,
    NetworkError,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
    UnknownOutcome,
)
from parvis.publishing.states import MAX_ATTEMPTS, DeliveryStates

if TYPE_CHECKING:
    from parvis.publishing.models import Delivery

# How far before the recorded start verification looks (clocks differ).
VERIFY_MARGIN = timedelta(minutes=2)


def _channel(delivery: Delivery) -> ChannelRef:
    try:
        return channel_ref(channel=delivery.channel)
    except ValueError as error:  # the token was encrypted with a key Parvis no longer has
        raise AuthExpired(
            _(
                "Parvis cannot read this channel's access with its encryption keys: "
                "reconnect the channel, or restore the previous PARVIS_ENCRYPTION_KEYS."
            ),
            detail=str(error),
        ) from error


def _request(delivery: Delivery) -> PublishRequest:
    return PublishRequest(text=delivery.post.text, idempotency_key=delivery.idempotency_key)


def start(delivery: Delivery) -> Move:
    """Its time has come (or its wait is over): publish, keeping the count of attempts."""
    return Move(to=DeliveryStates.publishing, fields={"attempts": delivery.attempts})


def _failure(delivery: Delivery, error: NetworkError, *, applied_maybe: bool) -> Move:
    detail = error.detail or repr(error)
    reason = str(error.user_message)
    if isinstance(error, AuthExpired):
        channel_record_health(channel=delivery.channel, error=error)
        return Move(to=DeliveryStates.needs_attention, error=reason, error_detail=detail)
    if isinstance(error, UnknownOutcome) or applied_maybe:
        return Move(to=DeliveryStates.verifying, error=reason, error_detail=detail)
    if isinstance(error, PermanentError):
        return Move(
            to=DeliveryStates.failed,
            error=reason,
            error_detail=detail,
            fields={"attempt_started_at": None},
        )
    if delivery.attempts + 1 >= MAX_ATTEMPTS:
        reason = _("%(reason)s Parvis gave up after %(count)d attempts.") % {
            "reason": reason,
            "count": MAX_ATTEMPTS,
        }
        return Move(
            to=DeliveryStates.failed,
            error=reason,
            error_detail=detail,
            fields={"attempt_started_at": None},
        )
    retry_at = getattr(error, "retry_at", None) or timezone.now() + timedelta(
        seconds=backoff(delivery.attempts + 1)
    )
    return Move(
        to=DeliveryStates.retrying,
        retry_at=retry_at,
        error=reason,
        error_detail=detail,
        fields={"attempt_started_at": None, "attempts": delivery.attempts + 1},
    )


def publish(delivery: Delivery) -> Move:
    if delivery.attempt_started_at is not None:
        # A previous attempt may have reached the network: never guess.
        return Move(to=DeliveryStates.verifying)
    try:
        channel = _channel(delivery)
    except AuthExpired as error:
        return _failure(delivery, error, applied_maybe=False)
    if not checkpoint(delivery, attempt_started_at=timezone.now()):
        return Move()  # the lease was lost; the runner drops this outcome anyway
    network = registry.get(delivery.channel.network)
    try:
        result = async_to_sync(network.publish)(channel, _request(delivery))
    except (RateLimited, TransientError, PermanentError, AuthExpired) as error:
        # Refused before being applied: safe to retry (or to stop).
        return _failure(delivery, error, applied_maybe=False)
    except NetworkError as error:  # UnknownOutcome and anything unexpected
        return _failure(delivery, error, applied_maybe=True)
    return _published(result)


def _published(result) -> Move:
    return Move(
        to=DeliveryStates.published,
        fields={
            "remote_id": result.remote_id,
            "url": result.url,
            "published_at": result.published_at,
            "attempt_started_at": None,
        },
    )


def verify(delivery: Delivery) -> Move:
    """Did the last attempt publish? Ask the network, then decide."""
    network = registry.get(delivery.channel.network)
    since = (delivery.attempt_started_at or delivery.state_changed_at) - VERIFY_MARGIN
    try:
        found = async_to_sync(network.find_published)(
            _channel(delivery), _request(delivery), since=since
        )
    except AuthExpired as error:
        return _failure(delivery, error, applied_maybe=False)
    except NetworkError as error:  # cannot tell yet: ask again later, never publish blind
        retry_at = getattr(error, "retry_at", None)
        return Move(retry_at=retry_at, error=str(error.user_message), error_detail=error.detail)
    if found is not None:
        return _published(found)
    return Move(to=DeliveryStates.publishing, fields={"attempt_started_at": None})
