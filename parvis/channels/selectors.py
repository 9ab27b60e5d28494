"""Reads about channels, always scoped to one workspace."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from parvis.accounts.models import Workspace
from parvis.channels.models import Channel, Credential
from parvis.networks import registry
from parvis.networks.base import ChannelRef


def channels_of(*, workspace: Workspace) -> QuerySet[Channel]:
    return Channel.objects.in_workspace(workspace).order_by("network", "name")


def channel_of_or_404(*, workspace: Workspace, channel_id: int) -> Channel:
    return get_object_or_404(Channel.objects.in_workspace(workspace), pk=channel_id)


def channel_ref(*, channel: Channel) -> ChannelRef:
    """What a network is told about the channel (tokens decrypted here only)."""
    try:  # already loaded when the caller selected it with the channel
        credential = channel.credential
    except Credential.DoesNotExist:
        credential = None
    token = credential.access_token if credential else ""
    return ChannelRef(external_id=channel.external_id, access_token=token, options=channel.options)


def channel_label(channel: Channel) -> str:
    """The channel's network, by name, so a brand's same-named pages can be told apart."""
    try:
        return str(registry.get(channel.network).name)
    except registry.UnknownNetwork:
        return channel.network


def credentials_load(*, channels: list[Channel]) -> None:
    """Load many channels' credentials in one query (for a batch of deliveries).

    If one token cannot be decrypted the whole load is skipped: each channel
    then loads its own, and only that one fails (with a clear reason).
    """
    ids = {c.pk for c in channels}
    try:
        found = {c.channel_id: c for c in Credential.objects.filter(channel_id__in=ids)}
    except ValueError:
        return
    for channel in channels:
        credential = found.get(channel.pk)
        if credential is not None:
            channel._state.fields_cache["credential"] = credential
