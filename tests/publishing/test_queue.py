"""The queue: weekly times per channel, the next free one, its settings page, the composer."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.roles import Role
from parvis.publishing.models import Delivery, Post, PostStatus, QueueSlot
from parvis.publishing.queue import (
    SUGGESTED_SLOTS,
    QueueError,
    next_free_slot,
    queue_slot_add,
    queue_slots_suggest,
)
from tests import factories
from tests.publishing.test_delivery import sandbox_channel

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TUE, WED, THU, SUN = 1, 2, 3, 6
# Monday 22 March 2027, midnight in Paris: the clocks go forward on Sunday the 28th.
MONDAY = datetime(2027, 3, 22, tzinfo=PARIS)


def slots(channel, *pairs):
    for weekday, wall in pairs:
        queue_slot_add(
            workspace=channel.workspace, channel=channel, weekday=weekday, at=wall, acting_user=None
        )


def planned(channels, at, status=PostStatus.SCHEDULED):
    post = Post.objects.create(
        workspace=channels[0].workspace, text="Déjà prévu", scheduled_at=at, status=status
    )
    post.channels.set(channels)
    return post


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_the_first_free_slot_is_taken_in_the_workspace_zone(workspace):
    x = sandbox_channel(workspace)
    slots(x, (TUE, time(12, 30)), (THU, time(12, 30)))
    # Tuesday 12:30 in Paris in winter time is 11:30 UTC.
    assert next_free_slot(channels=[x], after=MONDAY) == utc(2027, 3, 23, 11, 30)
    planned([x], utc(2027, 3, 23, 11, 30), status=PostStatus.DRAFT)  # a draft takes nothing
    assert next_free_slot(channels=[x], after=MONDAY) == utc(2027, 3, 23, 11, 30)
    planned([x], utc(2027, 3, 23, 11, 30))
    assert next_free_slot(channels=[x], after=MONDAY) == utc(2027, 3, 25, 11, 30)
    # The next week is after the change to summer time: 12:30 is 10:30 UTC.
    planned([x], utc(2027, 3, 25, 11, 30))
    assert next_free_slot(channels=[x], after=MONDAY) == utc(2027, 3, 30, 10, 30)


def test_a_slot_exactly_at_after_counts_and_earlier_ones_do_not(workspace):
    x = sandbox_channel(workspace)
    slots(x, (TUE, time(12, 30)))
    at = utc(2027, 3, 23, 11, 30)
    assert next_free_slot(channels=[x], after=at) == at
    assert next_free_slot(channels=[x], after=at + timedelta(seconds=1)) == utc(2027, 3, 30, 10, 30)


def test_several_channels_use_their_shared_times_free_for_all(workspace):
    x, facebook = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_facebook")
    slots(x, (TUE, time(12, 30)), (WED, time(18, 0)))
    slots(facebook, (WED, time(18, 0)), (THU, time(9, 0)))
    # Tuesday is only X's, Thursday only Facebook's: Wednesday 18:00 is shared.
    assert next_free_slot(channels=[x, facebook], after=MONDAY) == utc(2027, 3, 24, 17, 0)
    planned([facebook], utc(2027, 3, 24, 17, 0))  # taken on one channel: taken for the post
    assert next_free_slot(channels=[x, facebook], after=MONDAY) == utc(2027, 3, 31, 16, 0)
    # Each channel alone still has its own times.
    assert next_free_slot(channels=[x], after=MONDAY) == utc(2027, 3, 23, 11, 30)


def test_channels_without_a_shared_time_use_any_of_their_times(workspace):
    x, facebook = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_facebook")
    slots(x, (TUE, time(12, 30)))
    slots(facebook, (THU, time(12, 30)))
    assert next_free_slot(channels=[x, facebook], after=MONDAY) == utc(2027, 3, 23, 11, 30)
    planned([facebook], utc(2027, 3, 23, 11, 30))  # X's time, but Facebook is busy then
    assert next_free_slot(channels=[x, facebook], after=MONDAY) == utc(2027, 3, 25, 11, 30)


def test_a_time_the_clocks_skip_is_left_out(workspace):
    x = sandbox_channel(workspace)
    slots(x, (SUN, time(2, 30)), (SUN, time(12, 30)))
    saturday = datetime(2027, 3, 27, 12, 0, tzinfo=PARIS)
    # 02:30 does not exist in Paris on 28 March 2027; 12:30 that day is summer time.
    assert next_free_slot(channels=[x], after=saturday) == utc(2027, 3, 28, 10, 30)
    planned([x], utc(2027, 3, 28, 10, 30))
    # The next Sunday's 02:30 exists again: 00:30 UTC.
    assert next_free_slot(channels=[x], after=saturday) == utc(2027, 4, 4, 0, 30)


def test_no_time_or_no_free_time_is_a_clear_error(workspace):
    x = sandbox_channel(workspace)
    with pytest.raises(QueueError, match="No queue times are set"):
        next_free_slot(channels=[x], after=MONDAY)
    slots(x, (TUE, time(12, 30)))
    start = datetime(2027, 3, 23, 12, 30, tzinfo=PARIS)
    for week in range(8):
        wall = datetime.combine(start.date() + timedelta(weeks=week), time(12, 30), PARIS)
        planned([x], wall.astimezone(UTC))
    with pytest.raises(QueueError, match="taken for the next 8 weeks"):
        next_free_slot(channels=[x], after=MONDAY)


# --- the settings page ---------------------------------------------------------------


def queue_url(workspace):
    return reverse("publishing:queue_settings", kwargs={"workspace": workspace.slug})


def test_an_editor_adds_suggested_and_own_times_and_removes_one(client, workspace):
    editor = factories.make_member(workspace, Role.EDITOR).user
    x = sandbox_channel(workspace)
    client.force_login(editor)
    client.post(queue_url(workspace), {"action": "suggest", "channel": x.pk})
    client.post(queue_url(workspace), {"action": "suggest", "channel": x.pk})  # no duplicates
    response = client.post(
        queue_url(workspace), {"action": "add", "channel": x.pk, "weekday": 5, "time": "10:00"}
    )
    assert response.status_code == 302
    assert set(QueueSlot.objects.values_list("weekday", "time")) == {
        (TUE, time(12, 30)),
        (WED, time(18, 0)),
        (THU, time(12, 30)),
        (5, time(10, 0)),
    }
    page = client.get(queue_url(workspace)).content.decode()
    assert page.count('data-testid="queue-slot"') == 4 and "Saturday 10:00" in page
    saturday = QueueSlot.objects.get(weekday=5)
    remove = reverse(
        "publishing:queue_slot_remove", kwargs={"workspace": workspace.slug, "slot_id": saturday.pk}
    )
    assert client.post(remove).status_code == 302
    assert QueueSlot.objects.count() == 3


def test_a_bad_time_is_refused_with_the_form(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    response = logged_in_client.post(
        queue_url(workspace), {"action": "add", "channel": x.pk, "weekday": 9, "time": "25:00"}
    )
    assert response.status_code == 400 and not QueueSlot.objects.exists()


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.VIEWER])
def test_others_read_the_queue_but_cannot_change_it(client, workspace, role):
    x = sandbox_channel(workspace)
    slots(x, (TUE, time(12, 30)))
    member = factories.make_member(workspace, role).user
    client.force_login(member)
    page = client.get(queue_url(workspace))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tuesday 12:30" in html and 'data-testid="read-only"' in html
    assert 'data-testid="suggest"' not in html
    data = {"action": "suggest", "channel": x.pk}
    assert client.post(queue_url(workspace), data).status_code == 403
    slot = QueueSlot.objects.get()
    remove = reverse(
        "publishing:queue_slot_remove", kwargs={"workspace": workspace.slug, "slot_id": slot.pk}
    )
    assert client.post(remove).status_code == 403
    assert QueueSlot.objects.count() == 1


def test_another_workspace_s_channel_or_slot_is_not_found(logged_in_client, workspace):
    other = factories.make_workspace("Autre")
    theirs = sandbox_channel(other)
    slots(theirs, (TUE, time(12, 30)))
    response = logged_in_client.post(
        queue_url(workspace), {"action": "suggest", "channel": theirs.pk}
    )
    assert response.status_code == 404
    response = logged_in_client.post(
        queue_url(workspace), {"action": "add", "channel": theirs.pk, "weekday": 1, "time": "9:00"}
    )
    assert response.status_code == 400
    remove = reverse(
        "publishing:queue_slot_remove",
        kwargs={"workspace": workspace.slug, "slot_id": QueueSlot.objects.get().pk},
    )
    assert logged_in_client.post(remove).status_code == 404
    assert QueueSlot.objects.filter(channel=theirs).count() == 1


def test_the_queue_page_speaks_french(logged_in_client, workspace, user):
    sandbox_channel(workspace)
    user.language = "fr"
    user.save(update_fields=["language"])
    logged_in_client.cookies.load({"django_language": "fr"})
    page = logged_in_client.get(queue_url(workspace)).content.decode()
    assert "Utiliser les horaires suggérés" in page and "Ajouter un horaire" in page
    assert "mardi 12:30" in page.lower()


# --- the composer --------------------------------------------------------------------


def next_wall_clock(weekday: int, wall: time, after: datetime) -> datetime:
    """The first ``weekday`` at ``wall`` in Paris after ``after``, in UTC."""
    day = timezone.localtime(after, PARIS).date()
    for offset in range(8):
        candidate = datetime.combine(day + timedelta(days=offset), wall, PARIS)
        if candidate.weekday() == weekday and candidate > after:
            return candidate.astimezone(UTC)
    raise AssertionError("no such day")


def week_later(moment: datetime) -> datetime:
    local = timezone.localtime(moment, PARIS)
    return datetime.combine(local.date() + timedelta(weeks=1), local.time(), PARIS).astimezone(UTC)


def compose(client, workspace, channel, action="schedule"):
    url = reverse("publishing:compose", kwargs={"workspace": workspace.slug})
    return client.post(
        url,
        {"text": "Le pain du jour", "channels": [channel.pk], "when": "queue", "action": action},
        follow=True,
    )


def test_add_to_queue_schedules_at_the_next_free_slot(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    slots(x, (WED, time(18, 0)))
    expected = next_wall_clock(WED, time(18, 0), timezone.now())
    response = compose(logged_in_client, workspace, x)
    first = Post.objects.get()
    assert first.scheduled_at == expected and first.status == PostStatus.SCHEDULED
    delivery = Delivery.objects.get(post=first)
    assert delivery.next_attempt_at == expected
    assert "Added to the queue:" in response.content.decode()
    local = timezone.localtime(expected, PARIS)
    assert f"{local.day}, {local.year}, 6 p.m. (Europe/Paris)" in response.content.decode()
    compose(logged_in_client, workspace, x)
    second = Post.objects.exclude(pk=first.pk).get()
    assert second.scheduled_at == week_later(expected)


def test_a_contributor_s_queued_post_goes_to_review_with_the_slot_proposed(client, workspace):
    contributor = factories.make_member(workspace, Role.CONTRIBUTOR).user
    x = sandbox_channel(workspace)
    slots(x, (TUE, time(12, 30)))
    client.force_login(contributor)
    response = compose(client, workspace, x, action="submit")
    post = Post.objects.get()
    assert post.status == PostStatus.IN_REVIEW and not post.deliveries.exists()
    assert post.scheduled_at == next_wall_clock(TUE, time(12, 30), timezone.now())
    assert "submitted for review, proposed for the queue" in response.content.decode()


def test_add_to_queue_without_times_explains_and_keeps_the_text(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    url = reverse("publishing:compose", kwargs={"workspace": workspace.slug})
    response = logged_in_client.post(
        url, {"text": "Sans file", "channels": [x.pk], "when": "queue", "action": "schedule"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No queue times are set" in page and "Sans file" in page
    assert not Post.objects.exists()


def test_schedule_later_and_now_are_unchanged_by_the_queue(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    slots(x, (TUE, time(12, 30)))
    url = reverse("publishing:compose", kwargs={"workspace": workspace.slug})
    year = date.today().year + 1
    logged_in_client.post(
        url,
        {
            "text": "À l'heure dite",
            "channels": [x.pk],
            "when": "later",
            "at": f"{year}-01-06T09:00",
            "action": "schedule",
        },
    )
    assert Post.objects.get().scheduled_at == utc(year, 1, 6, 8, 0)


def test_suggested_times_are_a_parameter_the_layers_above_fill_in(workspace):
    x = sandbox_channel(workspace)
    slots(x, (TUE, time(12, 30)))
    added = queue_slots_suggest(workspace=workspace, channel=x, acting_user=None)
    assert {(s.weekday, s.time) for s in added} == set(SUGGESTED_SLOTS)
    best = [(SUN, time(19)), (TUE, time(12, 30))]  # e.g. analytics' best times
    queue_slots_suggest(workspace=workspace, channel=x, acting_user=None, slots=best)
    assert QueueSlot.objects.filter(channel=x).count() == 4  # nothing twice, its own kept
    with pytest.raises(ValueError):
        queue_slots_suggest(workspace=workspace, channel=x, acting_user=None, slots=[])
