"""Two workers storing the same interactions at once (a webhook and a poll): once each."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from parvis.inbox.ingesting import messages_store
from parvis.inbox.models import Conversation, Message
from parvis.networks.base import InteractionKind
from tests.concurrency import in_threads
from tests.inbox.test_ingesting import said


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_storing_the_same_items_store_each_once(channel):
    items = [said(f"c{i}", post_remote_id="p1", minutes=i) for i in range(20)]
    items += [said("d1", InteractionKind.MESSAGE), said("m1", InteractionKind.MENTION)]
    barrier, stored, failures = threading.Barrier(4), [], []

    def store() -> None:
        try:
            barrier.wait()
            stored.append(messages_store(channel=channel, interactions=items))
        except Exception as error:  # a unique constraint must never reach the caller
            failures.append(repr(error))
        finally:
            connection.close()

    in_threads(store, count=4)
    assert failures == []
    assert sum(stored) == 22
    assert Message.objects.count() == 22
    comments = Conversation.objects.get(thread_key="post:p1")
    assert comments.message_count == 20
    assert Conversation.objects.count() == 3
