"""Dragging a post on the calendar: the JSON endpoint in front of post_reschedule."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.roles import Role
from parvis.publishing.actions import post_schedule
from parvis.publishing.models import Delivery, Post, PostStatus
from tests import factories
from tests.publishing.test_delivery import sandbox_channel

pytestmark = pytest.mark.django_db


def move_url(workspace, post):
    return reverse("web:calendar_move", kwargs={"workspace": workspace.slug, "post_id": post.pk})


def move(client, workspace, post, start, **headers):
    return client.post(
        move_url(workspace, post),
        json.dumps({"start": start}),
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def post(workspace, user):
    channel = sandbox_channel(workspace)
    post = Post.objects.create(workspace=workspace, text="Galette des rois", created_by=user)
    post_schedule(
        post=post, at=timezone.now() + timedelta(days=2), channels=[channel], acting_user=user
    )
    return post


def test_a_wall_clock_time_is_read_in_the_workspace_zone(logged_in_client, workspace, post):
    year = timezone.now().year + 1
    response = move(logged_in_client, workspace, post, f"{year}-01-06T09:00:00")
    assert response.status_code == 200
    assert response.json()["start"] == f"{year}-01-06T09:00:00"
    assert response.json()["message"].startswith("Moved to ")
    expected = datetime(year, 1, 6, 8, 0, tzinfo=UTC)  # Paris is UTC+1 in winter
    post.refresh_from_db()
    assert post.scheduled_at == expected
    assert Delivery.objects.get(post=post).next_attempt_at == expected


def test_the_csrf_token_is_needed_and_taken_from_a_header(client, user, workspace, post):
    client.handler.enforce_csrf_checks = True
    client.force_login(user)
    page = client.get(reverse("web:calendar", kwargs={"workspace": workspace.slug}))
    token = page.context["csrf_token"]
    start = f"{timezone.now().year + 1}-02-02T10:00:00"
    assert move(client, workspace, post, start).status_code == 403
    assert move(client, workspace, post, start, X_CSRFToken=str(token)).status_code == 200


def test_refusals_are_json_with_a_reason(logged_in_client, workspace, post):
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    response = move(logged_in_client, workspace, post, past)
    assert response.status_code == 400
    assert "has passed" in response.json()["error"]
    assert move(logged_in_client, workspace, post, "someday").status_code == 400
    Delivery.objects.filter(post=post).update(state="published")
    Post.objects.filter(pk=post.pk).update(status=PostStatus.PUBLISHED)
    future = f"{timezone.now().year + 1}-02-02T10:00:00"
    response = move(logged_in_client, workspace, post, future)
    assert response.status_code == 409
    assert "can no longer be moved" in response.json()["error"]


def test_the_reason_is_in_french_for_a_french_speaker(client, workspace, post):
    french = factories.make_member(workspace, Role.EDITOR, factories.make_user(language="fr")).user
    client.force_login(french)
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    response = move(client, workspace, post, past)
    assert response.status_code == 400
    assert response.json()["error"] == "Ce moment est passé : choisissez-en un plus tard."
    future = f"{timezone.now().year + 1}-02-02T10:00:00"
    assert move(client, workspace, post, future).json()["message"].startswith("Déplacé au ")


def test_tenancy_404_and_roles_403(client, workspace, post):
    stranger = factories.make_user()
    other = factories.make_workspace("Autre marque", owner=stranger)
    client.force_login(stranger)
    future = f"{timezone.now().year + 1}-02-02T10:00:00"
    # Not a member of the post's workspace, and the post is not in the stranger's own.
    assert move(client, workspace, post, future).status_code == 404
    assert move(client, other, post, future).status_code == 404
    viewer = factories.make_member(workspace, Role.VIEWER).user
    client.force_login(viewer)
    response = move(client, workspace, post, future)
    assert response.status_code == 403 and "does not allow moving" in response.json()["error"]
    contributor = factories.make_member(workspace, Role.CONTRIBUTOR).user
    client.force_login(contributor)
    response = move(client, workspace, post, future)
    assert response.status_code == 403 and "own drafts" in response.json()["error"]
    assert Post.objects.get(pk=post.pk).scheduled_at == post.scheduled_at
    assert client.get(move_url(workspace, post)).status_code == 405
