"""The composer's thread and first comment: written, checked per network, kept, sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.publishing.models import Delivery, Post
from tests.publishing.test_compose import compose_url
from tests.publishing.test_delivery import sandbox_channel

pytestmark = pytest.mark.django_db


def later() -> str:
    return timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


def test_a_thread_and_a_first_comment_are_scheduled_where_they_can_go(logged_in_client, workspace):
    x, facebook = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_facebook")
    response = logged_in_client.post(
        compose_url(workspace),
        {
            "text": "1/ La galette arrive",
            "thread_part": ["2/ Pur beurre", "", "3/ Fève de Limoges"],
            "first_comment": "Réservez en boutique",
            "channels": [x.pk, facebook.pk],
            "when": "later",
            "at": later(),
            "action": "schedule",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.thread_parts == ["2/ Pur beurre", "3/ Fève de Limoges"]
    assert post.first_comment == "Réservez en boutique"
    parts = Delivery.objects.filter(post=post, position__gt=0)
    assert sorted(parts.values_list("channel__network", "part", "text")) == [
        ("sandbox_facebook", "comment", "Réservez en boutique"),
        ("sandbox_x", "thread", "2/ Pur beurre"),
        ("sandbox_x", "thread", "3/ Fève de Limoges"),
    ]
    page = logged_in_client.get(post.get_absolute_url()).content.decode()
    assert "Pur beurre" in page and "Réservez en boutique" in page
    assert page.count('data-testid="delivery-part"') == 3
    assert "Thread part 3" in page and "First comment" in page


def test_a_thread_part_too_long_for_x_is_refused_and_nothing_is_lost(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    too_long = "b" * 290
    response = logged_in_client.post(
        compose_url(workspace),
        {
            "text": "1/ Court",
            "thread_part": ["2/ Court aussi", too_long],
            "first_comment": "Un commentaire gardé",
            "channels": [x.pk],
            "when": "now",
            "action": "schedule",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "thread part 3" in page and "10 characters too long" in page
    assert too_long in page and "2/ Court aussi" in page and "Un commentaire gardé" in page
    assert not Post.objects.exists()


def test_live_checks_measure_each_part_and_say_where_parts_do_not_go(logged_in_client, workspace):
    x, instagram = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_instagram")
    response = logged_in_client.post(
        compose_url(workspace, "compose_check"),
        {
            "text": "Photo du jour",
            "thread_part": ["2/ la suite"],
            "first_comment": "#boulangerie #lyon",
            "channels": [x.pk, instagram.pk],
        },
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "thread part 2 · 11 / 280" in page
    # Instagram takes the first comment (no image needed for a comment), not the thread.
    assert "first comment · 18 / 2200" in page
    assert "its network takes no thread or first comment here" in page  # both left one out


def test_autosave_keeps_the_thread_and_the_first_comment(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    response = logged_in_client.post(
        compose_url(workspace, "compose_autosave"),
        {
            "text": "Brouillon",
            "thread_part": ["2/ suite"],
            "first_comment": "Merci !",
            "channels": [x.pk],
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    draft = Post.objects.get()
    assert (draft.thread_parts, draft.first_comment) == (["2/ suite"], "Merci !")
    edit = reverse(
        "publishing:post_edit", kwargs={"workspace": workspace.slug, "post_id": draft.pk}
    )
    page = logged_in_client.get(edit).content.decode()
    assert "2/ suite" in page and "Merci !" in page


def test_another_box_for_the_thread_comes_with_htmx(logged_in_client, workspace):
    response = logged_in_client.get(
        compose_url(workspace, "compose_thread_part"), headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'name="thread_part"' in page
