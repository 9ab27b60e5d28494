"""Evergreen posts: once published, the next occurrence is scheduled, exactly once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.engine.runner import run_once
from parvis.links.models import ShortLink
from parvis.publishing import actions
from parvis.publishing.media import MediaChoice
from parvis.publishing.models import Delivery, Post, PostStatus
from parvis.publishing.outcomes import deliveries_record_outcomes
from parvis.publishing.recurrence import next_occurrence_at, post_repeat
from tests.publishing.test_delivery import sandbox_channel
from tests.publishing.test_media_library import make_asset

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def same_time_days_later(moment: datetime, days: int) -> datetime:
    local = timezone.localtime(moment, PARIS)
    wall = datetime.combine(local.date() + timedelta(days=days), local.time(), PARIS)
    return wall.astimezone(UTC)


def publish_repeating(workspace, user, *, every=7, until=None, channels=None):
    channels = channels or [sandbox_channel(workspace)]
    post = actions.post_draft(
        workspace=workspace,
        text="Notre recette du mois",
        channels=channels,
        acting_user=user,
        repeat_every_days=every,
        repeat_until=until,
    )
    actions.post_schedule(post=post, at=timezone.now(), channels=channels, acting_user=user)
    run_once(Delivery)
    run_once(Delivery)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    return post


def test_publishing_an_occurrence_schedules_exactly_one_next_one(workspace, user):
    x, facebook = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_facebook")
    post = publish_repeating(workspace, user, channels=[x, facebook])
    following = Post.objects.get(repeats_from=post)
    assert following.scheduled_at == same_time_days_later(post.scheduled_at, 7)
    assert following.status == PostStatus.SCHEDULED and following.text == post.text
    assert set(following.channels.all()) == {x, facebook}
    assert set(
        Delivery.objects.filter(post=following).values_list("channel", "next_attempt_at")
    ) == {
        (x.pk, following.scheduled_at),
        (facebook.pk, following.scheduled_at),
    }
    assert (following.repeat_every_days, following.created_by) == (7, user)
    # Called again (a second worker, a replayed outcome): nothing more.
    assert post_repeat(post=post) is None
    for delivery in Delivery.objects.filter(post=post):
        deliveries_record_outcomes(moved=[(delivery, "publishing")])
    assert Post.objects.filter(repeats_from=post).count() == 1
    assert Post.objects.count() == 2
    # The next occurrence is not published yet: nothing follows it.
    assert post_repeat(post=following) is None


def test_the_end_date_stops_the_chain(workspace, user):
    post = publish_repeating(workspace, user, every=14, until=timezone.localdate() + timedelta(1))
    assert not Post.objects.filter(repeats_from=post).exists()
    post = publish_repeating(workspace, user, every=14, until=timezone.localdate() + timedelta(14))
    assert Post.objects.filter(repeats_from=post).count() == 1


def test_a_post_that_does_not_repeat_has_no_next_occurrence(workspace, user):
    post = publish_repeating(workspace, user, every=None)
    assert Post.objects.count() == 1 and post_repeat(post=post) is None


def test_the_wall_clock_time_is_kept_across_the_change_to_summer_time():
    previous = datetime(2027, 3, 21, 12, 30, tzinfo=PARIS).astimezone(UTC)  # 11:30 UTC
    now = datetime(2027, 3, 21, 13, 0, tzinfo=UTC)
    at = next_occurrence_at(
        previous=previous, every_days=7, until=None, zone_name="Europe/Paris", now=now
    )
    assert at == datetime(2027, 3, 28, 10, 30, tzinfo=UTC)  # still 12:30 in Paris
    # A time the clocks skip comes an hour later; the end date is inclusive.
    skipped = datetime(2027, 3, 21, 2, 30, tzinfo=PARIS).astimezone(UTC)
    assert next_occurrence_at(
        previous=skipped, every_days=7, until=date(2027, 3, 28), zone_name="Europe/Paris", now=now
    ) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 summer time
    assert (
        next_occurrence_at(
            previous=previous,
            every_days=7,
            until=date(2027, 3, 27),
            zone_name="Europe/Paris",
            now=now,
        )
        is None
    )
    # Published late (held for weeks): the next occurrence is the first one still ahead.
    late = next_occurrence_at(
        previous=previous,
        every_days=7,
        until=None,
        zone_name="Europe/Paris",
        now=now + timedelta(days=10),
    )
    assert late == datetime(2027, 4, 4, 10, 30, tzinfo=UTC)


def test_the_post_page_shows_the_chain_and_stopping_works(logged_in_client, workspace, user):
    post = publish_repeating(workspace, user, every=14, until=date(2099, 12, 31))
    following = Post.objects.get(repeats_from=post)
    page = logged_in_client.get(following.get_absolute_url()).content.decode()
    assert "Repeats every 14 days until Dec. 31, 2099" in page
    assert f'href="{post.get_absolute_url()}" data-testid="previous-occurrence"' in page
    page = logged_in_client.get(post.get_absolute_url()).content.decode()
    assert f'href="{following.get_absolute_url()}" data-testid="next-occurrence"' in page
    stop = reverse(
        "publishing:post_stop_repeating",
        kwargs={"workspace": workspace.slug, "post_id": post.pk},
    )
    assert logged_in_client.post(stop).status_code == 302
    post.refresh_from_db()
    following.refresh_from_db()
    assert post.repeat_every_days is None and following.repeat_every_days is None
    # The occurrence already scheduled goes out, and nothing follows it.
    Delivery.objects.filter(post=following).update(next_attempt_at=timezone.now())
    following.scheduled_at = timezone.now()
    following.save(update_fields=["scheduled_at"])
    run_once(Delivery)
    run_once(Delivery)
    following.refresh_from_db()
    assert following.status == PostStatus.PUBLISHED
    assert not Post.objects.filter(repeats_from=following).exists()
    page = logged_in_client.get(following.get_absolute_url()).content.decode()
    assert "Does not repeat any more." in page and 'data-testid="stop-repeating"' not in page


def test_the_composer_sets_the_repetition(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    url = reverse("publishing:compose", kwargs={"workspace": workspace.slug})
    year = timezone.now().year + 1
    response = logged_in_client.post(
        url,
        {
            "text": "Chaque mois",
            "channels": [x.pk],
            "when": "later",
            "at": f"{year}-01-06T09:00",
            "repeat": "30",
            "repeat_until": f"{year}-06-30",
            "action": "schedule",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.repeat_every_days, post.repeat_until) == (30, date(year, 6, 30))
    edit = reverse("publishing:post_edit", kwargs={"workspace": workspace.slug, "post_id": post.pk})
    logged_in_client.post(
        edit,
        {
            "text": "Chaque mois",
            "channels": [x.pk],
            "when": "later",
            "at": f"{year}-01-06T09:00",
            "repeat": "7",
            "action": "save",
        },
    )
    post.refresh_from_db()
    assert (post.repeat_every_days, post.repeat_until) == (7, None)
    response = logged_in_client.post(
        url,
        {"text": "Bizarre", "channels": [x.pk], "when": "now", "repeat": "3", "action": "schedule"},
    )
    assert response.status_code == 400 and Post.objects.count() == 1


def test_the_next_occurrence_keeps_the_media_link_and_thread(workspace, user):
    x, instagram = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_instagram")
    photo, other = make_asset(workspace, user), make_asset(workspace, user, "autre.jpg")
    post = actions.post_draft(
        workspace=workspace,
        text="Notre recette du mois",
        channels=[x, instagram],
        acting_user=user,
        repeat_every_days=7,
        link="https://lamiedoree.example/recette",
        thread_parts=["2/ La suite"],
        media=MediaChoice(shared=[photo], own={x.pk: [other]}),
    )
    actions.post_schedule(post=post, at=timezone.now(), channels=[x, instagram], acting_user=user)
    for _turn in range(3):  # the posts, then the thread part
        Delivery.objects.filter(post=post).exclude(state="published").update(
            next_attempt_at=timezone.now()
        )
        run_once(Delivery)
    following = Post.objects.get(repeats_from=post)
    assert following.link == post.link and following.thread_parts == ["2/ La suite"]
    main = {d.channel_id: d for d in Delivery.objects.filter(post=following, position=0)}
    assert main[instagram.pk].media == [photo.pk]  # Instagram needs its image again
    # The repeat is a post of its own: its link goes out as its own short link on X.
    short = ShortLink.objects.get(post=following, channel=x, original_url=post.link)
    assert main[x.pk].media == [other.pk] and main[x.pk].text.endswith(short.short_url)
    assert Delivery.objects.filter(post=following, position=1, state="waiting").count() == 1
