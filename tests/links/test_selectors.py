"""The click selectors other parts read: workspace-scoped, local days, robots left out."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from parvis.links import selectors
from parvis.publishing.models import Post
from parvis.strategy.actions import campaign_create
from tests import factories
from tests.links.helpers import click, post_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(workspace):
    campaign = campaign_create(
        workspace=workspace, name="Rois", starts_on=date(2027, 1, 1), acting_user=None
    )
    x = factories.make_sandbox_channel(workspace, "sandbox_x")
    facebook = factories.make_sandbox_channel(workspace, "sandbox_facebook")
    post = Post.objects.create(workspace=workspace, text="Galettes", campaign=campaign)
    other = Post.objects.create(workspace=workspace, text="Pain")
    on_x, on_facebook = (
        post_link(workspace, post=post, channel=x),
        post_link(workspace, post=post, channel=facebook),
    )
    bread = post_link(workspace, post=other, channel=x, url="https://lamiedoree.fr/pain")
    # 23:30 UTC on 5 January is 00:30 on 6 January in Paris.
    click(on_x, datetime(2027, 1, 5, 23, 30, tzinfo=UTC), times=3)
    click(on_x, datetime(2027, 1, 5, 12, 0, tzinfo=UTC), times=2)
    click(on_x, datetime(2027, 1, 5, 12, 0, tzinfo=UTC), times=7, bot=True)
    click(on_facebook, datetime(2027, 1, 7, 9, 0, tzinfo=UTC), times=4)
    click(bread, datetime(2027, 1, 6, 9, 0, tzinfo=UTC), times=1)
    return {"campaign": campaign, "x": x, "facebook": facebook, "post": post, "other": other}


def test_totals_by_campaign_channel_and_post_leave_robots_out(workspace, setup):
    period = {"workspace": workspace, "start": date(2027, 1, 1), "end": date(2027, 1, 31)}
    assert selectors.clicks_total(**period) == 10
    assert selectors.clicks_total(**period, campaign_id=setup["campaign"].pk) == 9
    assert selectors.clicks_total(**period, channel_id=setup["x"].pk) == 6
    assert selectors.clicks_total(**period, post_id=setup["other"].pk) == 1


def test_days_are_the_workspace_days(workspace, setup):
    by_day = selectors.clicks_by_day(
        workspace=workspace, start=date(2027, 1, 5), end=date(2027, 1, 7)
    )
    assert by_day == {date(2027, 1, 5): 2, date(2027, 1, 6): 4, date(2027, 1, 7): 4}
    one_day = {"workspace": workspace, "start": date(2027, 1, 6), "end": date(2027, 1, 6)}
    assert selectors.clicks_total(**one_day) == 4


def test_per_post_and_per_channel_name_every_id(workspace, setup):
    post, other = setup["post"], setup["other"]
    assert selectors.clicks_per_post(workspace=workspace, post_ids=[post.pk, other.pk, 999]) == {
        post.pk: 9,
        other.pk: 1,
        999: 0,
    }
    per_channel = selectors.clicks_per_channel(
        workspace=workspace,
        channel_ids=[setup["x"].pk, setup["facebook"].pk],
        start=date(2027, 1, 6),
    )
    assert per_channel == {setup["x"].pk: 4, setup["facebook"].pk: 4}


def test_another_workspace_sees_none_of_these_clicks(workspace, setup):
    elsewhere = factories.make_workspace("Ailleurs")
    assert selectors.clicks_total(workspace=elsewhere, start=None, end=None) == 0
    assert selectors.clicks_per_post(workspace=elsewhere, post_ids=[setup["post"].pk]) == {
        setup["post"].pk: 0
    }
