"""People hear about what went wrong (and what awaits them), in the app and by email."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.roles import Role
from parvis.engine.runner import run_once
from parvis.networks.sandbox.models import SandboxAccount
from parvis.notifications.actions import notification_send_email, notify
from parvis.notifications.models import Notification
from parvis.publishing.actions import post_draft, post_schedule
from parvis.publishing.models import Delivery
from tests import factories
from tests.publishing.test_delivery import sandbox_channel

pytestmark = pytest.mark.django_db


def publish(workspace, channels, text, author, capture):
    post = post_draft(workspace=workspace, text=text, channels=channels, acting_user=author)
    post_schedule(post=post, at=timezone.now(), channels=channels, acting_user=author)
    with capture(execute=True):
        run_once(Delivery)
        run_once(Delivery)
    return post


def test_a_failed_post_tells_its_author_and_the_editors_in_their_language(
    workspace, user, django_capture_on_commit_callbacks
):
    french_editor = factories.make_member(workspace, Role.EDITOR).user
    french_editor.language = "fr"
    french_editor.save(update_fields=["language"])
    contributor = factories.make_member(workspace, Role.CONTRIBUTOR).user
    instagram = sandbox_channel(workspace, "sandbox_instagram")
    # Instagram refuses a post without an image: a permanent failure.
    post = publish(
        workspace, [instagram], "Sans photo", contributor, django_capture_on_commit_callbacks
    )
    assert post.deliveries.get().state == "failed"
    notes = {n.recipient: n for n in Notification.objects.filter(kind="delivery_failed")}
    assert set(notes) == {user, french_editor, contributor}
    assert notes[user].title.startswith("Not published on La Mie Dorée")
    assert notes[french_editor].title.startswith("Non publié sur La Mie Dorée")
    assert "image" in notes[user].body and notes[user].link == post.get_absolute_url()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {user.email, french_editor.email, contributor.email}
    assert post.get_absolute_url() in by_address[user.email].body
    assert by_address[french_editor.email].subject.endswith(notes[french_editor].title)


def test_a_revoked_channel_is_reported_once_while_unread(
    workspace, user, django_capture_on_commit_callbacks
):
    x = sandbox_channel(workspace)
    SandboxAccount.objects.update(token_revoked=True)
    for text in ("Un", "Deux", "Trois"):
        publish(workspace, [x], text, user, django_capture_on_commit_callbacks)
    assert Delivery.objects.filter(state="needs_attention").count() == 3
    held = Notification.objects.filter(kind="delivery_needs_attention", recipient=user)
    assert held.count() == 1 and len(mail.outbox) == 1
    # Once read, a new hold is news again.
    held.update(read_at=timezone.now())
    publish(workspace, [x], "Quatre", user, django_capture_on_commit_callbacks)
    assert held.count() == 2


def test_an_email_is_sent_at_most_once(workspace, user):
    (note,) = notify(
        recipients=[user],
        workspace=workspace,
        kind="delivery_failed",
        title=lambda: "Échec",
        link="/",
        email=False,
    )
    assert notification_send_email(notification=note) is True
    assert notification_send_email(notification=note) is False
    assert len(mail.outbox) == 1


def test_the_bell_counts_unread_and_opening_one_marks_it_read(
    client, workspace, user, django_capture_on_commit_callbacks
):
    instagram = sandbox_channel(workspace, "sandbox_instagram")
    post = publish(workspace, [instagram], "Sans photo", user, django_capture_on_commit_callbacks)
    client.force_login(user)
    page = client.get(reverse("web:calendar", kwargs={"workspace": workspace.slug}))
    assert b'data-testid="unread-count">1<' in page.content
    note = Notification.objects.get(recipient=user)
    response = client.get(reverse("notifications:open", kwargs={"pk": note.pk}))
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "needs an image or a video" in page  # the network's reason, on the post's page
    assert 'data-testid="unread-count"' not in page


def test_nobody_opens_someone_else_s_notification(client, workspace, user):
    (note,) = notify(
        recipients=[user],
        workspace=workspace,
        kind="delivery_failed",
        title=lambda: "Privé",
        link="/",
        email=False,
    )
    client.force_login(factories.make_user())
    assert client.get(reverse("notifications:open", kwargs={"pk": note.pk})).status_code == 404
    assert "Privé" not in client.get(reverse("notifications:list")).content.decode()


def test_mark_all_as_read(client, workspace, user):
    for title in ("A", "B"):
        notify(
            recipients=[user],
            workspace=workspace,
            kind="delivery_failed",
            title=lambda t=title: t,
            link="/",
            email=False,
        )
    client.force_login(user)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
