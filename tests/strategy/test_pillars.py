"""Content pillars: the 100 % rule, posts' pillars, the mix on the calendar and per month."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from parvis.publishing.actions import PublishingError, post_autosave, post_draft, post_update
from parvis.publishing.models import Post
from parvis.strategy.actions import (
    StrategyError,
    pillar_archive,
    pillar_create,
    pillar_update,
)
from parvis.strategy.selectors import pillar_mix, pillar_mix_by_month
from tests import factories
from tests.strategy.builders import planned

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def paris(day: int, hour: int = 12, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=PARIS)


def make_pillar(workspace, name="Savoir-faire", target_share=40, **fields):
    return pillar_create(
        workspace=workspace, name=name, target_share=target_share, acting_user=None, **fields
    )


def test_the_active_pillars_targets_cannot_pass_100(workspace):
    make_pillar(workspace, "Savoir-faire", 50)
    offers = make_pillar(workspace, "Offres", 30)
    with pytest.raises(StrategyError) as refused:
        make_pillar(workspace, "Équipe", 30)
    assert refused.value.field == "target_share"
    assert "110 %" in refused.value.message and "20 % or less" in refused.value.message
    team = make_pillar(workspace, "Équipe", 20)
    with pytest.raises(StrategyError):
        pillar_update(
            pillar=offers,
            name="Offres",
            target_share=31,
            description="",
            colour="#aa0000",
            acting_user=None,
        )
    # An archived pillar's target no longer counts; bringing it back must fit again.
    pillar_archive(pillar=team, acting_user=None)
    pillar_update(
        pillar=offers,
        name="Offres",
        target_share=50,
        description="",
        colour="#aa0000",
        acting_user=None,
    )
    with pytest.raises(StrategyError) as refused:
        pillar_archive(pillar=team, archived=False, acting_user=None)
    assert "0 % or less" in refused.value.message
    team.refresh_from_db()
    assert team.archived


def test_names_are_unique_per_workspace_whatever_the_case(workspace):
    make_pillar(workspace, "Équipe", 10)
    with pytest.raises(StrategyError) as refused:
        make_pillar(workspace, "ÉQUIPE", 10)
    assert refused.value.field == "name"
    make_pillar(factories.make_workspace("Autre"), "Équipe", 10)


def test_a_post_takes_a_pillar_of_its_workspace_in_use(workspace, user):
    pillar = make_pillar(workspace)
    post = post_draft(
        workspace=workspace, text="Le levain", channels=[], acting_user=user, pillar=pillar
    )
    assert post.pillar == pillar
    elsewhere = make_pillar(factories.make_workspace("Autre"))
    with pytest.raises(PublishingError):
        post_draft(workspace=workspace, text="x", channels=[], acting_user=user, pillar=elsewhere)
    pillar_archive(pillar=pillar, acting_user=None)
    with pytest.raises(PublishingError) as refused:
        post_draft(workspace=workspace, text="x", channels=[], acting_user=user, pillar=pillar)
    assert "archived" in str(refused.value)
    post.refresh_from_db()
    assert post.pillar == pillar  # an archived pillar stays on its posts


def test_autosave_and_edit_change_the_pillar(workspace, user):
    first, second = make_pillar(workspace, "Savoir-faire", 40), make_pillar(workspace, "Offres", 30)
    draft = post_autosave(
        workspace=workspace, draft=None, text="Brioche", channels=[], acting_user=user, pillar=first
    )
    assert draft.pillar == first
    post_autosave(workspace=workspace, draft=draft, text="Brioche !", channels=[], acting_user=user)
    draft.refresh_from_db()
    assert draft.pillar == first  # not shown: kept
    membership = workspace.memberships.get(user=user)
    post_update(
        post=draft,
        text="Brioche !",
        channels=[],
        scheduled_at=None,
        acting=membership,
        pillar=second,
    )
    draft.refresh_from_db()
    assert draft.pillar == second


def test_the_composer_offers_the_pillars_in_use(logged_in_client, workspace):
    make_pillar(workspace, "Savoir-faire", 40)
    archived = make_pillar(workspace, "Ancien", 10)
    pillar_archive(pillar=archived, acting_user=None)
    page = logged_in_client.get(reverse("publishing:compose", kwargs={"workspace": workspace.slug}))
    html = page.content.decode()
    assert 'data-testid="pillar-select"' in html and "Savoir-faire" in html
    assert "Ancien" not in html


def test_the_composer_saves_the_chosen_pillar(logged_in_client, workspace):
    pillar = make_pillar(workspace)
    channel = factories.make_sandbox_channel(workspace)
    response = logged_in_client.post(
        reverse("publishing:compose", kwargs={"workspace": workspace.slug}),
        {
            "text": "Pain de mie",
            "channels": [channel.pk],
            "pillar": pillar.pk,
            "when": "later",
            "action": "draft",
        },
    )
    assert response.status_code == 302
    assert Post.objects.get().pillar == pillar


def test_the_mix_is_each_pillars_share_of_the_periods_posts(workspace):
    know_how, offers = (
        make_pillar(workspace, "Savoir-faire", 50),
        make_pillar(workspace, "Offres", 30),
    )
    make_pillar(workspace, "Équipe", 20)  # no post: 0 %
    x = factories.make_sandbox_channel(workspace)
    for day in (2, 3, 4):
        planned(workspace, paris(day), pillar=know_how, channel=x)
    planned(workspace, paris(5), pillar=offers)
    planned(workspace, paris(6))  # no pillar
    planned(workspace, paris(2, month=12), pillar=offers)  # outside the period
    mix = pillar_mix(workspace=workspace, start=paris(1, 0), end=paris(1, 0, month=12))
    assert mix.total == 5
    shares = {s.name or None: (s.count, round(s.share), s.target) for s in mix.shares}
    assert shares == {
        "Offres": (1, 20, 30),
        "Savoir-faire": (3, 60, 50),
        "Équipe": (0, 0, 20),
        None: (1, 20, None),
    }
    on_x = pillar_mix(
        workspace=workspace, start=paris(1, 0), end=paris(1, 0, month=12), channel_ids=[x.pk]
    )
    assert on_x.total == 3


def test_the_calendar_shows_the_mix_and_filters_by_pillar(
    logged_in_client, workspace, django_assert_max_num_queries
):
    know_how = make_pillar(workspace, "Savoir-faire", 50)
    planned(workspace, paris(2), pillar=know_how)
    planned(workspace, paris(3))
    slug = {"workspace": workspace.slug}
    page = logged_in_client.get(reverse("web:calendar", kwargs=slug)).content.decode()
    assert 'id="filter-pillar"' in page and 'id="pillar-mix"' in page
    period = {"start": "2026-11-01T00:00:00", "end": "2026-12-01T00:00:00"}
    with django_assert_max_num_queries(8):  # session, membership, the posts grouped, the pillars
        mix = logged_in_client.get(reverse("web:calendar_mix", kwargs=slug), period)
    html = mix.content.decode()
    assert mix.status_code == 200 and 'data-total="2"' in html
    assert "Savoir-faire" in html and "50 %" in html and "target 50 %" in html
    events = logged_in_client.get(
        reverse("web:calendar_events", kwargs=slug), {**period, "pillar": know_how.pk}
    )
    assert [e["id"] for e in events.json()] == [know_how.posts.get().pk]
    without = logged_in_client.get(
        reverse("web:calendar_events", kwargs=slug), {**period, "pillar": "none"}
    )
    assert len(without.json()) == 1 and without.json()[0]["id"] != know_how.posts.get().pk
    bad = logged_in_client.get(
        reverse("web:calendar_events", kwargs=slug), {**period, "pillar": "x"}
    )
    assert bad.status_code == 400 and b"pillar filter" in bad.content


def test_the_mix_per_month(workspace):
    know_how = make_pillar(workspace, "Savoir-faire", 50)
    planned(workspace, paris(30, 23, month=10), pillar=know_how)  # 30 October, 23:00 in Paris
    planned(workspace, paris(1, 0, month=11), pillar=know_how)
    planned(workspace, paris(15, month=11))
    months = pillar_mix_by_month(workspace=workspace, first=date(2026, 10, 1), months=3)
    assert [month for month, _mix in months] == [
        date(2026, 10, 1),
        date(2026, 11, 1),
        date(2026, 12, 1),
    ]
    october, november, december = (mix for _month, mix in months)
    assert october.total == 1 and november.total == 2 and december.total == 0
    assert {s.name: s.count for s in november.shares} == {"Savoir-faire": 1, "": 1}


def test_the_pillars_page_and_who_may_change_pillars(client, workspace):
    make_pillar(workspace, "Savoir-faire", 50)
    viewer = factories.make_member(workspace, "viewer").user
    client.force_login(viewer)
    slug = {"workspace": workspace.slug}
    page = client.get(reverse("strategy:pillars", kwargs=slug))
    assert page.status_code == 200 and 'data-testid="pillar-months"' in page.content.decode()
    assert 'data-testid="pillar-new"' not in page.content.decode()
    assert client.get(reverse("strategy:pillar_new", kwargs=slug)).status_code == 403
    editor = factories.make_member(workspace, "editor").user
    client.force_login(editor)
    refused = client.post(
        reverse("strategy:pillar_new", kwargs=slug),
        {"name": "Offres", "colour": "#112233", "target_share": 60, "description": ""},
    )
    assert refused.status_code == 400 and "110 %" in refused.content.decode()
    saved = client.post(
        reverse("strategy:pillar_new", kwargs=slug),
        {"name": "Offres", "colour": "#112233", "target_share": 30, "description": "Promotions"},
    )
    assert saved.status_code == 302
    listing = client.get(reverse("strategy:pillars", kwargs=slug)).content.decode()
    assert 'data-testid="target-total">80 %' in listing
