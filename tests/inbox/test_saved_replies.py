"""Saved replies: placeholders filled for the person answered, refused when unknown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parvis.inbox.ingesting import messages_store
from parvis.inbox.models import Message, SavedReply
from parvis.inbox.saved_replies import placeholder_values, saved_reply_render, saved_reply_save
from parvis.inbox.work import InboxError
from tests import factories
from tests.inbox.test_ingesting import said

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(channel):
    messages_store(channel=channel, interactions=[said("c1", post_remote_id="p1")])
    return Message.objects.get(remote_id="c1").conversation


def test_placeholders_are_filled_for_the_person_and_the_member(conversation, user):
    user.full_name = "Camille Martin"
    values = placeholder_values(conversation=conversation, user=user)
    text = saved_reply_render(
        "Bonjour {first_name} ({handle}), merci ! {me}, pour {channel}", values
    )
    assert text == "Bonjour Léa (@lea.fontaine), merci ! Camille, pour La Mie Dorée"


def test_an_empty_value_leaves_no_double_space(conversation, user):
    assert saved_reply_render("Bonjour {nothing} {first_name} !", {"first_name": ""}) == (
        "Bonjour {nothing} !"
    )


def test_an_unknown_placeholder_or_a_taken_name_is_refused(workspace, user):
    with pytest.raises(InboxError, match=r"Unknown placeholder \{prenom\}"):
        saved_reply_save(workspace=workspace, name="Merci", text="Merci {prenom}", acting_user=user)
    saved_reply_save(workspace=workspace, name="Merci", text="Merci {first_name}", acting_user=user)
    with pytest.raises(InboxError, match="already called"):
        saved_reply_save(workspace=workspace, name=" Merci ", text="Encore", acting_user=user)
    assert SavedReply.objects.count() == 1


def test_the_conversation_page_offers_them_filled(logged_in_client, workspace, user, conversation):
    saved_reply_save(
        workspace=workspace, name="Horaires", text="Bonjour {first_name} !", acting_user=user
    )
    page = logged_in_client.get(
        reverse(
            "inbox:conversation",
            kwargs={"workspace": workspace.slug, "conversation_id": conversation.pk},
        )
    )
    assert 'data-text="Bonjour Léa !"' in page.content.decode()


def test_only_editors_change_saved_replies(client, workspace):
    address = reverse("inbox:saved_replies", kwargs={"workspace": workspace.slug})
    viewer = factories.make_member(workspace, "viewer").user
    client.force_login(viewer)
    assert client.get(address).status_code == 200
    assert client.post(address, {"name": "A", "text": "B"}).status_code == 403
    editor = factories.make_member(workspace, "editor").user
    client.force_login(editor)
    assert client.post(address, {"name": "A", "text": "B"}).status_code == 302
    saved = SavedReply.objects.get()
    delete = reverse(
        "inbox:saved_reply_delete", kwargs={"workspace": workspace.slug, "saved_id": saved.pk}
    )
    assert client.post(delete).status_code == 302
    assert not SavedReply.objects.exists()
