"""The webhook endpoint: the handshake, signatures, the raw event, then messages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from parvis.channels.models import Channel
from parvis.engine.runner import run_once
from parvis.inbox.actions import events_prune
from parvis.inbox.models import InboundEvent, Message
from tests.inbox.conftest import sign

pytestmark = pytest.mark.django_db


def delivery_body(*entries) -> bytes:
    return json.dumps({"entries": list(entries)}).encode()


def entry(remote_id="c1", account="acct-1", **fields) -> dict:
    return {
        "id": remote_id,
        "account": account,
        "kind": "comment",
        "from": "lea",
        "text": "Vous ouvrez dimanche ?",
        "at": timezone.now().isoformat(),
        "post": "p1",
        **fields,
    }


def post(client, body: bytes, signature: str | None):
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature} if signature is not None else {}
    return client.post("/hooks/hooknet/", body, content_type="application/json", **headers)


def test_the_handshake_answers_the_challenge_only_with_the_right_token(client, hook_network):
    good = {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "1158201444"}
    answer = client.get("/hooks/hooknet/", good)
    assert answer.status_code == 200 and answer.content == b"1158201444"
    assert client.get("/hooks/hooknet/", {**good, "hub.verify_token": "nope"}).status_code == 403


def test_a_network_without_webhooks_has_no_endpoint(client):
    assert client.get("/hooks/sandbox_x/").status_code == 404
    assert client.post("/hooks/nowhere/", b"{}", content_type="application/json").status_code == 404


def test_deliveries_are_answered_before_sessions_and_csrf_with_other_methods_refused(
    client, user, hook_network
):
    """A network's delivery needs no session, CSRF token, user or language: it is
    answered first, even from a browser with a session, and sets no cookie."""
    client.force_login(user)
    client.cookies.load({"django_language": "fr"})
    body = delivery_body(entry("c1"))
    answer = post(client, body, sign(body))
    assert answer.status_code == 200 and InboundEvent.objects.count() == 1
    assert not answer.cookies and "Cookie" not in answer.get("Vary", "")
    refused = client.put("/hooks/hooknet/", b"{}", content_type="application/json")
    assert refused.status_code == 405 and refused["Allow"] == "GET, POST"
    assert client.get("/hooks/hooknet/extra/").status_code == 404  # not a webhook address
    assert InboundEvent.objects.count() == 1


def test_a_signed_delivery_is_stored_raw_then_read_into_messages_once(
    client, workspace, hook_network
):
    channel = Channel.objects.create(
        workspace=workspace, network="hooknet", external_id="acct-1", name="Mie"
    )
    body = delivery_body(entry("c1"), entry("c2", account="someone-else"))
    answer = post(client, body, sign(body))
    assert answer.status_code == 200
    event = InboundEvent.objects.get()
    assert bytes(event.body) == body and event.state == "received"
    assert not Message.objects.exists()  # the request only stored it
    assert run_once(InboundEvent) == 1
    event.refresh_from_db()
    assert event.state == "processed" and event.messages_stored == 1
    message = Message.objects.get()
    assert message.channel == channel and message.conversation.thread_key == "post:p1"
    # The network sends the same delivery again: nothing is stored twice.
    assert post(client, body, sign(body)).status_code == 200
    run_once(InboundEvent)
    assert Message.objects.count() == 1
    assert InboundEvent.objects.filter(state="processed").count() == 2


@pytest.mark.parametrize("signature", [None, "", "sha256=00", "sha1=abc"])
def test_an_unsigned_or_badly_signed_delivery_is_refused_and_not_kept(
    client, hook_network, signature
):
    body = delivery_body(entry())
    assert post(client, body, signature).status_code == 403
    assert not InboundEvent.objects.exists()


def test_a_body_changed_after_signing_is_refused(client, hook_network):
    body = delivery_body(entry())
    signature = sign(body)
    assert post(client, body.replace(b"dimanche", b"lundi"), signature).status_code == 403


def test_an_unreadable_delivery_is_kept_and_marked_rejected(client, hook_network):
    body = b'{"entries": [{"id": "x"}]}'
    assert post(client, body, sign(body)).status_code == 200
    run_once(InboundEvent)
    event = InboundEvent.objects.get()
    assert event.state == "rejected" and "KeyError" in event.last_error_detail


def test_read_deliveries_are_forgotten_after_a_month_unread_ones_never(hook_network):
    old = timezone.now() - timedelta(days=31)
    read = InboundEvent.objects.create(network="hooknet", body=b"{}", state="processed")
    waiting = InboundEvent.objects.create(network="hooknet", body=b"{}")
    InboundEvent.objects.filter(pk__in=[read.pk, waiting.pk]).update(received_at=old)
    recent = InboundEvent.objects.create(network="hooknet", body=b"{}", state="processed")
    assert events_prune() == 1
    assert set(InboundEvent.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_messages_read_from_a_delivery_skip_the_disk_wait_and_nothing_else_does(
    client, workspace, hook_network, monkeypatch, request
):
    """The messages' commit does not wait for the disk (the raw delivery is durable);
    the setting ends with their transaction: the runner's move, replies and every
    other write still wait for it."""
    from django.db import connection

    from parvis.inbox import events

    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    # The suite's server runs with synchronous_commit off for speed: this session waits
    # for the disk, as a production server does, so the test can see the difference.
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO ON")
    request.addfinalizer(lambda: connection.cursor().execute("RESET synchronous_commit"))
    seen: list[str] = []
    store = events.messages_store_many

    def watched(*arguments, **named):
        seen.append(setting())
        return store(*arguments, **named)

    monkeypatch.setattr(events, "messages_store_many", watched)
    Channel.objects.create(workspace=workspace, network="hooknet", external_id="acct-1", name="M")
    body = delivery_body(entry("c1"))
    assert post(client, body, sign(body)).status_code == 200
    assert run_once(InboundEvent) == 1
    assert seen == ["off"] and setting() == "on"
    assert Message.objects.count() == 1
    assert InboundEvent.objects.get().state == "processed"
