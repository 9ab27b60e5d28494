"""Sending an answer through the network, exactly once (ARCHITECTURE: "Never publish twice").

1. Just before the call, commit ``attempt_started_at`` (the idempotency key was
   fixed when the reply was written).
2. Call the network; store the answer as an outgoing message and move to ``sent``.
3. A reply found in ``sending`` with ``attempt_started_at`` set (the worker died,
   or the answer was lost) goes to ``verifying``, which asks the network whether
   the answer appeared before anything is sent again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parvis.channels.actions import channel_record_health, credential_refresh_request
from parvis.channels.selectors import channel_ref
from parvis.engine.runner import Call, Move, retry_or_give_up
from parvis.inbox.states import REPLY_MAX_ATTEMPTS, ReplyStates
from parvis.inbox.threads import Direction, Message
from parvis.networks import registry
from parvis.networks.base import (
    AuthExpired,
    ChannelRef,
    NetworkError,
    PermanentError,
    PublishRequest,
    PublishResult,
    UnknownOutcome,
)

if TYPE_CHECKING:
    from parvis.inbox.models import Reply

VERIFY_MARGIN = timedelta(minutes=2)  # clocks differ
TOKEN_RENEWAL_WAIT = timedelta(seconds=45)


def _channel(reply: Reply) -> ChannelRef:
    try:
        return channel_ref(channel=reply.channel)
    except ValueError as error:  # encrypted with a key Parvis no longer has
        raise AuthExpired(
            _("Parvis cannot read this channel's access: reconnect the channel."),
            detail=str(error),
        ) from error


def _request(reply: Reply) -> PublishRequest:
    return PublishRequest(
        text=reply.text,
        idempotency_key=reply.idempotency_key,
        reply_to_id=reply.in_reply_to.remote_id,
        part="comment",
    )


def _limits(reply: Reply) -> tuple[tuple[str, int], ...]:
    return (
        (f"channel:{reply.channel_id}", settings.PARVIS_PUBLISH_PER_CHANNEL),
        (f"network:{reply.channel.network}", settings.PARVIS_PUBLISH_PER_NETWORK),
    )


def send(reply: Reply) -> Move | Call:
    """Send a reply that is due (new or retrying); verify first if an attempt may have gone."""
    if reply.attempt_started_at is not None:
        return Move(to=ReplyStates.verifying)
    with translation.override(reply.workspace.language):
        try:
            channel = _channel(reply)
        except AuthExpired as error:
            return _failure(reply, error)
    network = registry.get(reply.channel.network)
    request = _request(reply)

    def prepare() -> dict:
        now = timezone.now()
        fields: dict = {"attempt_started_at": now}
        if reply.state != ReplyStates.sending.name:
            fields.update(state=ReplyStates.sending.name, state_changed_at=now)
        return fields

    return Call(
        prepare=prepare,
        make=lambda: network.reply(
            channel,
            to_remote_id=request.reply_to_id,
            text=request.text,
            idempotency_key=request.idempotency_key,
        ),
        then=lambda result, error: _after_send(reply, result, error),
        limits=_limits(reply),
    )


def _after_send(reply: Reply, result: PublishResult | None, error: BaseException | None) -> Move:
    if error is None and result is not None:
        return _sent(reply, result)
    if not isinstance(error, NetworkError):
        # A bug: the answer may have gone out, so the row keeps its attempt and
        # is verified next time.
        raise error or RuntimeError("no result and no error")
    with translation.override(reply.workspace.language):
        return _failure(reply, error)


def _failure(reply: Reply, error: NetworkError) -> Move:
    reason, detail = str(error.user_message), error.detail or repr(error)
    if isinstance(error, UnknownOutcome):
        return Move(to=ReplyStates.verifying, error=reason, error_detail=detail)
    done = {"attempt_started_at": None}
    if isinstance(error, AuthExpired):
        if reply.attempts + 1 < REPLY_MAX_ATTEMPTS and credential_refresh_request(
            channel=reply.channel
        ):
            return Move(
                to=ReplyStates.retrying,
                retry_at=timezone.now() + TOKEN_RENEWAL_WAIT,
                error=_(
                    "The network refused this channel's access: Parvis renews it and tries again."
                ),
                error_detail=detail,
                fields={**done, "attempts": reply.attempts + 1},
            )
        channel_record_health(channel=reply.channel, error=error)
        return Move(to=ReplyStates.failed, error=reason, error_detail=detail, fields=done)
    if isinstance(error, PermanentError):
        return Move(to=ReplyStates.failed, error=reason, error_detail=detail, fields=done)
    return retry_or_give_up(
        error=error,
        attempts=reply.attempts,
        most=REPLY_MAX_ATTEMPTS,
        retrying=ReplyStates.retrying,
        failed=ReplyStates.failed,
        fields=done,
    )


def _sent(reply: Reply, result: PublishResult) -> Move:
    """The answer is on the network: it joins the thread as an outgoing message."""
    message = Message(
        workspace_id=reply.workspace_id,
        conversation_id=reply.conversation_id,
        channel_id=reply.channel_id,
        remote_id=result.remote_id,
        kind="reply",
        direction=Direction.OUT,
        sent_by_id=reply.created_by_id,
        text=reply.text,
        created_at=result.published_at,
        parent_id=reply.in_reply_to_id,
        in_reply_to_remote_id=reply.in_reply_to.remote_id,
        url=result.url,
    )
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:  # stored by an earlier run that died before its outcome
        message = Message.objects.get(channel_id=reply.channel_id, remote_id=result.remote_id)
    return Move(to=ReplyStates.sent, fields={"message": message, "attempt_started_at": None})


def verify(reply: Reply) -> Move | Call:
    """Did the last attempt reach the network? Ask it, then decide."""
    network = registry.get(reply.channel.network)
    since = (reply.attempt_started_at or reply.state_changed_at) - VERIFY_MARGIN
    with translation.override(reply.workspace.language):
        try:
            channel = _channel(reply)
        except AuthExpired as error:
            return _failure(reply, error)
    request = _request(reply)
    return Call(
        make=lambda: network.find_published(channel, request, since=since),
        then=lambda found, error: _after_verify(reply, found, error),
        limits=_limits(reply),
    )


def _after_verify(reply: Reply, found: PublishResult | None, error: BaseException | None) -> Move:
    if isinstance(error, NetworkError):  # cannot tell yet: ask again later, never send blind
        return Move(
            retry_at=getattr(error, "retry_at", None),
            error=str(error.user_message),
            error_detail=error.detail,
        )
    if error is not None:
        raise error
    if found is not None:
        return _sent(reply, found)
    return Move(to=ReplyStates.sending, fields={"attempt_started_at": None})
