"""Publishing one delivery, exactly once (ARCHITECTURE: "Never publish twice").

1. Just before the network call (when its turn comes in the runner), commit
   ``attempt_started_at`` and renew the lease (the idempotency key was fixed
   when the delivery was made).
2. Call the network; store remote id and URL with the move to ``published``.
3. A delivery found in ``publishing`` with ``attempt_started_at`` set (the
   worker died, timed out or lost the answer) goes to ``verifying``, which
   asks the network before anything is published again.

Network errors decide the next state; each keeps a reason people can read. A rate
limit holds the other deliveries on the same limit too (``holding``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parvis.channels.actions import channel_record_health, credential_refresh_request
from parvis.channels.selectors import channel_ref
from parvis.engine.runner import Call, Move, retry_or_give_up
from parvis.networks import registry
from parvis.networks.base import (
    AuthExpired,
    ChannelRef,
    NetworkError,
    PermanentError,
    PublishRequest,
    PublishResult,
    RateLimited,
    TransientError,
    UnknownOutcome,
)
from parvis.publishing import holding
from parvis.publishing.media import media_by_ids, media_items
from parvis.publishing.states import MAX_ATTEMPTS, DeliveryStates

if TYPE_CHECKING:
    from parvis.publishing.models import Delivery


# How far before the recorded start verification looks (clocks differ).
VERIFY_MARGIN = timedelta(minutes=2)


def in_workspace_language[T](function: Callable[..., T]) -> Callable[..., T]:
    """Reasons are written in the language of the delivery's workspace: its team reads them."""

    @wraps(function)
    def wrapper(delivery: Delivery, *args, **kwargs) -> T:
        with translation.override(delivery.workspace.language):
            return function(delivery, *args, **kwargs)

    return wrapper


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
    """What goes out: the text and media fixed when the delivery was scheduled."""
    text = delivery.text or delivery.post.text  # rows scheduled before variants existed
    assets = media_by_ids(workspace=delivery.workspace, ids=delivery.media)
    if len(assets) != len(delivery.media):  # never publish without the chosen media
        raise PermanentError(
            _("An image or video of this post was deleted from the library: choose it again."),
            detail=f"missing media assets among {delivery.media}",
        )
    follows = delivery.follows
    return PublishRequest(
        text=text,
        idempotency_key=delivery.idempotency_key,
        media=media_items(assets, public_urls=True),
        reply_to_id=follows.remote_id if follows is not None else "",
        part=delivery.part,
        link=delivery.link,
    )


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
    return retry_or_give_up(
        error=error,
        attempts=delivery.attempts,
        most=MAX_ATTEMPTS,
        retrying=DeliveryStates.retrying,
        failed=DeliveryStates.failed,
        fields={"attempt_started_at": None},
    )


def _limits(delivery: Delivery) -> tuple[tuple[str, int], ...]:
    """One call at a time per channel (its posts go out in order); a cap per network."""
    return (
        (f"channel:{delivery.channel_id}", settings.PARVIS_PUBLISH_PER_CHANNEL),
        (f"network:{delivery.channel.network}", settings.PARVIS_PUBLISH_PER_NETWORK),
    )


def _wait(delivery: Delivery, hold: holding.Hold) -> Move:
    """Held by a rate limit another delivery met: wait for the reset, no attempt counted.

    A delivery that has not tried yet (``scheduled``) keeps its state: it cannot be
    retrying what it never attempted.
    """
    current, retrying = delivery.state_object, delivery.graph.get("retrying")
    return Move(
        to=retrying if retrying is current or retrying in current.children else None,
        retry_at=hold.until,
        error=hold.reason,
        error_detail=f"held until {hold.until.isoformat()} by a rate limit",
        fields={"attempt_started_at": None, "attempts": delivery.attempts},
    )


@in_workspace_language
def publish(delivery: Delivery) -> Move | Call:
    """Publish a due delivery (scheduled, retrying, or back from verification).

    A scheduled or retrying delivery moves to ``publishing`` together with its
    attempt, when the call's turn comes, so a crash from then on leads to
    verification.
    """
    if delivery.attempt_started_at is not None:
        # A previous attempt may have reached the network: never guess.
        return Move(to=DeliveryStates.verifying)
    if hold := holding.held_until(delivery):
        return _wait(delivery, hold)
    try:
        channel = _channel(delivery)
    except AuthExpired as error:
        return _failure(delivery, error, applied_maybe=False)
    network = registry.get(delivery.channel.network)
    refused: PermanentError | None = None
    try:
        request = _request(delivery)
    except PermanentError as error:  # failed from ``publishing``, like a network refusal
        request, refused = None, error

    async def make() -> PublishResult:
        if refused is not None:
            raise refused
        # A limit met while this call waited for its turn holds it back too.
        if hold := holding.held_until(delivery):
            raise holding.Held(hold)
        return await network.publish(channel, request)

    return Call(
        # Committed when the call's turn comes, right before it is made.
        prepare=lambda: _attempt_starts(delivery),
        make=make,
        then=lambda result, error: _after_publish(delivery, result, error),
        limits=_limits(delivery),
    )


