"""Fixtures of the inbox tests: a Sandbox channel with a published post, a fake webhook network."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from datetime import datetime

import pytest
from django.utils import timezone, translation

from parvis.engine.runner import run_once
from parvis.networks import registry
from parvis.networks.base import (
    Capabilities,
    Interaction,
    InteractionKind,
    WebhookItem,
)
from parvis.networks.sandbox.network import SandboxX
from parvis.publishing.actions import post_schedule
from parvis.publishing.models import Delivery, Post
from tests import factories

HOOK_SECRET = b"app-secret-for-tests"


class HookNetwork(SandboxX):
    """A network that pushes interactions, signed like Meta's (HMAC-SHA256 of the raw body)."""

    key = "hooknet"
    name = "Hook network"
    capabilities = Capabilities(threads=True, webhooks=True, hide_comments=True)

    def webhook_challenge(self, params: Mapping[str, str]) -> str | None:
        if params.get("hub.mode") == "subscribe" and params.get("hub.verify_token") == "tok":
            return params.get("hub.challenge", "")
        return None

    def webhook_verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        given = headers.get("x-hub-signature-256", "")
        expected = "sha256=" + hmac.new(HOOK_SECRET, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(given.encode(), expected.encode())

    def webhook_items(self, body: bytes) -> Sequence[WebhookItem]:
        payload = json.loads(body)
        return [
            WebhookItem(
                channel_external_id=entry["account"],
                interaction=Interaction(
                    remote_id=entry["id"],
                    kind=InteractionKind(entry["kind"]),
                    author_id=entry["from"],
                    author_name=entry["from"].title(),
                    author_handle="@" + entry["from"],
                    text=entry["text"],
                    created_at=datetime.fromisoformat(entry["at"]),
                    post_remote_id=entry.get("post", ""),
                    in_reply_to_id=entry.get("parent", ""),
                ),
            )
            for entry in payload["entries"]
        ]


@pytest.fixture(autouse=True)
def english():
    """The actions' messages follow the active language: English here, whatever ran before."""
    with translation.override("en"):
        yield


def sign(body: bytes) -> str:
    return "sha256=" + hmac.new(HOOK_SECRET, body, hashlib.sha256).hexdigest()


@pytest.fixture
def hook_network(monkeypatch):
    registry.get("sandbox_x")  # the built-in ones first
    monkeypatch.setattr(registry, "_networks", dict(registry._networks))
    return registry.register(HookNetwork())


@pytest.fixture
def channel(workspace):
    return factories.make_sandbox_channel(workspace, "sandbox_facebook", "La Mie Dorée")


def publish_now(workspace, channel, text="Nos croissants du jour") -> Delivery:
    post = Post.objects.create(workspace=workspace, text=text)
    (delivery,) = post_schedule(post=post, at=timezone.now(), channels=[channel], acting_user=None)
    run_once(Delivery)
    delivery.refresh_from_db()
    assert delivery.state == "published"
    return delivery
