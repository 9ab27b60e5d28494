"""Tenancy: every URL of a workspace answers 404 to members of other workspaces.

The walk reads the project's URL configuration, so pages added later are
checked without touching this test.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from parvis.channels.models import Channel
from parvis.publishing.models import MediaAsset, Post
from parvis.strategy.actions import campaign_create, goal_create, pillar_create
from tests import factories

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _routes(patterns=None, prefix: str = ""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def workspace_routes() -> list[str]:
    return sorted({r for r in _routes() if "<slug:workspace>" in r})


def _fill(route: str, values: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name, converter = match["name"], match["converter"] or "str"
        if name in values:
            return values[name]
        return "1" if converter == "int" else "sandbox_x"

    return "/" + PARAMETER.sub(value, route).lstrip("^").rstrip("$")


def test_the_walk_finds_the_workspace_pages():
    routes = workspace_routes()
    assert len(routes) >= 15, routes
    assert "w/<slug:workspace>/calendar/" in routes
    assert "w/<slug:workspace>/campaigns/<int:campaign_id>/edit/" in routes


@pytest.mark.django_db
def test_members_of_workspace_a_get_404_on_every_page_of_workspace_b(client):
    owner_a = factories.make_user()
    factories.make_workspace("Marque A", owner=owner_a)
    workspace_b = factories.make_workspace("Marque B")
    channel_b = Channel.objects.create(
        workspace=workspace_b, network="sandbox_x", external_id="b", name="B"
    )
    post_b = Post.objects.create(workspace=workspace_b, text="Secret de B")
    campaign_b = campaign_create(
        workspace=workspace_b, name="Secret", starts_on=date(2027, 1, 1), acting_user=None
    )
    goal_b = goal_create(
        workspace=workspace_b,
        name="Secret",
        kpi="posts_published",
        target=3,
        starts_on=date(2027, 1, 1),
        deadline=date(2027, 1, 31),
        acting_user=None,
    )
    pillar_b = pillar_create(
        workspace=workspace_b, name="Secret", target_share=50, acting_user=None
    )
    asset_b = MediaAsset.objects.create(
        workspace=workspace_b,
        file="workspaces/b/secret.jpg",
        original_name="secret.jpg",
        mime_type="image/jpeg",
        kind="image",
        size_bytes=1,
        width=1,
        height=1,
    )
    values = {
        "campaign_id": str(campaign_b.pk),
        "workspace": workspace_b.slug,
        "channel_id": str(channel_b.pk),
        "post_id": str(post_b.pk),
        "asset_id": str(asset_b.pk),
        "goal_id": str(goal_b.pk),
        "pillar_id": str(pillar_b.pk),
    }
    client.force_login(owner_a)
    answers = {}
    for route in workspace_routes():
        url = _fill(route, values)
        answers[url] = (client.get(url).status_code, client.post(url).status_code)
    leaks = {url: codes for url, codes in answers.items() if codes != (404, 404)}
    assert leaks == {}
    assert Channel.objects.filter(pk=channel_b.pk).exists()
    campaign_b.refresh_from_db()
    assert not campaign_b.archived
    assert MediaAsset.objects.filter(pk=asset_b.pk).exists()
    goal_b.refresh_from_db()
    pillar_b.refresh_from_db()
    assert not goal_b.archived and not pillar_b.archived
