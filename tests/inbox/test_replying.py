"""Answers go out through the network exactly once, and moderation reaches it too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parvis.engine import runner
from parvis.engine.runner import run_once
from parvis.inbox.actions import pollings_ensure
from parvis.inbox.ingesting import messages_store
from parvis.inbox.models import InboxPolling, Message, Reply
from parvis.inbox.work import InboxError, message_delete, message_hide, reply_write
from parvis.networks.sandbox.audience import simulate_audience
from parvis.networks.sandbox.models import SandboxInteraction, SandboxPost
from tests import factories
from tests.inbox.conftest import publish_now
from tests.inbox.test_ingesting import said

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(workspace, channel):
    publish_now(workspace, channel)
    simulate_audience(now=timezone.now() + timedelta(days=1))
    pollings_ensure()
    run_once(InboxPolling)
    return Message.objects.filter(kind="comment").first().conversation


def answers_on_the_network(message: Message) -> int:
    return SandboxPost.objects.filter(reply_to_id=message.remote_id).count()


def send_due() -> int:
    Reply.objects.update(next_attempt_at=timezone.now(), locked_until=None)
    return run_once(Reply)


def test_an_answer_is_pending_then_sent_and_joins_the_thread(conversation, user):
    reply = reply_write(conversation=conversation, text="Merci beaucoup !", acting_user=user)
    assert reply.state == "sending" and reply.in_reply_to.direction == "in"
    send_due()
    reply.refresh_from_db()
    assert reply.state == "sent" and reply.attempt_started_at is None
    sent = reply.message
    assert sent.direction == "out" and sent.parent == reply.in_reply_to
    assert sent.conversation == conversation and sent.sent_by == user
    assert answers_on_the_network(reply.in_reply_to) == 1


def test_a_lost_answer_from_the_network_is_verified_not_sent_again(conversation, user, settings):
    settings.PARVIS_SANDBOX_LOST_RESPONSE_RATE = 1.0
    reply = reply_write(conversation=conversation, text="On vous attend !", acting_user=user)
    send_due()
    reply.refresh_from_db()
    assert reply.state == "verifying" and "did not answer" in reply.last_error
    settings.PARVIS_SANDBOX_LOST_RESPONSE_RATE = 0.0
    send_due()
    reply.refresh_from_db()
    assert reply.state == "sent" and reply.message is not None
    assert answers_on_the_network(reply.in_reply_to) == 1


class Crash(BaseException):
    """The worker dies right after committing its attempt."""


def test_a_worker_dying_before_the_call_verifies_then_sends_once(conversation, user, monkeypatch):
    reply = reply_write(conversation=conversation, text="Bonne journée", acting_user=user)
    make_all = runner._make_all

    async def dies(calls, around=None):
        raise Crash

    monkeypatch.setattr(runner, "_make_all", dies)
    with pytest.raises(Crash):
        send_due()
    reply.refresh_from_db()
    assert reply.state == "sending" and reply.attempt_started_at is not None
    monkeypatch.setattr(runner, "_make_all", make_all)
    send_due()  # found with its attempt: the network is asked first
    reply.refresh_from_db()
    assert reply.state == "verifying" or reply.state == "sending"
    for _ in range(3):
        send_due()
    reply.refresh_from_db()
    assert reply.state == "sent"
    assert answers_on_the_network(reply.in_reply_to) == 1


def test_an_answer_to_a_deleted_message_fails_with_the_reason(conversation, user):
    reply = reply_write(conversation=conversation, text="Merci", acting_user=user)
    SandboxInteraction.objects.filter(remote_id=reply.in_reply_to.remote_id).delete()
    send_due()
    reply.refresh_from_db()
    assert reply.state == "failed"
    assert reply.last_error == "The message you answer no longer exists on the Sandbox network."


def test_an_empty_or_too_long_answer_is_refused(workspace, user):
    channel = factories.make_sandbox_channel(workspace, "sandbox_x", "Mie X")
    messages_store(channel=channel, interactions=[said("m1", post_remote_id="p")])
    conversation = Message.objects.get(remote_id="m1").conversation
    with pytest.raises(InboxError, match="Write the answer"):
        reply_write(conversation=conversation, text="   ", acting_user=user)
    with pytest.raises(InboxError, match="280 at most"):
        reply_write(conversation=conversation, text="a" * 300, acting_user=user)
    assert not Reply.objects.exists()


def test_a_comment_is_hidden_and_deleted_on_the_network(conversation, user):
    message = conversation.messages.filter(direction="in").first()
    message_hide(message=message, hidden=True, acting_user=user)
    on_network = SandboxInteraction.objects.get(remote_id=message.remote_id)
    assert on_network.hidden and Message.objects.get(pk=message.pk).hidden
    message_delete(message=message, acting_user=user)
    on_network.refresh_from_db()
    assert on_network.deleted_at is not None
    assert Message.objects.get(pk=message.pk).deleted_at is not None


def test_a_network_that_cannot_hide_has_no_hiding(workspace, user):
    channel = factories.make_sandbox_channel(workspace, "sandbox_x", "Mie X")
    messages_store(channel=channel, interactions=[said("m1", post_remote_id="p")])
    message = Message.objects.get(remote_id="m1")
    with pytest.raises(InboxError, match="cannot be hidden"):
        message_hide(message=message, hidden=True, acting_user=user)
