"""Reading each channel's new comments, mentions and messages from its network.

Each channel has one ``InboxPolling`` row (the row is the job). When it is due,
the runner asks the network for what came after the stored cursor. The messages
are committed first (``messages_store``, its own transaction) and the cursor only
with the row's outcome afterwards: a worker that dies in between reads the same
page again, and the messages already stored are not stored twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parvis.channels.models import ChannelStatus
from parvis.channels.reading import reading_refused
from parvis.channels.selectors import channel_ref
from parvis.engine.runner import Call, Move, backoff
from parvis.inbox.ingesting import messages_store
from parvis.inbox.states import PollingStates
from parvis.networks import registry
from parvis.networks.base import InteractionPage, NetworkError

if TYPE_CHECKING:
    from parvis.inbox.models import InboxPolling

NEXT_PAGE_WAIT = timedelta(seconds=1)  # a full page: more is waiting


def interval() -> timedelta:
    return timedelta(seconds=settings.PARVIS_INBOX_POLL_SECONDS)


def poll(polling: InboxPolling) -> Move | Call:
    """Ask the channel's network for what is new since the cursor (or wait, with the reason)."""
    channel = polling.channel
    now = timezone.now()
    try:
        network = registry.get(channel.network)
    except registry.UnknownNetwork:
        return Move(retry_at=now + interval(), error_detail=f"unknown network {channel.network}")
    with translation.override(channel.workspace.language):
        if channel.status in (ChannelStatus.NEEDS_RECONNECT, ChannelStatus.DISCONNECTED):
            return Move(to=PollingStates.paused, error=channel.status_reason)
        try:
            ref = channel_ref(channel=channel)
        except ValueError as error:  # encrypted with a key Parvis no longer has
            reason = _("Parvis cannot read this channel's access: reconnect the channel.")
            return Move(to=PollingStates.paused, error=reason, error_detail=str(error))
    cursor = polling.cursor
    return Call(
        make=lambda: network.fetch_interactions(ref, cursor=cursor),
        then=lambda page, error: _after(polling, page, error, now),
        limits=(
            (f"inbox:{channel.pk}", 1),
            (f"network:{channel.network}", settings.PARVIS_PUBLISH_PER_NETWORK),
        ),
    )


def _after(
    polling: InboxPolling,
    page: InteractionPage | None,
    error: BaseException | None,
    started: datetime,
) -> Move:
    if error is None and page is not None:
        messages_store(channel=polling.channel, interactions=page.items)  # committed here
        more = bool(page.items) and page.cursor != polling.cursor
        full = more and len(page.items) >= settings.PARVIS_INBOX_FULL_PAGE
        return Move(
            retry_at=timezone.now() + NEXT_PAGE_WAIT if full else started + interval(),
            fields={"cursor": page.cursor, "last_polled_at": started, "attempts": 0},
        )
    if not isinstance(error, NetworkError):
        raise error or RuntimeError("no page and no error")
    return Move(
        **reading_refused(
            channel=polling.channel,
            error=error,
            attempts=polling.attempts,
            every=interval(),
            paused=PollingStates.paused,
            backoff=backoff,
        )
    )
