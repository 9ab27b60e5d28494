"""Meta's usage headers and rate limits hold the other posts instead of meeting refusals."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from parvis.channels.models import Channel
from parvis.engine.runner import run_once
from parvis.publishing.actions import post_schedule
from parvis.publishing.models import Delivery, Post
from tests.networks.facebook.conftest import connect_page

pytestmark = pytest.mark.django_db


def schedule(workspace, channel: Channel, text: str, offset_us: int = 0) -> Delivery:
    post = Post.objects.create(workspace=workspace, text=text)
    at = timezone.now() + timedelta(microseconds=offset_us)
    (delivery,) = post_schedule(post=post, at=at, channels=[channel], acting_user=None)
    return delivery


def posts(meta_server, channel: Channel) -> list[str]:
    rows = meta_server.get("/_test/fb/posts", page_id=channel.external_id)["posts"]
    return [row["message"] for row in rows]


def test_a_page_near_its_limit_holds_its_next_posts(channel, workspace, meta_server):
    usage = {"call_count": 97, "total_cputime": 20, "total_time": 20}
    meta_server.usage(page_id=channel.external_id, page=usage)
    first = schedule(workspace, channel, "First loaf")
    second = schedule(workspace, channel, "Second loaf", 1)
    run_once(Delivery)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == "published"
    assert second.state in ("scheduled", "retrying")
    assert second.next_attempt_at > timezone.now() + timedelta(minutes=10)
    assert posts(meta_server, channel) == ["First loaf"]


def test_the_app_s_limit_holds_every_page(channel, workspace, meta_server, logged_in_client):
    """Also a regression test: a scheduled delivery held by a limit another delivery
    met in this worker used to fail (scheduled cannot move to retrying)."""
    other = connect_page(logged_in_client, workspace, meta_server, name="Fromagerie")
    usage = json.dumps({"call_count": 100, "total_cputime": 40, "total_time": 60})
    meta_server.queue(
        {"code": 4, "headers": {"X-App-Usage": usage}}, path=f"/{channel.external_id}/feed"
    )
    refused = schedule(workspace, channel, "Refused")
    run_once(Delivery)
    elsewhere = schedule(workspace, other, "On the other Page")
    run_once(Delivery)
    refused.refresh_from_db()
    elsewhere.refresh_from_db()
    assert refused.state == "retrying"
    assert refused.last_error.startswith("Parvis has reached Facebook's limit for all its accounts")
    assert elsewhere.state in ("scheduled", "retrying")
    assert elsewhere.next_attempt_at >= refused.next_attempt_at - timedelta(seconds=1)
    assert posts(meta_server, other) == []
