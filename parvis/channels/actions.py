"""Writes about channels: connect, disconnect, record their health."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from parvis.accounts.models import User, Workspace
from parvis.channels.models import Channel, ChannelStatus, Credential
from parvis.channels.signals import channel_reconnected
from parvis.core.audit import audit
from parvis.networks import registry
from parvis.networks.base import AuthExpired, ConnectedAccount, NetworkError


@transaction.atomic
def channel_connect(
    *, workspace: Workspace, network_key: str, account: ConnectedAccount, acting_user: User | None
) -> Channel:
    """Connect (or reconnect) one account. Reconnecting keeps a refresh token
    the network did not replace."""
    channel, created = Channel.objects.select_for_update().get_or_create(
        workspace=workspace,
        network=network_key,
        external_id=account.external_id,
        defaults={"name": account.name, "connected_by": acting_user},
    )
    channel.name = account.name
    channel.handle = account.handle
    channel.avatar_url = account.avatar_url
    channel.options = {**channel.options, **account.options}
    channel.status = ChannelStatus.HEALTHY
    channel.status_reason = ""
    channel.status_changed_at = timezone.now()
    channel.save()
    credential, _ = Credential.objects.get_or_create(channel=channel)
    credential.access_token = account.access_token
    if account.refresh_token:
        credential.refresh_token = account.refresh_token
        credential.refresh_expires_at = account.refresh_expires_at
    credential.expires_at = account.expires_at
    credential.obtained_at = timezone.now()
    credential.scopes = list(account.scopes)
    credential.save()
    if not created:
        transaction.on_commit(lambda: channel_reconnected.send(sender=Channel, channel=channel))
    audit(
        verb="channel.connected" if created else "channel.reconnected",
        workspace=workspace,
        actor=acting_user,
        target=channel,
        network=network_key,
    )
    return channel


@transaction.atomic
def channel_disconnect(*, channel: Channel, acting_user: User | None) -> None:
    """Forget the channel and its tokens. Its posts stay, without this channel."""
    audit(
        verb="channel.disconnected",
        workspace=channel.workspace,
        actor=acting_user,
        target=channel,
        network=channel.network,
    )
    channel.delete()


@transaction.atomic
def channel_record_health(*, channel: Channel, error: NetworkError | None) -> Channel:
    """Record what a health check found: healthy, needs reconnect, or error with its reason."""
    if error is None:
        status, reason = ChannelStatus.HEALTHY, ""
    elif isinstance(error, AuthExpired):
        status, reason = ChannelStatus.NEEDS_RECONNECT, str(error.user_message)
    else:
        status, reason = ChannelStatus.ERROR, str(error.user_message)
    if (status, reason) != (channel.status, channel.status_reason):
        channel.status, channel.status_reason = status, reason
        channel.status_changed_at = timezone.now()
        channel.save(update_fields=["status", "status_reason", "status_changed_at"])
        audit(
            verb="channel.status_changed",
            workspace=channel.workspace,
            target=channel,
            status=status,
        )
    return channel


# A token issued this recently and already refused is not worth renewing.
FRESH_TOKEN = timedelta(minutes=10)


def credential_refresh_request(*, channel: Channel) -> bool:
    """A network refused the channel's token: ask for a refresh, unless that cannot help.

    ``channel.credential`` is the credential the refused call used. A refresh can help
    when the network renews tokens and that token has not already failed to renew;
    if a newer token was stored meanwhile, trying again with it is enough. Returns
    whether trying again shortly makes sense (instead of waiting for a reconnect).
    """
    try:
        network = registry.get(channel.network)
        used = channel.credential
    except (registry.UnknownNetwork, Credential.DoesNotExist):
        return False
    if not network.renews_tokens:
        return False
    current = Credential.objects.filter(pk=used.pk).values(
        "obtained_at", "refresh_failed_at", "refresh_requested_at"
    )
    row = current.first()
    if row is None:
        return False
    issued = row["obtained_at"]
    if issued != used.obtained_at:
        return True  # renewed since that call began: try again with the new token
    if row["refresh_failed_at"] and (issued is None or row["refresh_failed_at"] > issued):
        return False  # this very token could not be renewed
    if issued is not None and timezone.now() - issued < FRESH_TOKEN:
        return False  # a token this new was refused: renewing it again will not help
    if row["refresh_requested_at"] is None:
        Credential.objects.filter(pk=used.pk, refresh_requested_at__isnull=True).update(
            refresh_requested_at=timezone.now()
        )
    return True
