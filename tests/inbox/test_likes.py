"""Liking a received message from the inbox: on the network, remembered, for editors only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.roles import Role
from parvis.core.audit import AuditEvent
from parvis.engine.runner import run_once
from parvis.inbox.actions import pollings_ensure
from parvis.inbox.ingesting import messages_store
from parvis.inbox.models import InboxPolling, Message
from parvis.inbox.work import InboxError, can_like, message_like
from parvis.networks.sandbox.audience import simulate_audience
from parvis.networks.sandbox.models import SandboxInteraction
from tests import factories
from tests.inbox.conftest import publish_now
from tests.inbox.test_ingesting import said

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(workspace, channel) -> Message:
    """A comment the Sandbox audience left on the Facebook Sandbox channel's post."""
    publish_now(workspace, channel)
    simulate_audience(now=timezone.now() + timedelta(days=1))
    pollings_ensure()
    run_once(InboxPolling)
    return Message.objects.filter(kind="comment", direction="in").first()


def action_url(message: Message, action: str) -> str:
    return reverse(
        "inbox:moderate",
        kwargs={
            "workspace": message.workspace.slug,
            "conversation_id": message.conversation_id,
            "message_id": message.pk,
            "action": action,
        },
    )


def page_of(client, message: Message) -> str:
    kwargs = {"workspace": message.workspace.slug, "conversation_id": message.conversation_id}
    response = client.get(reverse("inbox:conversation", kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_a_comment_is_liked_then_unliked_on_the_network(comment, user):
    on_network = SandboxInteraction.objects.get(remote_id=comment.remote_id)
    message_like(message=comment, liked=True, acting_user=user)
    on_network.refresh_from_db()
    assert on_network.liked and Message.objects.get(pk=comment.pk).liked
    message_like(message=comment, liked=True, acting_user=user)  # repeating is harmless
    message_like(message=comment, liked=False, acting_user=user)
    on_network.refresh_from_db()
    assert not on_network.liked and not Message.objects.get(pk=comment.pk).liked
    verbs = list(AuditEvent.objects.filter(actor=user).values_list("verb", flat=True))
    assert verbs.count("inbox.liked") == 2 and verbs.count("inbox.unliked") == 1


def test_the_page_offers_like_then_unlike_and_shows_the_liked_state(logged_in_client, comment):
    page = page_of(logged_in_client, comment)
    assert action_url(comment, "like") in page and action_url(comment, "unlike") not in page
    response = logged_in_client.post(action_url(comment, "like"), follow=True)
    page = response.content.decode()
    assert "The message is liked on the network." in page
    assert action_url(comment, "unlike") in page and 'data-testid="liked-badge"' in page
    assert SandboxInteraction.objects.get(remote_id=comment.remote_id).liked
    response = logged_in_client.post(action_url(comment, "unlike"), follow=True)
    assert "The like was removed on the network." in response.content.decode()
    assert not Message.objects.get(pk=comment.pk).liked


@pytest.mark.parametrize(
    ("role", "may_like"),
    [(Role.EDITOR, True), (Role.ADMIN, True), (Role.CONTRIBUTOR, False), (Role.VIEWER, False)],
)
def test_editors_and_up_like_others_do_not(client, workspace, comment, role, may_like):
    member = factories.make_member(workspace, role).user
    client.force_login(member)
    assert ('data-testid="like-message"' in page_of(client, comment)) is may_like
    response = client.post(action_url(comment, "like"))
    assert response.status_code == (302 if may_like else 403)
    assert Message.objects.get(pk=comment.pk).liked is may_like
    assert SandboxInteraction.objects.get(remote_id=comment.remote_id).liked is may_like


def test_a_network_without_likes_shows_no_button_and_refuses(logged_in_client, workspace, user):
    channel = factories.make_sandbox_channel(workspace, "sandbox_instagram", "Mie Insta")
    messages_store(channel=channel, interactions=[said("i1", post_remote_id="p")])
    message = Message.objects.get(remote_id="i1")
    assert not can_like(message)
    assert 'data-testid="like-message"' not in page_of(logged_in_client, message)
    with pytest.raises(InboxError, match="cannot be liked"):
        message_like(message=message, liked=True, acting_user=user)
    response = logged_in_client.post(action_url(message, "like"), follow=True)
    assert "This message cannot be liked on its network." in response.content.decode()
    assert not Message.objects.get(pk=message.pk).liked


def test_the_brands_own_answers_and_deleted_messages_have_no_like(workspace, channel, comment):
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    assert not can_like(comment)
    messages_store(channel=channel, interactions=[said("own", post_remote_id="p")])
    own = Message.objects.get(remote_id="own")
    own.direction = "out"
    own.save(update_fields=["direction"])
    assert not can_like(own)


def test_a_refusal_says_what_the_network_answered(logged_in_client, workspace, channel):
    """The message is not on the Sandbox network (deleted there): the network refuses."""
    messages_store(channel=channel, interactions=[said("gone", post_remote_id="p")])
    message = Message.objects.get(remote_id="gone")
    response = logged_in_client.post(action_url(message, "like"), follow=True)
    page = response.content.decode()
    assert (
        "Sandbox · Facebook Page refused: This message no longer exists on the Sandbox network."
        in page
    )
    assert not Message.objects.get(pk=message.pk).liked


def test_the_like_button_speaks_french(logged_in_client, user, comment):
    user.language = "fr"
    user.save(update_fields=["language"])
    logged_in_client.cookies.load({"django_language": "fr"})
    assert "J\u2019aime" in page_of(logged_in_client, comment)
    response = logged_in_client.post(action_url(comment, "like"), follow=True)
    page = response.content.decode()
    assert "Le message est aimé sur le réseau." in page and "Je n\u2019aime plus" in page
