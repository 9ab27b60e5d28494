"""GDPR: export everything held about a person; erase it so that nothing remains anywhere."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from parvis.community import people, privacy
from parvis.community.models import Handle, Person
from parvis.core.audit import AuditEvent
from parvis.inbox.models import InboundEvent, Reply
from parvis.inbox.threads import Author, Conversation, Message
from parvis.inbox.work import note_add
from parvis.networks.base import InteractionKind
from parvis.notifications.models import Notification, NotificationKind
from tests.community.conftest import said

pytestmark = pytest.mark.django_db

LEA = ["Léa Fontaine", "lea.fontaine", "sbx-lea", "Léa F.", "lea_fx", "x-lea"]
HER_WORDS = ["croissants sont les meilleurs", "ouvrez dimanche", "Je recommande", "en privé"]
# The Sandbox's own tables play the networks' servers: what the network keeps is not Parvis's.
NOT_PARVIS = {"sandbox"}


def everything_stored() -> str:
    """Every text, JSON and binary value of every row Parvis keeps, in one string."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label in NOT_PARVIS or not model._meta.managed:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(
                f, models.CharField | models.TextField | models.JSONField | models.BinaryField
            )
        ]
        for row in model._default_manager.values_list(*fields) if fields else []:
            for value in row:
                if isinstance(value, bytes | memoryview):
                    value = bytes(value).decode("utf-8", "replace")
                found.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(found).lower()


@pytest.fixture
def lea(workspace, stored, facebook, user):
    """Léa merged across Facebook and X, tagged and noted, answered by the brand, quoted in
    the team's notes and the audit trail, and named in a raw webhook delivery."""
    messages_store_dm(facebook)
    people.people_sync(workspace=workspace)
    facebook_lea = Handle.objects.get(author__external_id="sbx-lea").person
    x_lea = Handle.objects.get(author__external_id="x-lea").person
    person = people.people_merge(
        workspace=workspace, people=[facebook_lea, x_lea], acting_user=user
    )
    people.person_set_tags(person=person, raw="ambassador", acting_user=user)
    people.person_note_add(person=person, text="Léa vient le samedi", acting_user=user)
    theirs = Message.objects.get(remote_id="c1")
    Message.objects.create(
        workspace=workspace,
        conversation=theirs.conversation,
        channel=facebook,
        remote_id="out1",
        kind="comment",
        direction="out",
        text="Merci Léa, à samedi ! @lea.fontaine",
        created_at=timezone.now(),
        parent=theirs,
        raw={"to": "sbx-lea"},
    )
    Reply.objects.create(
        workspace=workspace,
        conversation=theirs.conversation,
        channel=facebook,
        in_reply_to=theirs,
        text="Merci Léa Fontaine",
    )
    note_add(conversation=theirs.conversation, text="Léa est une habituée", acting_user=user)
    InboundEvent.objects.create(
        network="sandbox_facebook",
        state="processed",
        body=json.dumps({"from": "sbx-lea", "text": "Vos croissants sont les meilleurs"}).encode(),
    )
    Notification.objects.create(
        recipient=user,
        workspace=workspace,
        kind=NotificationKind.values[0],
        title="Léa Fontaine vous a écrit",
        body="Je vous écris en privé",
        link="/",
    )
    return person


def messages_store_dm(channel):
    from parvis.inbox.ingesting import messages_store

    messages_store(
        channel=channel,
        interactions=[said("d1", InteractionKind.MESSAGE, text="Je vous écris en privé")],
    )


def test_the_export_holds_everything_about_them(lea, user):
    data = privacy.person_export(person=lea, acting_user=user)
    json.dumps(data)  # ready to download
    assert data["person"]["name"] == "Léa Fontaine" and data["person"]["tags"] == ["ambassador"]
    assert {h["handle"] for h in data["handles"]} == {"@lea.fontaine", "@lea_fx"}
    texts = [m["text"] for m in data["messages"]]
    assert "Vos croissants sont les meilleurs de Lyon" in texts and len(texts) == 4
    answered = next(m for m in data["messages"] if m["brand_answers"])
    assert answered["brand_answers"][0]["text"].startswith("Merci Léa")
    assert data["notes_about_them"][0]["text"] == "Léa vient le samedi"
    assert data["team_notes_in_their_conversations"][0]["text"] == "Léa est une habituée"
    assert AuditEvent.objects.filter(verb="community.exported").exists()


def test_after_erasing_nothing_about_them_remains_anywhere(lea, user, workspace):
    before = everything_stored()
    assert all(word.lower() in before for word in LEA + HER_WORDS)
    erasure = privacy.person_erase(person=lea, acting_user=user)
    assert erasure.handles == 2 and erasure.messages == 4
    after = everything_stored()
    for word in LEA + HER_WORDS:
        assert word.lower() not in after, word
    # What was not theirs stays: Marc, his words, the brand's answer (without her name).
    assert "trop cher" in after and "marc petit" in after
    assert Message.objects.get(remote_id="out1").text == "Merci […], à samedi ! […]"
    assert not Person.objects.filter(pk=lea.pk).exists()
    assert not Author.objects.filter(external_id__in=["sbx-lea", "x-lea"]).exists()
    assert Message.objects.filter(remote_id="c1", text="").exists()  # its place in the thread
    assert not Conversation.objects.filter(thread_key__contains="sbx-lea").exists()
    event = AuditEvent.objects.get(verb="community.erased")
    assert event.data["messages"] == 4 and event.actor == user


def test_the_same_comment_is_not_read_in_again_after_erasure(lea, user, facebook):
    from parvis.inbox.ingesting import messages_store

    privacy.person_erase(person=lea, acting_user=user)
    assert messages_store(channel=facebook, interactions=[said("c1")]) == 0
    assert "message c1" not in everything_stored()
