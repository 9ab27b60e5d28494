"""Several channels' items stored together (a webhook batch names many accounts) leave
exactly what storing each channel alone leaves; a failure mid-batch loses nothing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.utils import timezone

from parvis.channels.models import Channel
from parvis.engine.runner import run_once
from parvis.inbox import bulk_ingesting
from parvis.inbox.ingesting import messages_store, messages_store_many
from parvis.inbox.models import Conversation, InboundEvent, Message
from parvis.inbox.threads import Author
from tests import factories
from tests.inbox.conftest import sign
from tests.inbox.test_ingesting import said
from tests.inbox.test_ingesting_paths import batch
from tests.inbox.test_webhooks import delivery_body, entry, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(workspace):
    """Two Pages of one workspace, and the first Page connected in another workspace too."""
    other = factories.make_workspace("Autre boutique", owner=workspace.memberships.first().user)
    return [
        Channel.objects.create(workspace=workspace, network="hooknet", external_id="a", name="A"),
        Channel.objects.create(workspace=workspace, network="hooknet", external_id="b", name="B"),
        Channel.objects.create(workspace=other, network="hooknet", external_id="a", name="A2"),
    ]


def items_of(channel: Channel) -> list:
    """Each channel its own items: the shared batch (a duplicate, a reply to a message of
    the same batch, a mention), plus one item of its own."""
    return [*batch(), said(f"own-{channel.external_id}", post_remote_id="p2", minutes=9)]


def snapshot(channel: Channel):
    conversations = sorted(
        (
            *(c.thread_key, c.message_count, c.preview, c.language, c.sentiment, c.intent),
            *(c.priority, c.status, c.last_message_at, c.author.external_id if c.author else ""),
        )
        for c in Conversation.objects.filter(channel=channel)
    )
    messages = sorted(
        (
            *(m.remote_id, m.conversation.thread_key, m.parent.remote_id if m.parent else ""),
            *(m.language, m.sentiment, m.intent, m.author.external_id if m.author else "", m.text),
        )
        for m in Message.objects.filter(channel=channel).select_related(
            "conversation", "parent", "author"
        )
    )
    authors = sorted(
        (a.external_id, a.handle, a.name, a.first_seen_at, a.last_seen_at)
        for a in Author.objects.filter(workspace_id=channel.workspace_id)
    )
    return conversations, messages, authors


def forget_everything() -> None:
    Message.objects.all().delete()
    Conversation.objects.all().delete()
    Author.objects.all().delete()


def test_channels_stored_together_hold_what_each_stored_alone_holds(channels):
    already = said("c1", post_remote_id="p1", minutes=0, text="Vous livrez le dimanche ?")
    items = {channel.pk: items_of(channel) for channel in channels}  # the same times each way
    for channel in channels:
        messages_store(channel=channel, interactions=[already])
        messages_store(channel=channel, interactions=items[channel.pk])
    alone = [snapshot(channel) for channel in channels]
    forget_everything()

    for channel in channels:
        messages_store(channel=channel, interactions=[already])
    new: set = set()
    stored = messages_store_many([(c, items[c.pk]) for c in channels], new=new)

    assert stored == 3 * 4  # c1 was there: c2, c3, m1 and its own item, in each channel
    assert new == {(c.pk, i) for c in channels for i in ("c2", "c3", "m1", f"own-{c.external_id}")}
    assert [snapshot(channel) for channel in channels] == alone
    # The same batch read again stores nothing more.
    assert messages_store_many([(c, items[c.pk]) for c in channels]) == 0
    assert Message.objects.count() == 3 * 5


def test_another_worker_storing_some_meanwhile_stores_each_channel_one_at_a_time(
    channels, monkeypatch
):
    items = {channel.pk: items_of(channel) for channel in channels}
    messages_store_many([(c, items[c.pk]) for c in channels])
    together = [snapshot(channel) for channel in channels]
    forget_everything()

    def refused(*args, **kwargs):
        raise IntegrityError("another worker stored one of them")

    monkeypatch.setattr(bulk_ingesting, "store", refused)
    assert messages_store_many([(c, items[c.pk]) for c in channels]) == 3 * 5
    assert [snapshot(channel) for channel in channels] == together


def test_a_failure_mid_batch_stores_nothing_and_the_deliveries_are_read_again(
    client, channels, hook_network, monkeypatch
):
    bodies = [
        delivery_body(entry("c1", account="a"), entry("c2", account="b")),
        delivery_body(entry("c3", account="b", parent="c2"), entry("c1", account="a")),
    ]
    for body in bodies:
        assert post(client, body, sign(body)).status_code == 200
    real = bulk_ingesting.conversations_grow

    def broken(growths):
        real(growths)  # the messages are inserted, then the batch fails before its commit
        raise RuntimeError("the database went away")

    monkeypatch.setattr(bulk_ingesting, "conversations_grow", broken)
    assert run_once(InboundEvent) == 2
    assert not Message.objects.exists()  # nothing half-stored
    assert set(InboundEvent.objects.values_list("state", flat=True)) == {"received"}

    monkeypatch.setattr(bulk_ingesting, "conversations_grow", real)
    InboundEvent.objects.update(next_attempt_at=timezone.now())  # their retry is due
    assert run_once(InboundEvent) == 2
    assert sorted(Message.objects.values_list("channel__name", "remote_id")) == [
        ("A", "c1"),
        ("A2", "c1"),
        ("B", "c2"),
        ("B", "c3"),
    ]
    reply = Message.objects.get(remote_id="c3")
    assert reply.parent.remote_id == "c2" and reply.conversation == reply.parent.conversation
    assert sorted(InboundEvent.objects.values_list("messages_stored", flat=True)) == [1, 3]


def test_a_conflict_with_another_worker_stores_the_rest_all_at_once_again(channels, monkeypatch):
    from parvis.inbox import ingesting

    items = {channel.pk: items_of(channel) for channel in channels}
    messages_store_many([(c, items[c.pk]) for c in channels])
    together = [snapshot(channel) for channel in channels]
    forget_everything()
    real, tries = bulk_ingesting.store, []

    def conflicting_once(*arguments):
        tries.append(1)
        if len(tries) == 1:
            raise IntegrityError("another worker stored one of them")
        return real(*arguments)

    def never(*arguments):
        raise AssertionError("one conflict is not worth storing one message at a time")

    monkeypatch.setattr(bulk_ingesting, "store", conflicting_once)
    monkeypatch.setattr(ingesting, "_one_at_a_time", never)
    assert messages_store_many([(c, items[c.pk]) for c in channels]) == 3 * 5
    assert len(tries) == 2
    assert [snapshot(channel) for channel in channels] == together