def _attempt_starts(delivery: Delivery) -> dict:
    """What is committed before the call: the attempt (and the move to publishing)."""
    now = timezone.now()
    fields: dict = {"attempt_started_at": now}
    if delivery.state != DeliveryStates.publishing.name:
        fields.update(state=DeliveryStates.publishing.name, state_changed_at=now)
    return fields


@in_workspace_language
def _after_publish(delivery: Delivery, result, error: BaseException | None) -> Move:
    if error is None:
        if until := getattr(result, "hold_until", None):
            holding.hold_others(
                delivery=delivery,
                until=until,
                scope=holding.CHANNEL,
                reason=_(
                    "This channel has used all the posts the network allows for now: "
                    "its next posts wait until the limit resets."
                ),
            )
        return _published(result)
    if isinstance(error, holding.Held):  # no call was made
        return _wait(delivery, error.hold)
    if isinstance(error, RateLimited):
        reason = str(error.user_message)
        holding.hold_others(
            delivery=delivery, until=error.retry_at, scope=error.scope, reason=reason
        )
    if isinstance(error, AuthExpired) and (renewing := _renew_token(delivery, error)):
        return renewing
    if isinstance(error, (RateLimited, TransientError, PermanentError, AuthExpired)):
        # Refused before being applied: safe to retry (or to stop).
        return _failure(delivery, error, applied_maybe=False)
    if isinstance(error, NetworkError):  # UnknownOutcome
        return _failure(delivery, error, applied_maybe=True)
    # Anything else is a bug; the request may have gone out, so the runner
    # keeps the row in ``publishing`` with its attempt: next time, it verifies.
    raise error


# After the network refused a token it can renew: the worker renews it within
# ``channels.refreshing.REFRESH_EVERY_SECONDS``, then the delivery tries again.
TOKEN_RENEWAL_WAIT = timedelta(seconds=45)


def _renew_token(delivery: Delivery, error: AuthExpired) -> Move | None:
    """A refused token that renewing may fix: try again once it is renewed.

    None when renewing cannot help (the network does not renew tokens, this token
    already failed to renew, or the delivery has used its attempts): the channel
    then needs reconnecting, as for any refused access.
    """
    if delivery.attempts + 1 >= MAX_ATTEMPTS:
        return None
    if not credential_refresh_request(channel=delivery.channel):
        return None
    return Move(
        to=DeliveryStates.retrying,
        retry_at=timezone.now() + TOKEN_RENEWAL_WAIT,
        error=_("The network refused this channel's access: Parvis renews it and tries again."),
        error_detail=error.detail or repr(error),
        fields={"attempt_started_at": None, "attempts": delivery.attempts + 1},
    )


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


# How long a part waits before looking again at a part it follows that is on
# hold (e.g. its channel needs reconnecting) and has no time of its own.
FOLLOW_UP_PATIENCE = timedelta(minutes=10)
# A part due with the part it follows looks again a moment after it.
FOLLOW_UP_STEP = timedelta(seconds=5)


@in_workspace_language
def follow_up(delivery: Delivery) -> Move | Call:
    """A thread part or first comment: published as a reply once the part it
    follows is published; cancelled if that part will never be."""
    follows = delivery.follows
    if follows.state == DeliveryStates.published.name:
        return publish(delivery)
    if follows.state in (DeliveryStates.failed.name, DeliveryStates.cancelled.name):
        return Move(
            to=DeliveryStates.cancelled,
            error=_("Not sent: the part it follows was not published."),
        )
    now = timezone.now()
    later = follows.next_attempt_at or now + FOLLOW_UP_PATIENCE
    # Looking is not trying: the attempts count stays for the publish itself.
    return Move(retry_at=max(later, now) + FOLLOW_UP_STEP, fields={"attempts": delivery.attempts})


@in_workspace_language
def verify(delivery: Delivery) -> Move | Call:
    """Did the last attempt publish? Ask the network, then decide."""
    network = registry.get(delivery.channel.network)
    since = (delivery.attempt_started_at or delivery.state_changed_at) - VERIFY_MARGIN
    try:
        channel = _channel(delivery)
        request = _request(delivery)
    except (AuthExpired, PermanentError) as error:
        return _failure(delivery, error, applied_maybe=False)
    return Call(
        make=lambda: network.find_published(channel, request, since=since),
        then=lambda found, error: _after_verify(delivery, found, error),
        limits=_limits(delivery),
    )


@in_workspace_language
def _after_verify(delivery: Delivery, found, error: BaseException | None) -> Move:
    if isinstance(error, AuthExpired):
        if credential_refresh_request(channel=delivery.channel):  # look again once renewed
            return Move(
                retry_at=timezone.now() + TOKEN_RENEWAL_WAIT,
                error=str(error.user_message),
                error_detail=error.detail,
            )
        return _failure(delivery, error, applied_maybe=False)
    if isinstance(error, RateLimited):  # the look-up met the limit: the others wait too
        holding.hold_others(
            delivery=delivery,
            until=error.retry_at,
            scope=error.scope,
            reason=str(error.user_message),
        )
    if isinstance(error, NetworkError):  # cannot tell yet: ask again later, never publish blind
        retry_at = getattr(error, "retry_at", None)
        return Move(retry_at=retry_at, error=str(error.user_message), error_detail=error.detail)
    if error is not None:
        raise error
    if found is not None:
        return _published(found)
    return Move(to=DeliveryStates.publishing, fields={"attempt_started_at": None})
