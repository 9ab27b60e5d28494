"""A rate limit met on X holds the others on the same limit until its reset.

The engine runs inline (``run_once``) against the X test server in its own process;
the limits are the server's (a queued 429 with its ``x-rate-limit-*`` headers, a
per-account window, the app's 24-hour cap).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from parvis.channels.actions import channel_connect
from parvis.channels.models import Channel
from parvis.core.audit import AuditEvent
from parvis.engine.runner import run_once, run_row
from parvis.networks import registry
from parvis.networks.base import ConnectedAccount, PublishRequest
from parvis.networks.x.network import X
from parvis.publishing.actions import post_schedule
from parvis.publishing.models import Delivery, Post
from tests.networks.x.conftest import XServer


@pytest.fixture
def x_enabled(x_limits: XServer, settings, x_registered) -> XServer:
    settings.PARVIS_X_API_BASE_URL = x_limits.base_url
    return x_limits


def x_channel(workspace, server: XServer, name: str) -> Channel:
    ref = server.new_channel(username=name)
    account = ConnectedAccount(
        external_id=ref.external_id, name=name, handle=name, access_token=ref.access_token
    )
    return channel_connect(workspace=workspace, network_key="x", account=account, acting_user=None)


def sandbox_channel(workspace) -> Channel:
    account = registry.get("sandbox_x").ensure_account(
        external_id="holds", name="Bac à sable", handle="bac"
    )
    return channel_connect(
        workspace=workspace, network_key="sandbox_x", account=account, acting_user=None
    )


def schedule(workspace, channel: Channel, text: str, at: datetime) -> Delivery:
    post = Post.objects.create(workspace=workspace, text=text)
    (delivery,) = post_schedule(post=post, at=at, channels=[channel], acting_user=None)
    return delivery


def fresh(delivery: Delivery) -> Delivery:
    return Delivery.objects.get(pk=delivery.pk)


def settle(delivery: Delivery) -> Delivery:
    """Run one delivery through its states (scheduled, publishing) until it rests."""
    for _round in range(3):
        delivery = fresh(delivery)
        if delivery.state not in ("scheduled", "publishing"):
            break
        run_row(delivery)
    return fresh(delivery)


def run_rounds(rounds: int = 4) -> None:
    """What a worker does over a few ticks: due deliveries move on, state after state."""
    for _round in range(rounds):
        run_once(Delivery)


def wait_until(moment: datetime) -> None:
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.05)


@pytest.mark.django_db(transaction=True)
def test_a_429_holds_the_channel_other_deliveries_until_its_reset_then_they_go_out(
    workspace, x_enabled
):
    x_enabled.configure(rate_window=4)  # the 429's x-rate-limit-reset is 3 to 4 s away
    channel = x_channel(workspace, x_enabled, "fournil")
    other = x_channel(workspace, x_enabled, "moulin")
    now = timezone.now()
    first = schedule(workspace, channel, "Premier pain", now - timedelta(minutes=1))
    waiting = [schedule(workspace, channel, f"Pain numéro {n}", now) for n in (2, 3)]
    soon = schedule(workspace, channel, "Bientôt", now + timedelta(seconds=2))
    later = schedule(workspace, channel, "Demain", now + timedelta(hours=1))
    elsewhere = schedule(workspace, other, "Au moulin", now + timedelta(seconds=2))
    x_enabled.queue("429", path="/2/tweets")

    # One batch: the first meets the 429; the two others, waiting their turn behind it
    # on this channel, are held back without calling X.
    assert run_once(Delivery) == 3

    first = fresh(first)
    reset = first.next_attempt_at
    assert first.state == "retrying" and first.attempts == 1
    assert now + timedelta(seconds=2) < reset <= now + timedelta(seconds=5)
    assert first.last_error == "X asks Parvis to wait before posting again on this account."
    for held in [*waiting, soon]:
        held = fresh(held)
        assert held.state in ("retrying", "scheduled")
        assert held.next_attempt_at == reset
        assert held.attempts == 0  # held, not tried: no attempt counted
        assert held.attempt_started_at is None
    assert fresh(later).next_attempt_at == later.next_attempt_at  # after the reset: untouched
    assert fresh(elsewhere).next_attempt_at == elsewhere.next_attempt_at  # another channel
    assert x_enabled.tweets(channel.external_id) == []  # nobody called X after the 429
    event = AuditEvent.objects.get(verb="channel.rate_limited")
    assert event.target_id == str(channel.pk)
    # In the database: the two claimed behind it (not started yet) and the one due soon.
    assert event.data["held"] == 3 and event.data["scope"] == "channel"

    wait_until(reset)
    run_rounds()
    for delivery in [first, *waiting, soon, elsewhere]:
        assert fresh(delivery).state == "published"
    assert fresh(later).state == "scheduled"
    tweets = sorted(x_enabled.tweets(channel.external_id), key=lambda t: int(t["id"]))
    texts = [t["text"] for t in tweets]
    assert texts == ["Premier pain", "Pain numéro 2", "Pain numéro 3", "Bientôt"]  # in order


@pytest.mark.django_db(transaction=True)
def test_a_429_met_while_verifying_holds_the_channel_too(workspace, x_enabled):
    x_enabled.configure(rate_window=4)
    channel = x_channel(workspace, x_enabled, "verif")
    now = timezone.now()
    unsure = schedule(workspace, channel, "Arrivé ou pas ?", now - timedelta(minutes=1))
    # Its last attempt's answer was lost: it must ask X before anything else.
    Delivery.objects.filter(pk=unsure.pk).update(
        state="verifying", attempt_started_at=now - timedelta(seconds=30)
    )
    behind = schedule(workspace, channel, "Derrière lui", now + timedelta(seconds=1))
    x_enabled.queue("429", path=f"/2/users/{channel.external_id}/tweets")

    assert run_once(Delivery) == 1  # the look-up meets the limit
    unsure = fresh(unsure)
    assert unsure.state == "verifying"  # still unsure: never publishes blind
    reset = unsure.next_attempt_at
    assert now + timedelta(seconds=2) < reset <= now + timedelta(seconds=5)
    assert fresh(behind).next_attempt_at == reset  # held until the same reset
    assert AuditEvent.objects.get(verb="channel.rate_limited").data["held"] == 1

    wait_until(reset)
    run_rounds()
    texts = [t["text"] for t in x_enabled.tweets(channel.external_id)]
    assert sorted(texts) == ["Arrivé ou pas ?", "Derrière lui"]


@pytest.mark.django_db(transaction=True)
def test_a_post_that_uses_the_last_call_of_the_window_holds_the_channel(workspace, x_enabled):
    x_enabled.configure(rate_limit=2, rate_window=3)
    channel = x_channel(workspace, x_enabled, "fournil")
    now = timezone.now()
    deliveries = [
        schedule(workspace, channel, f"Fournée {n}", now + timedelta(microseconds=n))
        for n in range(3)
    ]
    refused_before = x_enabled.stats()["counters"].get("status_429", 0)

    run_once(Delivery)  # two posts, then the window is used up

    one, two, three = (fresh(d) for d in deliveries)
    assert (one.state, two.state) == ("published", "published")
    assert three.state == "retrying" and three.attempts == 0
    reset = three.next_attempt_at
    assert now < reset <= now + timedelta(seconds=4)
    assert three.last_error.startswith("This channel has used all the posts the network allows")
    assert x_enabled.stats()["counters"].get("status_429", 0) == refused_before  # never refused

    wait_until(reset)
    run_rounds()
    assert fresh(three).state == "published"
    assert len(x_enabled.tweets(channel.external_id)) == 3


@pytest.mark.django_db(transaction=True)
def test_an_app_wide_429_holds_every_x_channel_but_not_the_sandbox(workspace, x_enabled):
    x_enabled.configure(app_limit=1)
    one = x_channel(workspace, x_enabled, "fournil")
    two = x_channel(workspace, x_enabled, "moulin")
    sandbox = sandbox_channel(workspace)
    now = timezone.now()
    used = schedule(workspace, one, "La seule permise", now - timedelta(minutes=3))
    met = schedule(workspace, one, "Refusée", now - timedelta(minutes=2))
    held = [
        schedule(workspace, one, "Fournil encore", now),
        schedule(workspace, two, "Moulin", now),
        schedule(workspace, two, "Moulin plus tard", now + timedelta(hours=2)),
    ]
    free = schedule(workspace, sandbox, "Le bac à sable", now)

    assert settle(used).state == "published"  # the app's only post of the day
    met = settle(met)  # meets the app's cap
    assert met.state == "retrying" and met.attempts == 1
    assert met.next_attempt_at > now + timedelta(hours=23)  # X's 24-hour app window
    for delivery in held:
        delivery = fresh(delivery)
        assert delivery.state == "scheduled" and delivery.attempts == 0
        assert delivery.next_attempt_at == met.next_attempt_at
    assert fresh(free).next_attempt_at == free.next_attempt_at
    assert {e.target_id for e in AuditEvent.objects.filter(verb="channel.rate_limited")} == {
        str(one.pk),
        str(two.pk),
    }

    assert run_once(Delivery) == 1  # only the Sandbox delivery is due
    assert fresh(free).state == "published"
    assert len(x_enabled.tweets(two.external_id)) == 0


def test_the_x_connector_says_when_a_post_used_the_window_last_call(x_limits):
    x_limits.configure(rate_limit=2, rate_window=60)
    network, channel = X(base_url=x_limits.base_url), x_limits.new_channel()
    first = async_to_sync(network.publish)(channel, PublishRequest("Un", "k1"))
    second = async_to_sync(network.publish)(channel, PublishRequest("Deux", "k2"))
    assert first.hold_until is None
    assert second.hold_until == network.rate_limits[channel.external_id].reset_at
    assert second.hold_until > datetime.now(UTC)
