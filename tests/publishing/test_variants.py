"""One post, its text adapted per channel: checked, sent and shown per channel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.engine.runner import run_once
from parvis.networks.sandbox.models import SandboxPost
from parvis.publishing import actions
from parvis.publishing.history import history_of
from parvis.publishing.models import Delivery, Post
from tests.publishing.test_delivery import sandbox_channel

pytestmark = pytest.mark.django_db

LONG = ("Notre nouvelle boutique ouvre ses portes à la Croix-Rousse. " * 6).strip()


def url(workspace, name="compose", **kwargs):
    return reverse(f"publishing:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def test_each_channel_publishes_its_own_text(logged_in_client, workspace):
    facebook, x = sandbox_channel(workspace, "sandbox_facebook"), sandbox_channel(workspace)
    # Too long for X as it is: X's variant makes it fit; Facebook takes the shared text.
    response = logged_in_client.post(
        url(workspace),
        {
            "text": LONG,
            "channels": [facebook.pk, x.pk],
            f"variant_{x.pk}": "Nouvelle boutique à la Croix-Rousse ! 🥖",
            "when": "now",
            "action": "schedule",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    run_once(Delivery)
    on_network = dict(SandboxPost.objects.values_list("account__network_key", "text"))
    assert on_network == {
        "sandbox_facebook": LONG,
        "sandbox_x": "Nouvelle boutique à la Croix-Rousse ! 🥖",
    }
    page = logged_in_client.get(Post.objects.get().get_absolute_url()).content.decode()
    assert "Adapted per channel" in page and "La Mie Dorée · Sandbox · X" in page


def test_the_rules_are_checked_on_each_channel_s_own_text(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    response = logged_in_client.post(
        url(workspace, "compose_check"),
        {"text": "Court", "channels": [x.pk], f"variant_{x.pk}": "a" * 300},
        headers={"HX-Request": "true"},
    )
    assert "300 / 280" in response.content.decode()
    response = logged_in_client.post(
        url(workspace),
        {
            "text": "Court",
            "channels": [x.pk],
            f"variant_{x.pk}": "a" * 300,
            "when": "now",
            "action": "schedule",
        },
    )
    assert response.status_code == 400 and not Post.objects.exists()
    assert "a" * 300 in response.content.decode()  # the variant is kept in the form


def test_changing_a_variant_of_a_scheduled_post_changes_what_is_sent(workspace, user):
    x = sandbox_channel(workspace)
    post = actions.post_draft(
        workspace=workspace,
        text="Partagé",
        channels=[x],
        acting_user=user,
        variants={x.pk: "Pour X"},
    )
    actions.post_schedule(
        post=post, at=timezone.now() + timedelta(hours=2), channels=[x], acting_user=user
    )
    assert post.deliveries.get().text == "Pour X"
    owner = workspace.memberships.get(user=user)
    actions.post_update(
        post=post,
        text="Partagé",
        channels=[x],
        scheduled_at=post.scheduled_at,
        acting=owner,
        variants={x.pk: "Pour X, en mieux"},
    )
    assert post.deliveries.get().text == "Pour X, en mieux"
    actions.post_update(
        post=post,
        text="Partagé",
        channels=[x],
        scheduled_at=post.scheduled_at,
        acting=owner,
        variants={},
    )
    assert post.deliveries.get().text == "Partagé" and not post.variants.exists()
    assert any("texts adapted per channel" in entry.what for entry in history_of(post))


def test_a_variant_for_a_channel_not_chosen_is_ignored(workspace, user):
    x, facebook = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_facebook")
    post = actions.post_draft(
        workspace=workspace,
        text="Partagé",
        channels=[x],
        acting_user=user,
        variants={facebook.pk: "Pas choisi"},
    )
    assert not post.variants.exists()
