"""A rate limit holds the others: when a network asks to wait, nobody else on that limit calls.

A network's ``RateLimited`` says whose limit it is: the channel's (``"channel"``) or the
whole app's on that network (``"app"``). The delivery that met it waits until
``retry_at``; so do the others on the same limit:

* in the database, every other due-or-soon delivery (``scheduled`` or ``retrying``, due
  before the reset) of the channel, or of every channel of the network, is moved to the
  reset. It keeps its place in the queue and no attempt is counted;
* in this worker, deliveries already claimed and waiting for their turn to call see the
  hold (``held_until``) and step back to ``retrying`` at the reset without calling.

A successful publish may also say that it used the last call of the window
(``PublishResult.hold_until``): the channel is held the same way until the reset.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from parvis.core.audit import audit

if TYPE_CHECKING:
    from parvis.publishing.models import Delivery

logger = logging.getLogger("parvis.publishing")

CHANNEL, APP = "channel", "app"
WAITING = ("scheduled", "retrying")


@dataclass(frozen=True)
class Hold:
    until: datetime
    reason: str


class Held(Exception):
    """Raised instead of a call: the delivery's channel or network is held."""

    def __init__(self, hold: Hold) -> None:
        super().__init__(f"held until {hold.until.isoformat()}")
        self.hold = hold


# What this worker knows is held: "channel:<id>" or "network:<key>" -> the hold.
_holds: dict[str, Hold] = {}


def _keys(delivery: Delivery) -> tuple[str, str]:
    return f"channel:{delivery.channel_id}", f"network:{delivery.channel.network}"


def _key(delivery: Delivery, scope: str) -> str:
    channel_key, network_key = _keys(delivery)
    return network_key if scope == APP else channel_key


def held_until(delivery: Delivery) -> Hold | None:
    """The latest hold on this delivery's channel or network still running, if any."""
    now = timezone.now()
    running = [h for key in _keys(delivery) if (h := _holds.get(key)) and h.until > now]
    return max(running, key=lambda hold: hold.until, default=None)


def forget() -> None:
    """Drop what this worker remembers of holds (tests start from nothing)."""
    _holds.clear()


def hold_others(*, delivery: Delivery, until: datetime, scope: str, reason: str) -> int:
    """Hold the other deliveries on the limit ``delivery`` met until ``until``; how many.

    Never raises: the delivery's own outcome (e.g. published) must be written whatever
    happens here; the others would then meet the limit themselves.
    """
    try:
        return _hold_others(delivery, until=until, scope=scope, reason=reason)
    except Exception:
        logger.exception("delivery %s: holding the others failed", delivery.pk)
        return 0


def _hold_others(delivery: Delivery, *, until: datetime, scope: str, reason: str) -> int:
    from parvis.publishing.models import Delivery

    if until <= timezone.now():  # the limit has reset already
        return 0
    key = _key(delivery, scope)
    current = _holds.get(key)
    if current is None or current.until < until:
        _holds[key] = Hold(until, reason)
    others = Delivery.objects.filter(state__in=WAITING, next_attempt_at__lt=until).exclude(
        pk=delivery.pk
    )
    if scope == APP:
        others = others.filter(channel__network=delivery.channel.network)
    else:
        others = others.filter(channel_id=delivery.channel_id)
    with transaction.atomic():
        held = list(others.select_for_update().values_list("channel_id", flat=True))
        others.update(next_attempt_at=until)
        _audit(delivery, held, until=until, scope=scope, reason=reason)
    logger.info(
        "delivery %s met the %s rate limit of %s: %d other deliveries held until %s",
        delivery.pk,
        scope,
        key,
        len(held),
        until.isoformat(),
    )
    return len(held)


def _audit(
    delivery: Delivery, held: list[int], *, until: datetime, scope: str, reason: str
) -> None:
    """One line per channel whose deliveries were held, in that channel's workspace."""
    from parvis.channels.models import Channel

    counts: dict[int, int] = defaultdict(int)
    for channel_id in held:
        counts[channel_id] += 1
    channels = Channel.objects.select_related("workspace").in_bulk(list(counts))
    for channel_id, count in counts.items():
        channel = channels[channel_id]
        audit(
            verb="channel.rate_limited",
            workspace=channel.workspace,
            target=channel,
            scope=scope,
            until=until.isoformat(),
            held=count,
            reason=reason,
            met_by_delivery=delivery.pk,
        )
