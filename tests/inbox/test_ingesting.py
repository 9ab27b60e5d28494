"""Comments, mentions and messages read from the networks: once each, threaded, in order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parvis.channels.models import ChannelStatus
from parvis.engine import runner
from parvis.engine.runner import run_once
from parvis.inbox.actions import polling_resume, pollings_ensure
from parvis.inbox.ingesting import messages_store
from parvis.inbox.models import Conversation, InboxPolling, Message
from parvis.networks.base import Interaction, InteractionKind
from parvis.networks.sandbox.audience import simulate_audience
from parvis.networks.sandbox.models import SandboxInteraction
from tests.inbox.conftest import publish_now

pytestmark = pytest.mark.django_db


def poll_now() -> int:
    InboxPolling.objects.update(next_attempt_at=timezone.now(), locked_until=None)
    return run_once(InboxPolling)


def said(remote_id, kind=InteractionKind.COMMENT, *, minutes=0, **fields) -> Interaction:
    values = {
        "author_id": "sbx-lea",
        "author_name": "Léa Fontaine",
        "author_handle": "@lea.fontaine",
        "text": f"message {remote_id}",
        "created_at": timezone.now() - timedelta(hours=1) + timedelta(minutes=minutes),
        **fields,
    }
    return Interaction(remote_id=remote_id, kind=kind, **values)


def test_comments_on_the_brands_post_are_one_conversation_linked_to_the_post(workspace, channel):
    delivery = publish_now(workspace, channel)
    simulate_audience(now=timezone.now() + timedelta(days=1))
    assert pollings_ensure() == 1
    assert poll_now() == 1
    comments = SandboxInteraction.objects.filter(post__remote_id=delivery.remote_id, kind="comment")
    conversation = Conversation.objects.get(thread_key=f"post:{delivery.remote_id}")
    assert conversation.post_id == delivery.post_id and conversation.kind == "comments"
    assert conversation.message_count == comments.count() >= 1
    thread = list(conversation.messages.values_list("created_at", flat=True))
    assert thread == sorted(thread)
    assert not Message.objects.filter(kind="reaction").exists()  # likes are figures
    polling = InboxPolling.objects.get(channel=channel)
    assert polling.cursor == str(SandboxInteraction.objects.order_by("id").last().id)


def test_the_same_items_read_twice_are_stored_once(workspace, channel):
    publish_now(workspace, channel)
    simulate_audience(now=timezone.now() + timedelta(days=1))
    pollings_ensure()
    poll_now()
    first = Message.objects.count()
    assert first > 0
    InboxPolling.objects.update(cursor="")  # the network sends everything again
    poll_now()
    assert Message.objects.count() == first
    counts = sum(Conversation.objects.values_list("message_count", flat=True))
    assert counts == first


class Crash(BaseException):
    """The worker dies (not an error a handler could catch)."""


def test_a_crash_before_the_cursor_is_saved_reads_again_and_loses_nothing(
    workspace, channel, monkeypatch
):
    publish_now(workspace, channel)
    simulate_audience(now=timezone.now() + timedelta(days=1))
    pollings_ensure()
    finish = runner._finish

    def dies_after_the_messages(outcomes, moved):
        if outcomes:
            raise Crash
        return finish(outcomes, moved)

    monkeypatch.setattr(runner, "_finish", dies_after_the_messages)
    with pytest.raises(Crash):
        poll_now()
    stored = Message.objects.count()
    assert stored > 0  # committed before the cursor
    assert InboxPolling.objects.get(channel=channel).cursor == ""
    monkeypatch.setattr(runner, "_finish", finish)
    assert poll_now() == 1  # the lease is expired: another run takes it
    assert Message.objects.count() == stored
    assert InboxPolling.objects.get(channel=channel).cursor != ""


def test_replies_nest_under_the_message_they_answer(channel):
    stored = messages_store(
        channel=channel,
        interactions=[
            said("r1", InteractionKind.REPLY, minutes=5, in_reply_to_id="c1"),
            said("c1", post_remote_id="p1"),
        ],
    )
    assert stored == 2
    c1, r1 = Message.objects.get(remote_id="c1"), Message.objects.get(remote_id="r1")
    assert r1.parent == c1 and r1.conversation == c1.conversation
    assert c1.conversation.thread_key == "post:p1"
    # A reply arriving later joins the same conversation.
    messages_store(
        channel=channel,
        interactions=[said("r2", InteractionKind.REPLY, minutes=9, in_reply_to_id="r1")],
    )
    r2 = Message.objects.get(remote_id="r2")
    assert r2.parent == r1 and r2.conversation == c1.conversation
    assert list(c1.conversation.messages.values_list("remote_id", flat=True)) == ["c1", "r1", "r2"]


def test_mentions_are_alone_and_one_persons_messages_share_a_conversation(channel):
    messages_store(
        channel=channel,
        interactions=[
            said("m1", InteractionKind.MENTION),
            said("m2", InteractionKind.MENTION, minutes=1),
            said("d1", InteractionKind.MESSAGE, minutes=2),
            said("d2", InteractionKind.MESSAGE, minutes=3),
            said("d3", InteractionKind.MESSAGE, minutes=4, author_id="sbx-tom"),
        ],
    )
    kinds = sorted(Conversation.objects.values_list("kind", "message_count"))
    assert kinds == [("mention", 1), ("mention", 1), ("message", 1), ("message", 2)]
    author = Message.objects.get(remote_id="d1").author
    assert author.handle == "@lea.fontaine" and author.messages.count() == 4


def test_a_new_message_reopens_a_done_conversation(channel):
    messages_store(channel=channel, interactions=[said("c1", post_remote_id="p1")])
    Conversation.objects.update(status="done")
    messages_store(channel=channel, interactions=[said("c2", post_remote_id="p1", minutes=3)])
    conversation = Conversation.objects.get()
    assert conversation.status == "open" and conversation.preview == "message c2"


def test_a_channel_to_reconnect_pauses_its_polling_until_it_is_reconnected(workspace, channel):
    pollings_ensure()
    channel.status = ChannelStatus.NEEDS_RECONNECT
    channel.status_reason = "Reconnect the channel."
    channel.save(update_fields=["status", "status_reason"])
    poll_now()
    polling = InboxPolling.objects.get(channel=channel)
    assert polling.state == "paused" and polling.last_error == "Reconnect the channel."
    assert polling_resume(channel=channel)
    assert InboxPolling.objects.get(channel=channel).state == "polling"


def test_an_author_is_one_row_per_handle_with_first_and_last_seen(channel):
    newer = said("c2", post_remote_id="p1", minutes=30)
    messages_store(channel=channel, interactions=[newer])
    older = said("c1", post_remote_id="p2", minutes=0, author_handle="@old.handle")
    messages_store(channel=channel, interactions=[older])
    author = Message.objects.get(remote_id="c1").author
    assert author == Message.objects.get(remote_id="c2").author
    assert author.first_seen_at == older.created_at
    assert author.last_seen_at == newer.created_at
    assert author.handle == "@lea.fontaine"  # the newest handle wins
    renamed = said("c3", post_remote_id="p1", minutes=45, author_handle="@lea.renamed")
    messages_store(channel=channel, interactions=[renamed])
    author.refresh_from_db()
    assert (author.first_seen_at, author.last_seen_at) == (older.created_at, renamed.created_at)
    assert author.handle == "@lea.renamed"


def test_an_author_known_only_by_handle_is_kept_with_the_mention(channel):
    """Instagram names who tagged the brand by username alone: the inbox shows that
    person, not the brand's own channel, and their next mention is theirs too."""
    anonymous = {"author_id": "", "author_name": "", "author_handle": ""}
    messages_store(
        channel=channel,
        interactions=[
            said("t1", InteractionKind.MENTION, **by_handle("boulangerie.voisine")),
            said("t2", InteractionKind.MENTION, minutes=1, **by_handle("boulangerie.voisine")),
            said("t3", InteractionKind.MENTION, minutes=2, **anonymous),
        ],
    )
    first, second, unknown = (
        Conversation.objects.get(thread_key=f"mention:{key}") for key in ("t1", "t2", "t3")
    )
    assert first.author is not None and first.author == second.author
    assert (first.author.name, first.author.handle) == (
        "boulangerie.voisine",
        "@boulangerie.voisine",
    )
    assert Message.objects.get(remote_id="t1").author == first.author
    assert unknown.author is None  # nothing says who: no made-up author


def by_handle(username: str) -> dict[str, str]:
    return {"author_id": "", "author_name": username, "author_handle": f"@{username}"}


def test_an_author_met_several_times_in_one_batch_keeps_the_first_and_last_times(channel):
    first = said("c1", post_remote_id="p1", minutes=0, author_handle="@old.handle")
    last = said("c2", post_remote_id="p1", minutes=30)
    messages_store(channel=channel, interactions=[last, first])  # in any order
    author = Message.objects.get(remote_id="c1").author
    assert (author.first_seen_at, author.last_seen_at) == (first.created_at, last.created_at)
    assert author.handle == "@lea.fontaine"  # the newest handle wins
