"""Fixtures of the community tests: two channels on two networks and what people said there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from parvis.inbox.ingesting import messages_store
from parvis.networks.base import Interaction, InteractionKind
from tests import factories


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def said(remote_id: str, kind=InteractionKind.COMMENT, *, hours_ago: float = 1, **fields):
    values = {
        "author_id": "sbx-lea",
        "author_name": "Léa Fontaine",
        "author_handle": "@lea.fontaine",
        "text": f"message {remote_id}",
        "created_at": timezone.now() - timedelta(hours=hours_ago),
        "post_remote_id": "p1",
        **fields,
    }
    return Interaction(remote_id=remote_id, kind=kind, **values)


@pytest.fixture
def facebook(workspace):
    return factories.make_sandbox_channel(workspace, "sandbox_facebook", "La Mie Dorée")


@pytest.fixture
def x_channel(workspace):
    return factories.make_sandbox_channel(workspace, "sandbox_x", "Mie sur X")


@pytest.fixture
def stored(facebook, x_channel):
    """Léa on Facebook (two comments) and on X (one, as @lea_fx); Marc once on Facebook."""
    messages_store(
        channel=facebook,
        interactions=[
            said("c1", text="Vos croissants sont les meilleurs de Lyon"),
            said("c2", hours_ago=0.5, text="Vous ouvrez dimanche ?"),
            said(
                "c3",
                author_id="sbx-marc",
                author_name="Marc Petit",
                author_handle="@marcp",
                text="Trop cher",
                hours_ago=24 * 30,
            ),
        ],
    )
    messages_store(
        channel=x_channel,
        interactions=[
            said(
                "x1",
                author_id="x-lea",
                author_name="Léa F.",
                author_handle="@lea_fx",
                text="Je recommande la Mie Dorée",
                post_remote_id="px",
            )
        ],
    )
