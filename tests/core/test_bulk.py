"""Rows written many at once (``core.bulk``), on SQLite and on PostgreSQL (COPY)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from parvis.core.bulk import rows_insert
from parvis.inbox.models import InboundEvent
from parvis.inbox.threads import Author

pytestmark = pytest.mark.django_db


def test_rows_inserted_come_back_with_their_ids_in_order_and_defaults_filled():
    before = timezone.now()
    later = before + timedelta(minutes=5)
    rows = [
        ("facebook", {"X-Hub-Signature-256": "sha256=ab"}, b"\x00{}", "received", later),
        ("instagram", {"nested": {"é": [1, 2]}}, b"[1]", "rejected", None),
    ]
    names = ["network", "headers", "body", "state", "next_attempt_at"]
    ids = rows_insert(InboundEvent, names, rows)

    assert len(ids) == 2 and ids[0] < ids[1]
    first, second = (InboundEvent.objects.get(pk=pk) for pk in ids)
    assert (first.network, first.headers, bytes(first.body)) == rows[0][:3]
    assert (first.state, first.next_attempt_at) == ("received", later)
    assert (second.network, second.headers, bytes(second.body)) == rows[1][:3]
    assert second.next_attempt_at is None
    # Fields not named take their default, as with save(): auto_now_add is now.
    assert first.messages_stored == 0 and second.last_error == ""
    assert before <= first.received_at <= timezone.now()
    # The sequence moved past the ids taken: the next row saved gets a new one.
    assert InboundEvent.objects.create(network="x").pk > ids[1]


def test_a_row_breaking_a_unique_constraint_raises_integrity_error_and_writes_nothing(workspace):
    at = timezone.now()
    names = ["workspace", "network", "external_id", "first_seen_at", "last_seen_at"]
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(Author, names, [(workspace.pk, "x", "same", at, at)] * 2)
    assert not Author.objects.filter(external_id="same").exists()


def test_no_rows_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rows_insert(Author, ["network"], []) == []
