"""Tokens renewed before they expire, and at once when a network refuses one.

The worker runs ``credentials_refresh_due`` every ``REFRESH_EVERY_SECONDS``. Each
network says when its tokens need renewing (``Network.refresh_due``) and how
(``Network.refresh_tokens``). One worker at a time renews a credential: it claims a
lease with a guarded UPDATE before calling the network, so two workers never spend
the same refresh token (X rotates them: the second would be refused). The lease is
also the wait after a failed try, so a network that is down is not hammered.

A refresh the network refuses for good (``AuthExpired``) marks the channel "needs
reconnect" with the network's reason; its posts wait until it is reconnected.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from asgiref.sync import async_to_sync
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from parvis.channels.actions import channel_record_health
from parvis.channels.models import Channel, ChannelStatus, Credential
from parvis.channels.selectors import channel_ref
from parvis.core.audit import audit
from parvis.networks import registry
from parvis.networks.base import AuthExpired, NetworkError, RateLimited, Tokens

logger = logging.getLogger(__name__)

REFRESH_EVERY_SECONDS = 30
LEASE = timedelta(minutes=2)  # longer than any refresh call takes
RETRY_AFTER = timedelta(minutes=5)  # after a transient failure


def credential_tokens(credential: Credential) -> Tokens:
    return Tokens(
        access_token=credential.access_token,
        refresh_token=credential.refresh_token,
        expires_at=credential.expires_at,
        refresh_expires_at=credential.refresh_expires_at,
        obtained_at=credential.obtained_at,
        scopes=tuple(credential.scopes or ()),
    )


def _refreshable_keys() -> list[str]:
    keys = []
    for key in Channel.objects.values_list("network", flat=True).distinct():
        try:
            network = registry.get(key)
        except registry.UnknownNetwork:
            continue
        if network.renews_tokens:
            keys.append(key)
    return keys


def credentials_refresh_due(*, now: datetime | None = None) -> int:
    """Renew every token that is due or was refused; return how many were renewed."""
    now = now or timezone.now()
    candidates = (
        Credential.objects.filter(channel__network__in=_refreshable_keys())
        .exclude(channel__status__in=[ChannelStatus.NEEDS_RECONNECT, ChannelStatus.DISCONNECTED])
        .filter(Q(refresh_lease_until__isnull=True) | Q(refresh_lease_until__lt=now))
        .select_related("channel")
    )
    renewed = 0
    for credential in candidates:
        if _due(credential, now):
            renewed += credential_refresh(credential_id=credential.pk, now=now)
    return renewed


def _due(credential: Credential, now: datetime) -> bool:
    if credential.refresh_requested_at is not None:
        return True
    network = registry.get(credential.channel.network)
    try:
        return network.refresh_due(credential_tokens(credential), now=now)
    except ValueError:  # cannot be decrypted: the health check says so
        return False


def _claim(credential_id: int, now: datetime) -> bool:
    free = Q(refresh_lease_until__isnull=True) | Q(refresh_lease_until__lt=now)
    return bool(
        Credential.objects.filter(free, pk=credential_id).update(refresh_lease_until=now + LEASE)
    )


def credential_refresh(*, credential_id: int, now: datetime | None = None) -> bool:
    """Renew one credential's tokens now; True if they were renewed."""
    now = now or timezone.now()
    if not _claim(credential_id, now):
        return False  # another worker is on it, or waits after a failure
    credential = Credential.objects.select_related("channel__workspace").get(pk=credential_id)
    channel = credential.channel
    network = registry.get(channel.network)
    try:
        tokens = credential_tokens(credential)
    except ValueError:  # encrypted with a key Parvis no longer has: the health check says so
        _release(credential, until=now + RETRY_AFTER)
        return False
    try:
        renewed = async_to_sync(network.refresh_tokens)(channel_ref(channel=channel), tokens)
    except AuthExpired as error:
        _refused(credential, error, now)
        return False
    except NetworkError as error:
        until = error.retry_at if isinstance(error, RateLimited) else now + RETRY_AFTER
        logger.warning(
            "Renewing the token of channel %s failed for now: %s", channel.pk, error.detail
        )
        _release(credential, until=until)
        return False
    _store(credential, renewed, now)
    return True


def _release(credential: Credential, *, until: datetime | None) -> None:
    credential.refresh_lease_until = until
    credential.save(update_fields=["refresh_lease_until"])


@transaction.atomic
def _store(credential: Credential, renewed: Tokens, now: datetime) -> None:
    credential.access_token = renewed.access_token
    if renewed.refresh_token:  # a network that did not send a new one keeps the old
        credential.refresh_token = renewed.refresh_token
        credential.refresh_expires_at = renewed.refresh_expires_at
    credential.expires_at = renewed.expires_at
    credential.obtained_at = renewed.obtained_at or now
    if renewed.scopes:
        credential.scopes = list(renewed.scopes)
    credential.refresh_requested_at = None
    credential.refresh_failed_at = None
    credential.refresh_lease_until = None
    credential.save()
    logger.info("Renewed the token of channel %s", credential.channel_id)


@transaction.atomic
def _refused(credential: Credential, error: AuthExpired, now: datetime) -> None:
    credential.refresh_failed_at = now
    credential.refresh_requested_at = None
    credential.refresh_lease_until = None
    credential.save(
        update_fields=["refresh_failed_at", "refresh_requested_at", "refresh_lease_until"]
    )
    channel_record_health(channel=credential.channel, error=error)
    audit(
        verb="channel.token_refresh_refused",
        workspace=credential.channel.workspace,
        target=credential.channel,
        reason=str(error.user_message),
    )
