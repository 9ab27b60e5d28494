"""The dashboards' figures: formulas, the previous period, scoping, top posts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parvis.analytics.dashboards import Scope, Totals, dashboard
from parvis.inbox.responsiveness import Figures, Period
from parvis.strategy.models import Campaign
from tests import factories
from tests.analytics.helpers import at, measure, published, today

pytestmark = pytest.mark.django_db


def last_days(days: int) -> Period:
    return Period(today() - timedelta(days=days - 1), today())


def test_the_standard_rates_follow_their_definitions():
    totals = Totals(
        views=1500,
        reach=1000,
        engagements=50,
        clicks=30,
        followers=2200,
        followers_before=2000,
        response=Figures(needing=10, answered=8, median_seconds=1800),
    )
    assert totals.engagement_rate_reach == 0.05
    assert totals.engagement_rate_followers == 50 / 2200
    assert totals.views_per_reach == 1.5
    assert totals.follower_growth == 200 and totals.follower_growth_rate == 0.1
    assert totals.click_through_rate == 0.02
    assert totals.response_rate == 0.8 and totals.response_time == 1800


def test_rates_with_nothing_to_divide_by_are_unknown_not_zero():
    totals = Totals()
    assert Totals(views=0, clicks=0).click_through_rate is None
    assert totals.engagement_rate_reach is None
    assert totals.follower_growth is None and totals.follower_growth_rate is None
    assert totals.click_through_rate is None


@pytest.fixture
def two_channels(workspace):
    page = factories.make_sandbox_channel(workspace, "sandbox_facebook", "Page")
    x = factories.make_sandbox_channel(workspace, "sandbox_x", "X")
    spring = Campaign.objects.create(workspace=workspace, name="Printemps", starts_on=today())
    old = published(workspace, page, "p-old", text="Ancien")
    new = published(workspace, page, "p-new", text="Nouveau", campaign=spring)
    tweet = published(workspace, x, "x-1", text="Tweet")
    # Previous week (days 13..7 ago) and this week (6..0 ago).
    measure(page, at(13), followers=1000, posts={"p-old": {"engagements": 40, "reach": 400}})
    measure(page, at(7), followers=1100, posts={"p-old": {"engagements": 60, "reach": 600}})
    measure(x, at(7), followers=300, posts={"x-1": {"likes": 5, "views": 100, "reach": 80}})
    measure(
        page,
        at(3),
        followers=1200,
        posts={
            "p-old": {"engagements": 70, "reach": 700, "views": 900, "clicks": 9},
            "p-new": {"engagements": 30, "reach": 300, "views": 500, "clicks": 11},
        },
    )
    measure(x, at(1), followers=330, posts={"x-1": {"likes": 9, "views": 200, "reach": 150}})
    return {"page": page, "x": x, "spring": spring, "old": old, "new": new, "tweet": tweet}


def test_the_workspace_period_and_the_one_before(workspace, two_channels):
    board = dashboard(scope=Scope(workspace), period=last_days(7))
    now, before = board.current, board.previous
    week_before = Period(today() - timedelta(days=13), today() - timedelta(days=7))
    assert board.previous_period == week_before
    # This week: p-old +10, p-new +30, x-1 +4 (likes: engagements derived for X).
    assert now.engagements == 10 + 30 + 4
    assert now.reach == 100 + 300 + 70
    assert now.views == 900 + 500 + 100  # first views measured this week count whole
    assert now.clicks == 20 and now.click_through_rate == 20 / 1500
    assert now.followers == 1200 + 330 and now.followers_before == 1100 + 300
    assert now.follower_growth_rate == 130 / 1400
    # The week before: p-old 60 (first measured then), x-1 5.
    assert before.engagements == 60 + 5
    assert before.followers == 1400 and before.followers_before is None
    assert board.series.values["engagements"][-4] == 40  # three days ago: p-old + p-new
    followers = board.series.values["followers"]
    assert followers[0] == 1400 and followers[-1] == 1530
    assert [p.text for p in board.top_posts] == ["Nouveau", "Ancien", "Tweet"]
    assert board.measured


def test_one_channel_one_campaign_one_post(workspace, two_channels):
    page, spring = two_channels["page"], two_channels["spring"]
    channel = dashboard(scope=Scope(workspace, channel_id=page.pk), period=last_days(7)).current
    assert channel.engagements == 40 and channel.followers == 1200
    campaign = dashboard(scope=Scope(workspace, campaign_id=spring.pk), period=last_days(7))
    assert campaign.current.engagements == 30 and campaign.current.reach == 300
    assert campaign.current.followers == 1200  # the campaign's channels' followers
    assert campaign.current.response is None  # conversations are not counted per campaign
    assert [p.text for p in campaign.top_posts] == ["Nouveau"]
    post = dashboard(scope=Scope(workspace, post_id=two_channels["tweet"].pk), period=last_days(7))
    assert post.current.engagements == 4 and post.current.views == 100
    assert post.channel_ids == (two_channels["x"].pk,)


def test_figures_of_another_workspace_never_show(workspace, two_channels, user):
    other = factories.make_workspace("Autre", owner=user)
    board = dashboard(scope=Scope(other), period=last_days(7))
    assert board.current.engagements is None and board.current.followers is None
    assert board.top_posts == () and not board.measured
    foreign = dashboard(scope=Scope(other, post_id=two_channels["new"].pk), period=last_days(7))
    assert foreign.current.engagements is None and not foreign.measured


def test_a_campaign_without_published_posts_has_no_figures(workspace, two_channels):
    empty = Campaign.objects.create(workspace=workspace, name="Vide", starts_on=today())
    board = dashboard(scope=Scope(workspace, campaign_id=empty.pk), period=last_days(7))
    assert board.current.engagements is None and board.top_posts == () and not board.measured
