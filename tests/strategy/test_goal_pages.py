"""The goals page, the summary on the workspace's home, and a campaign's results."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.strategy.actions import campaign_create, goal_create, pillar_create
from parvis.strategy.models import Goal
from tests import factories
from tests.strategy.builders import figures, published, remote_id_of

pytestmark = pytest.mark.django_db


def url(workspace, name, **kwargs) -> str:
    return reverse(f"strategy:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def this_month_goal(workspace, **fields) -> Goal:
    today = timezone.localdate()
    values = {
        "name": "12 posts ce mois-ci",
        "kpi": "posts_published",
        "target": 12,
        "starts_on": today - timedelta(days=10),
        "deadline": today + timedelta(days=20),
        **fields,
    }
    return goal_create(workspace=workspace, acting_user=None, **values)


def test_everyone_reads_the_goals_editors_and_up_change_them(client, workspace):
    goal = this_month_goal(workspace)
    viewer = factories.make_member(workspace, "viewer").user
    client.force_login(viewer)
    page = client.get(url(workspace, "goals")).content.decode()
    assert "12 posts ce mois-ci" in page and 'role="progressbar"' in page
    assert 'data-testid="goal-new"' not in page
    assert client.get(url(workspace, "goal_new")).status_code == 403
    assert client.post(url(workspace, "goal_archive", goal_id=goal.pk)).status_code == 403
    client.force_login(factories.make_member(workspace, "editor").user)
    assert 'data-testid="goal-new"' in client.get(url(workspace, "goals")).content.decode()


def test_create_edit_and_archive_from_the_pages(logged_in_client, workspace):
    form = {
        "name": "Répondre en moins d'une heure",
        "kpi": "first_response_minutes",
        "target": "60",
        "starts_on": "2026-11-01",
        "deadline": "2026-10-01",
    }
    refused = logged_in_client.post(url(workspace, "goal_new"), form)
    assert refused.status_code == 400
    assert "The deadline cannot come before the start." in refused.content.decode()
    campaign = campaign_create(
        workspace=workspace, name="Noël", starts_on=date(2026, 11, 1), acting_user=None
    )
    wrong_scope = logged_in_client.post(
        url(workspace, "goal_new"), {**form, "deadline": "2026-12-31", "campaign": campaign.pk}
    )
    assert wrong_scope.status_code == 400
    assert "leave the campaign empty" in wrong_scope.content.decode()
    saved = logged_in_client.post(url(workspace, "goal_new"), {**form, "deadline": "2026-12-31"})
    assert saved.status_code == 302
    goal = Goal.objects.get()
    assert (goal.kpi, goal.target, goal.deadline) == (
        "first_response_minutes",
        60,
        date(2026, 12, 31),
    )
    edited = logged_in_client.post(
        url(workspace, "goal_edit", goal_id=goal.pk),
        {**form, "deadline": "2027-01-31", "target": "45"},
    )
    assert edited.status_code == 302
    goal.refresh_from_db()
    assert goal.target == 45 and goal.deadline == date(2027, 1, 31)
    logged_in_client.post(url(workspace, "goal_archive", goal_id=goal.pk))
    goal.refresh_from_db()
    assert goal.archived
    page = logged_in_client.get(url(workspace, "goals")).content.decode()
    assert 'data-testid="archived-goals"' in page and 'data-testid="no-goal"' in page


def test_the_workspace_home_summarises_the_goals_in_progress(logged_in_client, workspace):
    channel = factories.make_sandbox_channel(workspace)
    this_month_goal(workspace)
    this_month_goal(
        workspace,
        name="Fini",
        starts_on=date(2025, 1, 1),
        deadline=date(2025, 1, 31),
    )
    published(workspace, channel, timezone.now() - timedelta(days=1))
    home = logged_in_client.get(reverse("web:calendar", kwargs={"workspace": workspace.slug}))
    summary = home.content.decode()
    assert 'data-testid="goals-summary"' in summary
    assert "12 posts ce mois-ci" in summary and "Fini" not in summary
    assert 'data-testid="goal-value">1<' in summary


def test_no_goal_no_summary(logged_in_client, workspace):
    home = logged_in_client.get(reverse("web:calendar", kwargs={"workspace": workspace.slug}))
    assert home.status_code == 200 and b'data-testid="goals-summary"' not in home.content


def test_a_campaign_shows_its_results_goals_and_the_links_place(logged_in_client, workspace):
    campaign = campaign_create(
        workspace=workspace, name="Galette 2027", starts_on=date(2026, 11, 1), acting_user=None
    )
    channel = factories.make_sandbox_channel(workspace, "sandbox_instagram", "Mie Instagram")
    now = timezone.now()
    first = published(workspace, channel, now - timedelta(days=3), campaign=campaign)
    second = published(workspace, channel, now - timedelta(days=2), campaign=campaign)
    published(workspace, channel, now - timedelta(days=2))  # not in the campaign
    figures(channel, remote_id_of(first), now, views=3000, reach=2000, engagements=100)
    figures(channel, remote_id_of(second), now, views=1500, reach=1000, likes=40, comments=10)
    this_month_goal(workspace, name="Galette : 6 posts", campaign=campaign, target=6)
    page = logged_in_client.get(
        url(workspace, "campaign", campaign_id=campaign.pk)
    ).content.decode()
    assert 'data-testid="result-published">2<' in page
    assert 'data-testid="result-views">4,500<' in page
    assert 'data-testid="result-reach">3,000<' in page
    assert 'data-testid="result-engagements">150<' in page
    assert 'data-testid="result-rate">5.0 %<' in page
    assert "Galette : 6 posts" in page
    assert 'data-testid="campaign-links"' in page and "short links" in page


def test_another_workspaces_goal_and_pillar_are_not_found(logged_in_client, workspace):
    other = factories.make_workspace("Autre")
    goal = this_month_goal(other)
    pillar = pillar_create(workspace=other, name="Secret", target_share=10, acting_user=None)
    client = logged_in_client
    assert client.get(url(workspace, "goal_edit", goal_id=goal.pk)).status_code == 404
    assert client.post(url(workspace, "goal_archive", goal_id=goal.pk)).status_code == 404
    assert client.get(url(workspace, "pillar_edit", pillar_id=pillar.pk)).status_code == 404
    assert "Secret" not in logged_in_client.get(url(workspace, "pillars")).content.decode()


def test_the_goals_list_exports_as_csv(logged_in_client, workspace):
    assert (
        'data-testid="export-csv"'
        not in logged_in_client.get(url(workspace, "goals")).content.decode()
    )
    channel = factories.make_sandbox_channel(workspace, "sandbox_instagram", "Mie Instagram")
    published(workspace, channel, timezone.now() - timedelta(days=1))
    this_month_goal(workspace, channel=channel)
    archived = this_month_goal(workspace, name="Ancien objectif", kpi="clicks", target=300)
    archived.archived = True
    archived.save()
    assert (
        'data-testid="export-csv"' in logged_in_client.get(url(workspace, "goals")).content.decode()
    )
    response = logged_in_client.get(url(workspace, "goals") + "?format=csv")
    body = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    header, active, old = list(csv.reader(io.StringIO(body)))
    assert header[:3] == ["Goal", "KPI", "Unit"] and header[-2:] == ["Status", "Archived"]
    assert active[:4] == ["12 posts ce mois-ci", "Posts published", "", "Mie Instagram"]
    assert active[7:9] == ["12", "1"] and active[-1] == "no"
    assert old[:2] == ["Ancien objectif", "Clicks on short links"] and old[-1] == "yes"
    assert old[8] == "0"  # no click yet: zero, counted
