"""post_reschedule: moving a post that has not gone out, with its waiting deliveries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from parvis.accounts.roles import Role
from parvis.core.audit import AuditEvent
from parvis.publishing.actions import post_schedule
from parvis.publishing.models import Delivery, Post, PostStatus
from parvis.publishing.rescheduling import RescheduleRefused, post_reschedule
from tests import factories
from tests.publishing.test_delivery import sandbox_channel

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


@pytest.fixture
def scheduled(workspace, user):
    x, facebook = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_facebook")
    post = Post.objects.create(workspace=workspace, text="Galette des rois", created_by=user)
    at = timezone.now() + timedelta(days=3)
    post_schedule(post=post, at=at, channels=[x, facebook], acting_user=user)
    return post


def test_moves_the_post_and_its_waiting_deliveries(scheduled, user):
    delivery = scheduled.deliveries.first()
    Delivery.objects.filter(pk=delivery.pk).update(state="failed")  # gone for good: stays
    year = timezone.now().year + 1
    moved = post_reschedule(
        post=scheduled, at=datetime(year, 6, 15, 9, 30, tzinfo=PARIS), acting_user=user
    )
    expected = datetime(year, 6, 15, 7, 30, tzinfo=UTC)  # Paris is UTC+2 in summer
    assert moved.scheduled_at == expected
    scheduled.refresh_from_db()
    assert scheduled.scheduled_at == expected and scheduled.status == PostStatus.SCHEDULED
    waiting = Delivery.objects.filter(post=scheduled, state="scheduled")
    assert [d.next_attempt_at for d in waiting] == [expected]
    assert Delivery.objects.get(pk=delivery.pk).next_attempt_at != expected


def test_writes_an_audit_event(scheduled, user, workspace):
    previous = scheduled.scheduled_at
    at = timezone.now() + timedelta(days=10)
    post_reschedule(post=scheduled, at=at, acting_user=user)
    event = AuditEvent.objects.get(verb="post.rescheduled")
    assert (event.workspace, event.actor, event.target_id) == (workspace, user, str(scheduled.pk))
    assert event.data == {
        "at": at.astimezone(UTC).isoformat(),
        "previous": previous.isoformat(),
        "deliveries": 2,
    }


def test_refuses_a_moment_in_the_past(scheduled, user):
    before = Post.objects.get(pk=scheduled.pk).scheduled_at
    with pytest.raises(RescheduleRefused, match="has passed") as refused:
        post_reschedule(post=scheduled, at=timezone.now() - timedelta(hours=1), acting_user=user)
    assert refused.value.status == 400
    assert Post.objects.get(pk=scheduled.pk).scheduled_at == before
    assert not AuditEvent.objects.filter(verb="post.rescheduled").exists()


@pytest.mark.parametrize("state", ["published", "publishing", "verifying", "retrying"])
def test_refuses_a_post_that_is_out_or_going_out(scheduled, user, state):
    Delivery.objects.filter(pk=scheduled.deliveries.first().pk).update(state=state)
    with pytest.raises(RescheduleRefused, match="published or being published") as refused:
        post_reschedule(post=scheduled, at=timezone.now() + timedelta(days=9), acting_user=user)
    assert refused.value.status == 409
    assert not Delivery.objects.filter(next_attempt_at__gt=timezone.now() + timedelta(days=8))


def test_refuses_a_delivery_a_worker_has_just_claimed(scheduled, user):
    Delivery.objects.filter(post=scheduled).update(
        locked_until=timezone.now() + timedelta(seconds=60)
    )
    with pytest.raises(RescheduleRefused, match="being published"):
        post_reschedule(post=scheduled, at=timezone.now() + timedelta(days=9), acting_user=user)


def test_refuses_a_published_post(workspace, user):
    post = Post.objects.create(
        workspace=workspace,
        text="Hier",
        status=PostStatus.PUBLISHED,
        scheduled_at=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(RescheduleRefused, match="published"):
        post_reschedule(post=post, at=timezone.now() + timedelta(days=1), acting_user=user)


def test_refuses_someone_from_another_workspace(scheduled):
    stranger = factories.make_user()
    factories.make_workspace("Autre", owner=stranger)
    with pytest.raises(RescheduleRefused, match="another workspace") as refused:
        post_reschedule(post=scheduled, at=timezone.now() + timedelta(days=9), acting_user=stranger)
    assert refused.value.status == 404


def test_contributors_move_only_their_own_drafts(workspace, scheduled):
    contributor = factories.make_member(workspace, Role.CONTRIBUTOR).user
    own = Post.objects.create(
        workspace=workspace, text="Brouillon", created_by=contributor, scheduled_at=None
    )
    at = timezone.now() + timedelta(days=2)
    assert post_reschedule(post=own, at=at, acting_user=contributor).scheduled_at == at
    with pytest.raises(RescheduleRefused, match="only your own drafts") as refused:
        post_reschedule(post=scheduled, at=at, acting_user=contributor)
    assert refused.value.status == 403
    viewer = factories.make_member(workspace, Role.VIEWER).user
    with pytest.raises(RescheduleRefused, match=r"\(Viewer\) does not allow") as refused:
        post_reschedule(post=own, at=at, acting_user=viewer)
    assert refused.value.status == 403


def test_a_time_the_clocks_skip_is_refused_clearly(scheduled, user):
    # The example from the issue: 2026-03-29 02:30 does not exist in Paris.
    with pytest.raises(RescheduleRefused, match="does not exist in Europe/Paris"):
        post_reschedule(
            post=scheduled, at=datetime(2026, 3, 29, 2, 30, tzinfo=PARIS), acting_user=user
        )
    spring = last_sunday(timezone.now().year + 1, 3)
    with translation.override("fr"), pytest.raises(RescheduleRefused) as refused:
        post_reschedule(
            post=scheduled,
            at=datetime.combine(spring, datetime.min.time(), PARIS).replace(hour=2, minute=30),
            acting_user=user,
        )
    assert "n\u2019existe pas" in refused.value.message


def test_a_time_the_clocks_repeat_is_refused_and_the_hours_around_are_exact(scheduled, user):
    autumn = last_sunday(timezone.now().year + 1, 10)
    with pytest.raises(RescheduleRefused, match="happens twice"):
        post_reschedule(
            post=scheduled,
            at=datetime(autumn.year, autumn.month, autumn.day, 2, 30, tzinfo=PARIS),
            acting_user=user,
        )
    spring = last_sunday(timezone.now().year + 1, 3)
    moved = post_reschedule(
        post=scheduled,
        at=datetime(spring.year, spring.month, spring.day, 3, 30, tzinfo=PARIS),
        acting_user=user,
    )
    # 03:30 on the night the clocks go forward is already summer time (UTC+2).
    assert moved.scheduled_at == datetime(spring.year, spring.month, spring.day, 1, 30, tzinfo=UTC)
