"""The inbox pages: filters, bulk actions, a conversation, answering, permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parvis.inbox.ingesting import messages_store
from parvis.inbox.models import Conversation, Message, Note, Reply
from parvis.inbox.work import conversation_set_tags, reply_write
from parvis.networks.base import InteractionKind
from tests import factories
from tests.inbox.test_ingesting import said

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(workspace, channel):
    """A comment thread, a mention and a message on the Facebook channel; a comment on X."""
    x_channel = factories.make_sandbox_channel(workspace, "sandbox_x", "Mie sur X")
    messages_store(
        channel=channel,
        interactions=[
            said("c1", post_remote_id="p1", text="Vous ouvrez dimanche ?"),
            said("m1", InteractionKind.MENTION, minutes=1, text="Merci @lamiedoree"),
            said("d1", InteractionKind.MESSAGE, minutes=2, text="Une pièce montée ?"),
        ],
    )
    messages_store(channel=x_channel, interactions=[said("x1", post_remote_id="px", text="Top")])
    return {m.remote_id: m.conversation for m in Message.objects.all()}


def url(name, workspace, **kwargs):
    return reverse(f"inbox:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def listed(client, workspace, **query) -> str:
    response = client.get(url("list", workspace), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_filters_by_channel_network_kind_status_assignee_tag_and_date(
    logged_in_client, workspace, user, stored
):
    client = logged_in_client
    assert listed(client, workspace).count('data-testid="conversation-row"') == 4
    channel = stored["c1"].channel
    assert listed(client, workspace, channel=channel.pk).count("conversation-row") == 3
    assert listed(client, workspace, network="sandbox_x").count("conversation-row") == 1
    page = listed(client, workspace, kind="mention")
    assert page.count("conversation-row") == 1 and "Merci @lamiedoree" in page
    Conversation.objects.filter(pk=stored["d1"].pk).update(status="done", assignee=user)
    assert listed(client, workspace).count("conversation-row") == 3  # open ones by default
    assert "Une pièce montée" in listed(client, workspace, status="done")
    assert listed(client, workspace, status="", assignee="me").count("conversation-row") == 1
    assert listed(client, workspace, assignee="nobody").count("conversation-row") == 3
    conversation_set_tags(conversation=stored["x1"], raw="Question, livraison", acting_user=user)
    page = listed(client, workspace, tag="livraison")
    assert page.count("conversation-row") == 1 and "Top" in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "inbox-empty" in listed(client, workspace, since=tomorrow)
    assert listed(client, workspace, until=tomorrow).count("conversation-row") == 3


def test_the_navigation_counts_open_conversations(logged_in_client, workspace, stored):
    page = logged_in_client.get(url("list", workspace)).content.decode()
    assert 'data-testid="inbox-count">4' in page


def test_the_list_refreshes_as_a_fragment(logged_in_client, workspace, stored):
    response = logged_in_client.get(
        url("list", workspace), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="inbox-rows"
    )
    page = response.content.decode()
    assert "<html" not in page and page.count("conversation-row") == 4


def test_bulk_actions_mark_done_and_assign(logged_in_client, workspace, user, stored):
    ids = [stored["c1"].pk, stored["m1"].pk]
    response = logged_in_client.post(url("bulk", workspace), {"ids": ids, "action": "done"})
    assert response.status_code == 302
    assert set(Conversation.objects.filter(status="done").values_list("pk", flat=True)) == set(ids)
    logged_in_client.post(
        url("bulk", workspace), {"ids": ids, "action": "assign", "assignee": user.pk}
    )
    assert Conversation.objects.filter(assignee=user).count() == 2
    stranger = factories.make_user()
    logged_in_client.post(
        url("bulk", workspace), {"ids": ids, "action": "assign", "assignee": stranger.pk}
    )
    assert not Conversation.objects.filter(assignee=stranger).exists()


def test_the_conversation_page_shows_the_thread_and_answers(
    logged_in_client, workspace, user, stored
):
    conversation = stored["c1"]
    page = logged_in_client.get(url("conversation", workspace, conversation_id=conversation.pk))
    text = page.content.decode()
    assert "Vous ouvrez dimanche ?" in text and 'data-testid="reply-form"' in text
    assert 'data-testid="hide-message"' in text  # the Facebook Sandbox hides comments
    opened_at = page.context["opened_at"]
    response = logged_in_client.post(
        url("reply", workspace, conversation_id=conversation.pk),
        {"text": "Oui, de 8 h à 13 h.", "opened_at": opened_at},
    )
    assert response.status_code == 302
    reply = Reply.objects.get()
    assert reply.in_reply_to.remote_id == "c1" and reply.created_by == user
    text = logged_in_client.get(response.url).content.decode()
    assert "Sending…" in text and "Oui, de 8 h à 13 h." in text


def test_no_hide_button_where_the_network_cannot_hide(logged_in_client, workspace, stored):
    page = logged_in_client.get(url("conversation", workspace, conversation_id=stored["x1"].pk))
    assert b'data-testid="hide-message"' not in page.content


def test_an_answer_sent_by_someone_else_meanwhile_asks_for_confirmation(
    logged_in_client, workspace, stored
):
    conversation = stored["c1"]
    page = logged_in_client.get(url("conversation", workspace, conversation_id=conversation.pk))
    opened_at = page.context["opened_at"]
    colleague = factories.make_member(workspace, "editor").user
    reply_write(conversation=conversation, text="Oui, dimanche matin.", acting_user=colleague)
    live = logged_in_client.get(
        url("live", workspace, conversation_id=conversation.pk), {"opened_at": opened_at}
    ).content.decode()
    assert "sent an answer since you opened this conversation" in live
    response = logged_in_client.post(
        url("reply", workspace, conversation_id=conversation.pk),
        {"text": "Oui !", "opened_at": opened_at},
    )
    assert response.status_code == 409 and b'data-testid="confirm-needed"' in response.content
    assert Reply.objects.count() == 1
    response = logged_in_client.post(
        url("reply", workspace, conversation_id=conversation.pk),
        {"text": "Oui !", "opened_at": opened_at, "confirm": "1"},
    )
    assert response.status_code == 302 and Reply.objects.count() == 2


def test_another_member_reading_or_typing_is_shown(logged_in_client, workspace, stored):
    conversation = stored["c1"]
    colleague = factories.make_member(workspace, "editor").user
    client = Client()
    client.force_login(colleague)
    client.get(url("conversation", workspace, conversation_id=conversation.pk))
    live = logged_in_client.get(url("live", workspace, conversation_id=conversation.pk))
    assert f"{colleague.display_name} is reading this conversation" in live.content.decode()
    client.post(url("typing", workspace, conversation_id=conversation.pk))
    live = logged_in_client.get(url("live", workspace, conversation_id=conversation.pk))
    assert f"{colleague.display_name} is writing an answer" in live.content.decode()


def test_status_assignment_tags_and_notes_from_the_conversation(
    logged_in_client, workspace, user, stored
):
    conversation = stored["c1"]
    update = url("update", workspace, conversation_id=conversation.pk)
    logged_in_client.post(update, {"status": "pending"})
    logged_in_client.post(update, {"assignee": user.pk})
    logged_in_client.post(update, {"tags": "question, horaires"})
    logged_in_client.post(
        url("note", workspace, conversation_id=conversation.pk), {"text": "Client fidèle"}
    )
    conversation.refresh_from_db()
    assert conversation.status == "pending" and conversation.assignee == user
    assert sorted(t.name for t in conversation.tags.all()) == ["horaires", "question"]
    assert Note.objects.get().text == "Client fidèle"


@pytest.mark.parametrize(
    ("role", "can_answer", "can_note"),
    [("viewer", False, False), ("contributor", False, True), ("editor", True, True)],
)
def test_roles_decide_who_answers_and_who_notes(
    client, workspace, stored, role, can_answer, can_note
):
    member = factories.make_member(workspace, role).user
    client.force_login(member)
    conversation = stored["c1"]
    page = client.get(url("conversation", workspace, conversation_id=conversation.pk))
    assert page.status_code == 200
    assert (b'data-testid="reply-form"' in page.content) is can_answer
    answer = client.post(url("reply", workspace, conversation_id=conversation.pk), {"text": "Hi"})
    assert (answer.status_code == 302) is can_answer
    assert (answer.status_code == 403) is not can_answer
    done = client.post(url("bulk", workspace), {"ids": [conversation.pk], "action": "done"})
    assert (done.status_code == 302) is can_answer
    note = client.post(url("note", workspace, conversation_id=conversation.pk), {"text": "Vu"})
    assert (note.status_code == 302) is can_note
    assert Note.objects.exists() is can_note


def test_the_inbox_speaks_french(logged_in_client, workspace, user, stored):
    user.language = "fr"
    user.save(update_fields=["language"])
    logged_in_client.cookies.load({"django_language": "fr"})
    page = listed(logged_in_client, workspace)
    assert "Avec les conversations sélectionnées" in page and "Marquer comme traitées" in page
    conversation = logged_in_client.get(
        url("conversation", workspace, conversation_id=stored["c1"].pk)
    ).content.decode()
    assert "Notes internes" in conversation and ">Ouverte<" in conversation


def test_a_long_thread_shows_its_newest_messages_and_offers_the_rest(
    logged_in_client, workspace, channel, monkeypatch
):
    monkeypatch.setattr("parvis.inbox.selectors.THREAD_LATEST", 3)
    messages_store(
        channel=channel,
        interactions=[
            said(f"c{n}", post_remote_id="p1", minutes=n, text=f"Comment number {n}")
            for n in range(5)
        ],
    )
    conversation = Conversation.objects.get()
    address = url("conversation", workspace, conversation_id=conversation.pk)
    text = logged_in_client.get(address).content.decode()
    assert text.count('data-testid="message"') == 3
    assert "Comment number 4" in text and "Comment number 1" not in text
    assert "2 earlier messages are not shown." in text
    assert f'href="{address}?all=1"' in text
    whole = logged_in_client.get(address, {"all": "1"}).content.decode()
    assert whole.count('data-testid="message"') == 5 and "earlier-messages" not in whole
    assert "&amp;all=1" in whole  # the refresh keeps every message
    live = logged_in_client.get(url("live", workspace, conversation_id=conversation.pk))
    assert live.content.decode().count('data-testid="message"') == 3
