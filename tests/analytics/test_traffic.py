"""The dashboards' short-link clicks: read from the links app, per day in the
workspace's time zone, limited to the scope, with their click-through rate."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse

from parvis.analytics.cards import sections
from parvis.analytics.dashboards import Scope, Totals, dashboard
from parvis.inbox.responsiveness import Period
from tests import factories
from tests.analytics.helpers import PARIS, at, today
from tests.analytics.test_dashboards import two_channels  # noqa: F401 (fixture)
from tests.links.helpers import click, post_link

pytestmark = pytest.mark.django_db


def last_week() -> Period:
    return Period(today() - timedelta(days=6), today())


@pytest.fixture
def clicked(workspace, two_channels):  # noqa: F811
    page, x = two_channels["page"], two_channels["x"]
    old = post_link(workspace, post=two_channels["old"], channel=page)
    new = post_link(workspace, post=two_channels["new"], channel=page)
    tweet = post_link(workspace, post=two_channels["tweet"], channel=x)
    click(old, at(2), times=3)
    click(new, at(1), times=4)
    click(new, at(1), times=2, bot=True)  # link previews: never counted
    click(tweet, at(9), times=5)  # the week before
    first_day = datetime.combine(today() - timedelta(days=6), time.min, tzinfo=PARIS)
    click(old, first_day)  # the period's first moment: in
    click(old, first_day - timedelta(minutes=1))  # the minute before: the week before
    return two_channels


def test_the_workspace_counts_its_short_link_clicks_per_day(workspace, clicked):
    board = dashboard(scope=Scope(workspace), period=last_week())
    assert board.current.short_link_clicks == 3 + 4 + 1
    assert board.previous.short_link_clicks == 5 + 1
    assert board.current.short_link_click_through_rate == 8 / board.current.views
    series = board.series.values["short_link_clicks"]
    assert len(series) == 7 and series[0] == 1 and series[-3] == 3 and series[-2] == 4
    traffic = next(section for section in sections(board) if section.key == "traffic")
    figures = {card.definition.name: card.value for card in traffic.cards}
    assert figures["short_link_clicks"] == 8
    assert figures["short_link_click_through_rate"] == 8 / 1500


def test_the_scope_limits_the_clicks(workspace, clicked):
    def counted(**scope) -> tuple[int | None, int | None]:
        board = dashboard(scope=Scope(workspace, **scope), period=last_week())
        return board.current.short_link_clicks, board.previous.short_link_clicks

    assert counted(channel_id=clicked["page"].pk) == (8, 1)
    assert counted(channel_id=clicked["x"].pk) == (0, 5)
    assert counted(campaign_id=clicked["spring"].pk) == (4, 0)
    assert counted(post_id=clicked["tweet"].pk) == (0, 5)
    other = factories.make_workspace("Autre", owner=workspace.memberships.first().user)
    assert dashboard(scope=Scope(other), period=last_week()).current.short_link_clicks == 0


def test_no_views_no_short_link_click_through_rate():
    assert Totals(short_link_clicks=4).short_link_click_through_rate is None
    assert Totals(short_link_clicks=4, views=200).short_link_click_through_rate == 0.02


def test_the_traffic_cards_show_short_link_clicks(logged_in_client, workspace, clicked):
    url = reverse("web:analytics", kwargs={"workspace": workspace.slug}) + "?range=7"
    html = logged_in_client.get(url).content.decode()
    assert 'data-testid="card-short_link_clicks"' in html
    assert 'data-testid="card-short_link_click_through_rate"' in html
    assert "Short-link click-through rate" in html
    assert 'id="chart-short_link_clicks"' in html
