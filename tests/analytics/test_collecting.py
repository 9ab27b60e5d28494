"""Figures collected from the network on a schedule, and shown where people look."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from parvis.analytics.actions import collections_ensure
from parvis.analytics.collecting import snapshots_store
from parvis.analytics.models import MetricsCollection, MetricSnapshot
from parvis.analytics.selectors import followers_change, latest_figures
from parvis.channels.actions import channel_connect
from parvis.channels.models import ChannelStatus
from parvis.engine.runner import run_once
from parvis.networks import registry
from parvis.networks.base import MetricSample
from parvis.networks.sandbox.audience import simulate_audience
from parvis.networks.sandbox.models import SandboxAccount
from parvis.publishing.actions import post_schedule
from parvis.publishing.models import Delivery, Post
from tests import factories

pytestmark = pytest.mark.django_db


def sandbox_channel(workspace, key="sandbox_instagram", name="Fleurs de Lise"):
    return factories.make_sandbox_channel(workspace, key, name)


def published_post(workspace, channel, text="Bouquet du jour", *, days_ago=0):
    post = Post.objects.create(workspace=workspace, text=text)
    (delivery,) = post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=None)
    run_once(Delivery)
    delivery.refresh_from_db()
    assert delivery.state == "published"
    if days_ago:
        when = timezone.now() - timedelta(days=days_ago)
        Delivery.objects.filter(pk=delivery.pk).update(published_at=when)
        delivery.refresh_from_db()
    return post, delivery


def collect_now():
    MetricsCollection.objects.update(next_attempt_at=timezone.now())
    return run_once(MetricsCollection)


def test_every_channel_gets_one_collection_row(workspace):
    first = sandbox_channel(workspace)
    assert collections_ensure() == 1
    sandbox_channel(workspace, key="sandbox_x", name="Autre")
    assert collections_ensure() == 1
    assert collections_ensure() == 0
    assert MetricsCollection.objects.get(channel=first).state == "collecting"


def test_the_account_and_its_posts_figures_are_stored_as_the_network_gives_them(workspace):
    channel = sandbox_channel(workspace, key="sandbox_x")
    _post, delivery = published_post(workspace, channel)
    simulate_audience(now=timezone.now() + timedelta(hours=3))
    collections_ensure()
    assert collect_now() == 1
    collection = MetricsCollection.objects.get(channel=channel)
    assert collection.state == "collecting" and collection.last_collected_at is not None
    assert collection.next_attempt_at > timezone.now() + timedelta(minutes=50)
    names = set(
        MetricSnapshot.objects.filter(channel=channel, remote_id=delivery.remote_id).values_list(
            "name", flat=True
        )
    )
    assert {"views", "reach", "likes", "comments", "shares"} <= names
    figures = latest_figures(
        workspace=workspace, keys=[(channel.pk, ""), (channel.pk, delivery.remote_id)]
    )
    account = SandboxAccount.objects.get(external_id=channel.external_id)
    assert figures[(channel.pk, "")].value("followers") >= account.base_followers
    network_figures = async_to_sync(registry.get("sandbox_x").fetch_metrics)(
        _ref(channel), remote_ids=[delivery.remote_id]
    )
    expected = {s.name: s.value for s in network_figures if s.remote_id == delivery.remote_id}
    stored = figures[(channel.pk, delivery.remote_id)]
    assert stored.value("comments") == expected["comments"]
    assert stored.value("likes") == expected["likes"]


def _ref(channel):
    from parvis.channels.selectors import channel_ref

    return channel_ref(channel=channel)


def test_the_newest_figures_win(workspace):
    channel = sandbox_channel(workspace, key="sandbox_x")
    _post, delivery = published_post(workspace, channel)
    collections_ensure()
    collect_now()
    simulate_audience(now=timezone.now() + timedelta(days=1))
    collect_now()
    snapshots = MetricSnapshot.objects.filter(
        channel=channel, remote_id=delivery.remote_id, name="comments"
    ).order_by("-measured_at")
    assert snapshots.count() == 2
    figures = latest_figures(workspace=workspace, keys=[(channel.pk, delivery.remote_id)])
    assert figures[(channel.pk, delivery.remote_id)].value("comments") == snapshots[0].value


def test_older_posts_are_measured_once_a_day_recent_ones_every_run(workspace):
    channel = sandbox_channel(workspace, key="sandbox_x")
    _old, old_delivery = published_post(workspace, channel, "Ancien", days_ago=10)
    _new, new_delivery = published_post(workspace, channel, "Nouveau")
    collections_ensure()
    collect_now()  # the day's first run: both
    collect_now()  # the same day: the recent post only
    counts = {
        d.remote_id: MetricSnapshot.objects.filter(remote_id=d.remote_id, name="reach").count()
        for d in (old_delivery, new_delivery)
    }
    assert counts == {old_delivery.remote_id: 1, new_delivery.remote_id: 2}


def test_a_refused_access_pauses_collection_until_the_channel_is_reconnected(workspace):
    channel = sandbox_channel(workspace)  # a token issued just now: renewing will not help
    SandboxAccount.objects.filter(external_id=channel.external_id).update(token_revoked=True)
    collections_ensure()
    collect_now()
    collection = MetricsCollection.objects.get(channel=channel)
    channel.refresh_from_db()
    assert collection.state == "paused" and "reconnect" in collection.last_error
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert not MetricSnapshot.objects.exists()

    network = registry.get(channel.network)
    (account,) = async_to_sync(network.connect_finish)(
        params={"external_id": channel.external_id}, state={}, redirect_uri=""
    )
    with _on_commit_now():
        channel_connect(
            workspace=workspace, network_key=channel.network, account=account, acting_user=None
        )
    collection.refresh_from_db()
    assert collection.state == "collecting"
    collect_now()
    assert MetricSnapshot.objects.filter(channel=channel, name="followers").exists()


def _on_commit_now():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_a_network_that_is_down_delays_the_next_run_and_keeps_nothing_half_made(
    workspace, settings
):
    channel = sandbox_channel(workspace)
    collections_ensure()
    settings.PARVIS_SANDBOX_FAILURE_RATE = 1.0
    collect_now()
    collection = MetricsCollection.objects.get(channel=channel)
    assert collection.state == "collecting" and collection.attempts == 1
    assert collection.last_error and collection.last_collected_at is None
    assert timezone.now() < collection.next_attempt_at < timezone.now() + timedelta(minutes=61)
    assert not MetricSnapshot.objects.exists()


def test_the_post_page_and_the_channels_page_show_the_figures(logged_in_client, workspace):
    channel = sandbox_channel(workspace, key="sandbox_x", name="Brasserie Nord")
    post, delivery = published_post(workspace, channel)
    collections_ensure()
    collect_now()
    figures = latest_figures(workspace=workspace, keys=[(channel.pk, delivery.remote_id)])
    reach = figures[(channel.pk, delivery.remote_id)].value("reach")
    page = logged_in_client.get(f"/w/{workspace.slug}/posts/{post.pk}/").content.decode()
    fragment_url = f"/w/{workspace.slug}/analytics/posts/{post.pk}/figures/"
    assert fragment_url in page
    fragment = logged_in_client.get(fragment_url).content.decode()
    assert "Brasserie Nord" in fragment and "Reach" in fragment
    shown = re.search(r'data-name="reach">Reach</dt>\s*<dd[^>]*>([^<]+)</dd>', fragment)
    assert shown and int(re.sub(r"\D", "", shown.group(1))) == int(reach)
    assert "How many different accounts saw the post" in fragment  # explained where shown
    channels = logged_in_client.get(f"/w/{workspace.slug}/analytics/channels/figures/")
    text = channels.content.decode()
    assert "Brasserie Nord" in text and "Followers" in text and "ago" in text


def test_another_workspaces_post_figures_are_not_found(logged_in_client, workspace):
    other = factories.make_workspace("Ailleurs", owner=factories.make_user())
    channel = sandbox_channel(other, key="sandbox_x")
    post, _delivery = published_post(other, channel)
    response = logged_in_client.get(f"/w/{workspace.slug}/analytics/posts/{post.pk}/figures/")
    assert response.status_code == 404


def test_a_posts_figures_read_a_moment_apart_are_shown_together(workspace):
    """Facebook reads a post's insights, then its comments and shares, in two requests:
    the figures of one collection are one measurement, all shown beside the post."""
    channel = sandbox_channel(workspace, key="sandbox_facebook")
    collections_ensure()
    collection = MetricsCollection.objects.get(channel=channel)
    first = timezone.now()
    later = first + timedelta(milliseconds=40)
    snapshots_store(
        collection=collection,
        samples=[
            MetricSample("followers", 310, first),
            MetricSample("views", 480, later, "p1"),
            MetricSample("comments", 2, first, "p1"),
            MetricSample("shares", 1, first + timedelta(milliseconds=5), "p1"),
        ],
    )
    figures = latest_figures(workspace=workspace, keys=[(channel.pk, ""), (channel.pk, "p1")])
    post = figures[(channel.pk, "p1")]
    assert (post.value("views"), post.value("comments"), post.value("shares")) == (480, 2, 1)
    assert post.measured_at == later
    assert figures[(channel.pk, "")].value("followers") == 310


def test_a_channel_measured_once_shows_no_change_in_followers_yet(workspace):
    channel = sandbox_channel(workspace, key="sandbox_x")
    collections_ensure()
    collection = MetricsCollection.objects.get(channel=channel)
    now = timezone.now()
    snapshots_store(collection=collection, samples=[MetricSample("followers", 77, now)])
    assert followers_change(workspace=workspace, channel_ids=[channel.pk]) == {}
    later = [MetricSample("followers", 80, now + timedelta(hours=1))]
    snapshots_store(collection=collection, samples=later)
    assert followers_change(workspace=workspace, channel_ids=[channel.pk]) == {channel.pk: 3}
