"""Thread parts and first comments go out after the post, in order, exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parvis.engine.runner import run_once
from parvis.networks.sandbox.models import SandboxPost
from parvis.publishing import actions
from parvis.publishing.models import Delivery, Post
from tests.publishing.test_delivery import run_until_settled, sandbox_channel

pytestmark = pytest.mark.django_db

THREAD = ["2/ Pâte feuilletée pur beurre.", "3/ Fève en porcelaine de Limoges."]
COMMENT = "Réservez en boutique ou sur notre site."


@pytest.fixture
def channels(workspace):
    return {
        "x": sandbox_channel(workspace, "sandbox_x"),
        "fb": sandbox_channel(workspace, "sandbox_facebook"),
    }


def schedule(workspace, channels, *, at=None, text="1/ La galette arrive !"):
    post = actions.post_draft(
        workspace=workspace,
        text=text,
        channels=channels,
        acting_user=None,
        thread_parts=[THREAD[0], "   ", THREAD[1]],
        first_comment=COMMENT,
    )
    actions.post_schedule(post=post, at=at or timezone.now(), channels=channels, acting_user=None)
    return post


def answers_to(remote_id: str) -> list[SandboxPost]:
    return list(SandboxPost.objects.filter(reply_to_id=remote_id).order_by("published_at", "id"))


def test_each_network_gets_the_parts_it_takes(workspace, channels):
    post = schedule(workspace, list(channels.values()))
    rows = Delivery.objects.filter(post=post).order_by("channel_id", "position")
    by_channel = {}
    for row in rows:
        by_channel.setdefault(row.channel_id, []).append((row.part, row.state, row.text))
    # X takes threads (the blank box is left out) and no first comment;
    # a Facebook Page takes a first comment and no thread.
    assert by_channel[channels["x"].pk] == [
        ("post", "scheduled", "1/ La galette arrive !"),
        ("thread", "waiting", THREAD[0]),
        ("thread", "waiting", THREAD[1]),
    ]
    assert by_channel[channels["fb"].pk] == [
        ("post", "scheduled", "1/ La galette arrive !"),
        ("comment", "waiting", COMMENT),
    ]


def test_the_thread_goes_out_in_order_each_part_answering_the_one_before(workspace, channels):
    post = schedule(workspace, list(channels.values()))
    run_until_settled(rounds=8)
    main_x = Delivery.objects.get(post=post, channel=channels["x"], position=0)
    (first,) = answers_to(main_x.remote_id)
    (second,) = answers_to(first.remote_id)
    assert (first.text, second.text) == tuple(THREAD)
    assert first.published_at >= SandboxPost.objects.get(remote_id=main_x.remote_id).published_at
    main_fb = Delivery.objects.get(post=post, channel=channels["fb"], position=0)
    assert [a.text for a in answers_to(main_fb.remote_id)] == [COMMENT]
    assert SandboxPost.objects.count() == 2 + 2 + 1  # nothing twice
    assert set(Delivery.objects.filter(post=post).values_list("state", flat=True)) == {"published"}
    post.refresh_from_db()
    assert post.status == "published"


def test_parts_wait_for_a_post_that_is_not_out_yet(workspace, channels):
    post = schedule(workspace, [channels["x"]], at=timezone.now() + timedelta(hours=2))
    part = Delivery.objects.get(post=post, position=1)
    Delivery.objects.filter(pk=part.pk).update(next_attempt_at=timezone.now())
    assert run_once(Delivery) == 1  # the part looks, and waits
    part.refresh_from_db()
    assert part.state == "waiting" and part.attempts == 0
    assert part.next_attempt_at > timezone.now() + timedelta(hours=1)
    assert not SandboxPost.objects.exists()


def test_a_lost_answer_to_a_thread_part_is_verified_not_sent_again(workspace, channels, settings):
    post = schedule(workspace, [channels["x"]])
    run_once(Delivery)  # the post itself
    settings.PARVIS_SANDBOX_LOST_RESPONSE_RATE = 1.0
    run_until_settled(rounds=1)  # the first part is made, its answer lost
    part = Delivery.objects.get(post=post, position=1)
    assert part.state == "verifying"
    settings.PARVIS_SANDBOX_LOST_RESPONSE_RATE = 0.0
    run_until_settled(rounds=8)
    assert SandboxPost.objects.filter(text=THREAD[0]).count() == 1
    assert SandboxPost.objects.filter(text=THREAD[1]).count() == 1
    part.refresh_from_db()
    assert part.state == "published"


def test_parts_of_a_post_that_fails_are_cancelled_with_the_reason(workspace, channels):
    post = schedule(workspace, [channels["x"]], text="x" * 400)  # refused by the network
    run_until_settled(rounds=6)
    states = list(
        Delivery.objects.filter(post=post).order_by("position").values_list("state", "last_error")
    )
    assert states[0][0] == "failed"
    assert [s for s, _ in states[1:]] == ["cancelled", "cancelled"]
    assert all("part it follows was not published" in error for _, error in states[1:])
    assert not SandboxPost.objects.exists()
    post.refresh_from_db()
    assert post.status == "failed"


def test_a_failed_first_comment_does_not_unpublish_the_post(workspace, channels, settings):
    post = schedule(workspace, [channels["fb"]])
    run_once(Delivery)
    settings.PARVIS_SANDBOX_FAILURE_RATE = 1.0
    Delivery.objects.filter(position=1).update(attempts=7, next_attempt_at=timezone.now())
    run_once(Delivery)  # the comment's last attempt fails
    comment = Delivery.objects.get(post=post, position=1)
    assert comment.state == "failed" and "gave up" in comment.last_error
    post.refresh_from_db()
    assert post.status == "published"  # the post is out: only its comment is not


def test_editing_a_scheduled_post_remakes_its_parts(workspace, channels, user):
    membership = workspace.memberships.get(user=user)
    post = schedule(workspace, [channels["x"]], at=timezone.now() + timedelta(hours=1))
    actions.post_update(
        post=post,
        text=post.text,
        channels=[channels["x"]],
        scheduled_at=post.scheduled_at,
        acting=membership,
        thread_parts=["2/ Une seule suite."],
    )
    parts = Delivery.objects.filter(post=post, position__gt=0)
    assert list(parts.values_list("text", "state")) == [("2/ Une seule suite.", "waiting")]
    post.refresh_from_db()
    assert post.thread_parts == ["2/ Une seule suite."] and post.first_comment == COMMENT


def test_unscheduling_takes_the_parts_away_too(workspace, channels, user):
    post = schedule(workspace, [channels["x"]], at=timezone.now() + timedelta(hours=1))
    actions.post_unschedule(post=Post.objects.get(pk=post.pk), acting_user=user)
    assert not Delivery.objects.filter(post=post).exists()
