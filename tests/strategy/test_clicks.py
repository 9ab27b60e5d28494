"""Short-link clicks in strategy: the clicks KPI (whole days in the workspace's time
zone, both included) and a campaign's links with their clicks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from parvis.strategy.actions import campaign_create, goal_create
from parvis.strategy.kpis import KPIS, Scope, click_days
from parvis.strategy.progress import goal_progress
from parvis.strategy.results import campaign_links, campaign_results
from tests import factories
from tests.links.helpers import click, post_link
from tests.strategy.builders import published

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def paris(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def channel(workspace):
    return factories.make_sandbox_channel(workspace, "sandbox_instagram", "Mie Instagram")


def test_a_period_of_midnights_is_its_days_both_included(workspace):
    assert click_days(workspace, paris(1, 0), paris(16, 0)) == (
        date(2026, 11, 1),
        date(2026, 11, 15),
    )
    # Up to now, in the middle of a day: that day counts.
    assert click_days(workspace, paris(1, 0), paris(16, 9)) == (
        date(2026, 11, 1),
        date(2026, 11, 16),
    )
    # Days are the workspace's: 23:30 UTC on the 15th is already the 16th in Paris.
    late = datetime(2026, 11, 15, 23, 30, tzinfo=UTC)
    assert click_days(workspace, late, paris(17, 0)) == (date(2026, 11, 16), date(2026, 11, 16))


def test_the_clicks_kpi_counts_people_inside_the_goals_days(workspace, channel):
    post = published(workspace, channel, paris(1, 8))
    link = post_link(workspace, post=post, channel=channel)
    click(link, paris(31, 23, 59, month=10))  # the evening before the start: out
    click(link, paris(1, 0, 0), times=2)  # the first moment: in
    click(link, paris(30, 23, 59), times=3)  # the deadline's last minute: in
    click(link, paris(1, 0, 0, month=12))  # the day after the deadline: out
    click(link, paris(10), times=5, bot=True)  # link previews: never
    goal = goal_create(
        workspace=workspace,
        name="Clics de novembre",
        kpi="clicks",
        target=10,
        starts_on=date(2026, 11, 1),
        deadline=date(2026, 11, 30),
        acting_user=None,
    )
    assert goal_progress(goal, now=paris(3, 0, month=12)).value == 5
    assert goal_progress(goal, now=paris(15)).value == 2  # measured up to now
    measure = KPIS["clicks"].measure
    assert measure(workspace, paris(1, 0), paris(1, 0, month=12), Scope()) == 5
    other = factories.make_sandbox_channel(workspace, "sandbox_x", "Mie X")
    assert measure(workspace, paris(1, 0), paris(1, 0, month=12), Scope(channel_id=other.pk)) == 0


def test_a_campaign_lists_its_short_links_with_their_clicks(workspace, channel):
    campaign = campaign_create(
        workspace=workspace, name="Galettes", starts_on=date(2026, 11, 1), acting_user=None
    )
    post = published(workspace, channel, paris(2), campaign=campaign)
    galettes = post_link(workspace, post=post, channel=channel)
    recette = post_link(workspace, post=post, channel=channel, url="https://lamiedoree.fr/recette")
    outside = post_link(workspace, post=published(workspace, channel, paris(3)), channel=channel)
    click(galettes, paris(2, 13), times=2)
    click(recette, paris(2, 14), times=4)
    click(recette, paris(2, 14), bot=True)
    click(outside, paris(3, 13), times=7)
    found = campaign_links(workspace=workspace, campaign=campaign)
    assert found.clicks == 6
    assert [(link.target_url, link.clicks) for link in found.links] == [
        ("https://lamiedoree.fr/recette", 4),
        ("https://lamiedoree.fr/galettes", 2),
    ]
    assert found.links[0].short_url == recette.short_url
    assert campaign_results(workspace=workspace, campaign=campaign).links == found


def test_the_campaign_page_shows_its_links(logged_in_client, workspace, channel):
    campaign = campaign_create(
        workspace=workspace, name="Galettes", starts_on=date(2026, 11, 1), acting_user=None
    )
    link = post_link(
        workspace, post=published(workspace, channel, paris(2), campaign=campaign), channel=channel
    )
    click(link, paris(2, 13), times=3)
    page = logged_in_client.get(f"/w/{workspace.slug}/campaigns/{campaign.pk}/").content.decode()
    assert link.short_url in page and "3 clicks on the campaign" in page
