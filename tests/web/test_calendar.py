from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from parvis.accounts.roles import Role
from parvis.channels.models import Channel
from parvis.publishing.models import Post, PostStatus
from parvis.publishing.selectors import calendar_rows
from parvis.web.calendar import calendar_event
from tests import factories


def _events(client, workspace, **params):
    url = reverse("web:calendar_events", kwargs={"workspace": workspace.slug})
    defaults = {"start": "2026-11-01T00:00:00+01:00", "end": "2026-12-01T00:00:00+01:00"}
    return client.get(url, {**defaults, **params})


@pytest.fixture
def posts(workspace):
    facebook = Channel.objects.create(
        workspace=workspace, network="sandbox_facebook", external_id="fb", name="Page"
    )
    x = Channel.objects.create(workspace=workspace, network="sandbox_x", external_id="x", name="X")
    early = Post.objects.create(
        workspace=workspace,
        text="Première ligne\nsuite",
        scheduled_at=datetime(2026, 11, 10, 7, 0, tzinfo=UTC),
        status=PostStatus.SCHEDULED,
    )
    early.channels.set([facebook, x])
    late = Post.objects.create(
        workspace=workspace,
        text="Draft",
        scheduled_at=datetime(2026, 11, 20, 16, 0, tzinfo=UTC),
        status=PostStatus.DRAFT,
    )
    late.channels.set([x])
    Post.objects.create(  # outside the range
        workspace=workspace, text="December", scheduled_at=datetime(2026, 12, 5, tzinfo=UTC)
    )
    return {"facebook": facebook, "x": x, "early": early, "late": late}


@pytest.mark.django_db
def test_events_are_in_the_workspace_time_zone(logged_in_client, workspace, posts):
    events = _events(logged_in_client, workspace).json()
    assert [e["id"] for e in events] == [posts["early"].pk, posts["late"].pk]
    # 07:00 UTC is 08:00 in Europe/Paris in winter: the wall-clock time, which
    # FullCalendar keeps as is in a named zone and sends back when dragged.
    assert events[0]["start"] == "2026-11-10T08:00:00"
    assert events[0]["title"] == "Première ligne"
    assert sorted(events[0]["extendedProps"]["networks"]) == ["sandbox_facebook", "sandbox_x"]


@pytest.mark.django_db
def test_events_filter_by_channel_and_status(logged_in_client, workspace, posts):
    by_channel = _events(logged_in_client, workspace, channel=posts["facebook"].pk).json()
    assert [e["id"] for e in by_channel] == [posts["early"].pk]
    by_status = _events(logged_in_client, workspace, status="draft").json()
    assert [e["id"] for e in by_status] == [posts["late"].pk]


@pytest.mark.django_db
def test_bad_range_is_a_clear_400(logged_in_client, workspace):
    response = _events(logged_in_client, workspace, start="yesterday")
    assert response.status_code == 400
    assert b"start and an end" in response.content
    response = _events(logged_in_client, workspace, channel="abc")
    assert response.status_code == 400


@pytest.mark.django_db
def test_events_never_leak_another_workspace(logged_in_client, workspace, posts):
    other = factories.make_workspace("Autre marque")
    Post.objects.create(
        workspace=other, text="Secret", scheduled_at=datetime(2026, 11, 12, tzinfo=UTC)
    )
    texts = [e["extendedProps"]["text"] for e in _events(logged_in_client, workspace).json()]
    assert "Secret" not in texts
    assert _events(logged_in_client, other).status_code == 404


@pytest.mark.django_db
def test_naive_range_is_read_in_the_workspace_time_zone(logged_in_client, workspace, posts):
    # The post is at 08:00 Paris time: a range from 08:30 excludes it, one from 07:30 not.
    events = _events(logged_in_client, workspace, start="2026-11-10T08:30:00").json()
    assert [e["id"] for e in events] == [posts["late"].pk]
    events = _events(logged_in_client, workspace, start="2026-11-10T07:30:00").json()
    assert [e["id"] for e in events] == [posts["early"].pk, posts["late"].pk]


@pytest.mark.django_db
def test_long_first_lines_are_whole_on_the_calendar_and_shortened_elsewhere(workspace):
    first_line = "Ce week-end, atelier pain pour les enfants " * 3
    post = Post.objects.create(
        workspace=workspace,
        text=first_line + "\nsuite",
        scheduled_at=datetime(2026, 11, 10, tzinfo=UTC),
    )
    assert str(post).endswith("…") and len(str(post)) == 60
    (row,) = calendar_rows(
        workspace=workspace,
        start=datetime(2026, 11, 1, tzinfo=UTC),
        end=datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert calendar_event(row)["title"] == first_line.strip()


def _many_posts(workspace, count, channels):
    from parvis.publishing.models import Delivery

    posts = Post.objects.bulk_create(
        Post(
            workspace=workspace,
            text=f"Post {n}\n" + "x" * 400,
            scheduled_at=datetime(2026, 11, 1 + n % 28, 6 + n % 12, tzinfo=UTC),
            status=PostStatus.PUBLISHED if n % 2 else PostStatus.SCHEDULED,
        )
        for n in range(count)
    )
    Post.channels.through.objects.bulk_create(
        Post.channels.through(post=post, channel=channel) for post in posts for channel in channels
    )
    Delivery.objects.bulk_create(
        Delivery(
            workspace=workspace,
            post=post,
            channel=channels[0],
            state="published" if post.status == PostStatus.PUBLISHED else "scheduled",
            url=f"https://example.org/{post.pk}" if post.status == PostStatus.PUBLISHED else "",
        )
        for post in posts
    )
    return posts


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_the_events_query_count_does_not_grow_with_the_posts(
    logged_in_client, workspace, posts, django_assert_num_queries, count
):
    _many_posts(workspace, count, [posts["facebook"], posts["x"]])
    _events(logged_in_client, workspace)  # the first visit remembers the workspace (an UPDATE)
    # session, user, membership (+ workspace), then posts, their channels, their deliveries
    with django_assert_num_queries(6):
        events = _events(logged_in_client, workspace).json()
    assert len(events) == count + 2
    published = [e for e in events if e["extendedProps"]["status"] == "published"]
    assert published and all(
        e["extendedProps"]["publishedUrls"][0].startswith("https://example.org/") for e in published
    )
    assert all(e["url"] == f"/w/{workspace.slug}/posts/{e['id']}/" for e in events)
    assert all(not e["editable"] for e in published)
    assert all(len(e["extendedProps"]["text"]) <= 300 for e in events)
    assert all(e["extendedProps"]["channels"] == ["Page", "X"] for e in published)


@pytest.mark.django_db
def test_only_posts_a_member_may_move_are_draggable(client, workspace, posts):
    contributor = factories.make_member(workspace, Role.CONTRIBUTOR).user
    own = Post.objects.create(
        workspace=workspace,
        text="Mon brouillon",
        scheduled_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
        created_by=contributor,
    )
    client.force_login(contributor)
    editable = {e["id"]: e["editable"] for e in _events(client, workspace).json()}
    assert editable == {posts["early"].pk: False, posts["late"].pk: False, own.pk: True}
    viewer = factories.make_member(workspace, Role.VIEWER).user
    client.force_login(viewer)
    assert not any(e["editable"] for e in _events(client, workspace).json())
