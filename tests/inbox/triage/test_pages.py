"""Triage in the inbox pages: filters, the Priority sort, badges, in English and French."""

from __future__ import annotations

import re

import pytest

from parvis.inbox.ingesting import messages_store
from parvis.inbox.models import Conversation
from parvis.networks.base import InteractionKind
from tests.inbox.test_ingesting import said
from tests.inbox.test_pages import listed, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def triaged(channel, settings):
    settings.PARVIS_INBOX_LARGE_AUDIENCE = 10_000
    messages_store(
        channel=channel,
        interactions=[
            said("praise", InteractionKind.MENTION, minutes=3, text="Love it, thank you!"),
            said("question", InteractionKind.MENTION, minutes=1, text="Vous livrez à Lyon ?"),
            said(
                "famous",
                InteractionKind.MENTION,
                minutes=2,
                text="Nice shop",
                raw={"followers": 250_000},
            ),
            said("complaint", InteractionKind.MENTION, text="Colis perdu, toujours rien reçu"),
        ],
    )
    return {c.preview: c for c in Conversation.objects.all()}


def previews(page: str) -> list[str]:
    return re.findall(r'class="small text-truncate inbox-preview">([^<]*)<', page)


def test_the_list_filters_by_sentiment_intent_and_language(logged_in_client, workspace, triaged):
    client = logged_in_client
    assert previews(listed(client, workspace, intent="complaint")) == [
        "Colis perdu, toujours rien reçu"
    ]
    assert previews(listed(client, workspace, sentiment="positive")) == [
        "Love it, thank you!",
        "Nice shop",
    ]
    assert previews(listed(client, workspace, language="fr")) == [
        "Vous livrez à Lyon ?",
        "Colis perdu, toujours rien reçu",
    ]
    assert previews(listed(client, workspace, intent="nonsense")) == previews(
        listed(client, workspace)
    )


def test_the_priority_sort_puts_complaints_then_questions_then_large_audiences_first(
    logged_in_client, workspace, triaged
):
    newest_first = previews(listed(logged_in_client, workspace))
    assert newest_first[0] == "Love it, thank you!"
    assert previews(listed(logged_in_client, workspace, order="priority")) == [
        "Colis perdu, toujours rien reçu",
        "Vous livrez à Lyon ?",
        "Nice shop",
        "Love it, thank you!",
    ]


def test_badges_in_the_list_and_the_conversation_in_french(
    logged_in_client, workspace, user, triaged
):
    user.language = "fr"
    user.save(update_fields=["language"])
    logged_in_client.cookies.load({"django_language": "fr"})
    page = listed(logged_in_client, workspace, order="priority")
    assert page.count('data-testid="priority-badge"') == 3
    assert "Priorité" in page and "Toutes les intentions" in page and "Large audience" not in page
    complaint = triaged["Colis perdu, toujours rien reçu"]
    response = logged_in_client.get(url("conversation", workspace, conversation_id=complaint.pk))
    text = response.content.decode()
    assert 'data-testid="priority-badge"' in text
    assert "Réclamation" in text and "Négatif" in text and "Français" in text
