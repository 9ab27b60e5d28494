"""Goals: the KPI registry, the rules, the progress (value, share, pace, status) and
its words, on data with exactly known figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from parvis.core.audit import AuditEvent
from parvis.strategy import kpis
from parvis.strategy.actions import StrategyError, campaign_create, goal_archive, goal_create
from parvis.strategy.kpis import KPIS, Direction, Pace, Scope, clicks_kpi, register
from parvis.strategy.models import Goal
from parvis.strategy.progress import Status, goal_progress
from tests import factories
from tests.inbox.test_responsiveness import conversation
from tests.strategy.builders import figures, published, remote_id_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER_1, NOVEMBER_30 = date(2026, 11, 1), date(2026, 11, 30)
HALFWAY = datetime(2026, 11, 16, tzinfo=PARIS)  # 15 of the 30 days gone by
AFTER = datetime(2026, 12, 3, tzinfo=PARIS)


def paris(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def make_goal(workspace, kpi="posts_published", target=10.0, **fields) -> Goal:
    values = {"starts_on": NOVEMBER_1, "deadline": NOVEMBER_30, "name": "Objectif", **fields}
    return goal_create(workspace=workspace, kpi=kpi, target=target, acting_user=None, **values)


@pytest.fixture
def channel(workspace):
    return factories.make_sandbox_channel(workspace, "sandbox_instagram", "Mie Instagram")


def test_the_registry_describes_each_kpi():
    expected = {
        "follower_growth",
        "followers",
        "posts_published",
        "engagement_rate",
        "first_response_minutes",
        "response_rate",
        "clicks",
    }
    assert expected <= set(KPIS)
    for kpi in KPIS.values():
        assert str(kpi.label) and str(kpi.explanation) and kpi.unit in ("%", "min", "")
        assert kpi.direction in Direction and kpi.pace in Pace and callable(kpi.measure)
    assert KPIS["first_response_minutes"].direction == Direction.AT_MOST


def test_the_clicks_kpi_is_one_registration_of_the_links_apps_count(workspace, monkeypatch):
    monkeypatch.setattr(kpis, "KPIS", dict(KPIS))
    asked = []

    def clicks_total(*, workspace, start, end, campaign_id=None, channel_id=None, post_id=None):
        asked.append((workspace, start, end, campaign_id, channel_id, post_id))
        return 1200

    register(clicks_kpi(clicks_total))
    goal = make_goal(workspace, kpi="clicks", target=2000, name="2 000 clics par mois")
    progress = goal_progress(goal, now=HALFWAY)
    assert progress.value == 1200 and progress.reached_percent == pytest.approx(60)
    assert progress.status == Status.ON_TRACK  # 60 % done, 50 % of the time gone
    ((_ws, start, end, campaign_id, channel_id, post_id),) = asked
    # The links app counts whole days, both included: the goal's first day to today.
    assert (start, end) == (date(2026, 11, 1), date(2026, 11, 15))
    assert (campaign_id, channel_id, post_id) == (None, None, None)


def test_create_checks_the_rules_and_writes_an_audit_event(workspace, user, channel):
    goal = goal_create(
        workspace=workspace,
        name="  Publier 12 posts  ",
        kpi="posts_published",
        target=12,
        starts_on=NOVEMBER_1,
        deadline=NOVEMBER_30,
        channel=channel,
        acting_user=user,
    )
    assert goal.name == "Publier 12 posts" and goal.channel == channel
    assert AuditEvent.objects.filter(verb="goal.created", actor=user).exists()
    refused = [
        ({"kpi": "inconnu"}, "kpi"),
        ({"deadline": date(2026, 10, 1)}, "deadline"),
        ({"target": -1}, "target"),
        ({"name": " "}, "name"),
        ({"channel": factories.make_sandbox_channel(factories.make_workspace("Autre"))}, "channel"),
    ]
    for change, field in refused:
        with pytest.raises(StrategyError) as error:
            make_goal(workspace, **change)
        assert error.value.field == field, change


def test_a_kpi_that_has_nothing_to_do_with_campaigns_refuses_one(workspace):
    campaign = campaign_create(
        workspace=workspace, name="Noël", starts_on=NOVEMBER_1, acting_user=None
    )
    with pytest.raises(StrategyError) as refused:
        make_goal(workspace, kpi="first_response_minutes", target=60, campaign=campaign)
    assert refused.value.field == "campaign" and "leave the campaign empty" in refused.value.message
    assert make_goal(workspace, kpi="posts_published", campaign=campaign).campaign == campaign


def test_posts_published_progress_follows_the_pace(workspace, channel):
    goal = make_goal(workspace, target=10, name="10 posts en novembre")
    for day in (2, 4, 6, 8, 10, 12):
        published(workspace, channel, paris(day))
    published(workspace, channel, paris(30, month=10))  # before the start
    other = factories.make_workspace("Autre")
    published(other, factories.make_sandbox_channel(other), paris(5))
    progress = goal_progress(goal, now=HALFWAY)
    assert progress.value == 6 and progress.reached_percent == pytest.approx(60)
    assert progress.expected_percent == pytest.approx(50)
    assert progress.status == Status.ON_TRACK
    assert "60 % of the target of 10" in progress.explanation
    assert "50 % of the time has passed" in progress.explanation
    # On the 11th, 5 were out: on pace (5 of 10 with a third of the time gone).
    assert goal_progress(goal, now=paris(11, 0)).status == Status.ON_TRACK
    assert goal_progress(goal, now=paris(20, 0)).status == Status.BEHIND  # 6 at 63 %
    assert goal_progress(goal, now=AFTER).status == Status.MISSED
    assert "passed without reaching" in goal_progress(goal, now=AFTER).explanation
    for day in (13, 14, 15, 15):
        published(workspace, channel, paris(day))
    reached = goal_progress(goal, now=HALFWAY)
    assert reached.status == Status.REACHED and reached.bar_percent == 100


def test_a_campaign_goal_counts_its_posts_only(workspace, channel):
    campaign = campaign_create(
        workspace=workspace, name="Galette", starts_on=NOVEMBER_1, acting_user=None
    )
    goal = make_goal(workspace, target=4, campaign=campaign)
    published(workspace, channel, paris(3), campaign=campaign)
    published(workspace, channel, paris(4))
    assert goal_progress(goal, now=HALFWAY).value == 1


def test_follower_growth_compares_with_the_figure_before_the_start(workspace, channel):
    figures(channel, "", paris(28, month=10), followers=900)
    figures(channel, "", paris(31, 23, month=10), followers=1000)
    figures(channel, "", paris(10), followers=1100)
    figures(channel, "", paris(20), followers=1200)  # after "now": not counted
    goal = make_goal(workspace, kpi="follower_growth", target=15, name="+15 % d'abonnés")
    progress = goal_progress(goal, now=HALFWAY)
    assert progress.value == pytest.approx(10)
    assert progress.reached_percent == pytest.approx(100 * 10 / 15)
    assert progress.status == Status.ON_TRACK and progress.value_text == "10.0 %"


def test_engagement_rate_divides_engagements_by_reach(workspace, channel):
    first = published(workspace, channel, paris(3))
    second = published(workspace, channel, paris(5))
    no_reach = published(workspace, channel, paris(6))
    figures(channel, remote_id_of(first), paris(4), reach=1000, engagements=30)
    figures(channel, remote_id_of(first), paris(9), reach=1000, engagements=50)  # the latest
    figures(channel, remote_id_of(second), paris(9), reach=500, likes=20, comments=5)
    figures(channel, remote_id_of(no_reach), paris(9), likes=400)
    goal = make_goal(workspace, kpi="engagement_rate", target=4)
    progress = goal_progress(goal, now=HALFWAY)
    assert progress.value == pytest.approx(100 * 75 / 1500)  # 5 %
    assert progress.status == Status.ON_TRACK  # a level: at the target already
    assert "keep it there" in progress.explanation


def test_no_figure_yet_is_said_as_such(workspace):
    goal = make_goal(workspace, kpi="engagement_rate", target=4)
    progress = goal_progress(goal, now=HALFWAY)
    assert progress.status == Status.NO_DATA and progress.value is None
    assert "No figure for this period yet" in progress.explanation
    upcoming = goal_progress(goal, now=paris(20, month=10))
    assert upcoming.status == Status.UPCOMING and "starts on" in upcoming.explanation


def test_first_response_time_is_at_most_a_target(workspace, channel, user):
    utc = ZoneInfo("UTC")
    conversation(
        channel,
        [
            (datetime(2026, 11, 3, 9, tzinfo=utc), "in"),
            (datetime(2026, 11, 3, 9, 30, tzinfo=utc), user),
        ],
    )
    conversation(
        channel,
        [
            (datetime(2026, 11, 4, 9, tzinfo=utc), "in"),
            (datetime(2026, 11, 4, 10, 30, tzinfo=utc), user),
        ],
    )
    conversation(channel, [(datetime(2026, 11, 5, 9, tzinfo=utc), "in")])  # not answered
    under_hour = make_goal(workspace, kpi="first_response_minutes", target=60)
    progress = goal_progress(under_hour, now=HALFWAY)
    assert progress.value == pytest.approx(60)  # the median of 30 and 90 minutes
    assert progress.status == Status.ON_TRACK and progress.value_text == "1 h 00 min"
    strict = make_goal(workspace, kpi="first_response_minutes", target=45)
    behind = goal_progress(strict, now=HALFWAY)
    assert behind.status == Status.BEHIND and behind.reached_percent == pytest.approx(75)
    assert "45 min or less" in behind.explanation
    rate = goal_progress(make_goal(workspace, kpi="response_rate", target=90), now=HALFWAY)
    assert rate.value == pytest.approx(200 / 3) and rate.status == Status.BEHIND


def test_archived_goals_leave_the_summary(workspace, user):
    goal = make_goal(workspace)
    goal_archive(goal=goal, acting_user=user)
    goal_archive(goal=goal, acting_user=user)
    assert AuditEvent.objects.filter(verb="goal.archived").count() == 1
    goal.refresh_from_db()
    assert goal.archived


def test_the_deadline_is_a_whole_day_in_the_workspaces_zone(workspace, channel):
    goal = make_goal(workspace, target=1, deadline=NOVEMBER_1)
    published(workspace, channel, paris(1, 23, 30))
    late = datetime(2026, 11, 1, 22, 45, tzinfo=ZoneInfo("UTC")) + timedelta(minutes=1)
    assert goal_progress(goal, now=late).status == Status.REACHED  # 23:46 in Paris, same day
    assert goal_progress(goal, now=paris(2, 0, 1)).status == Status.REACHED


def test_a_goal_on_a_channel_measures_that_channel(workspace, channel):
    other = factories.make_sandbox_channel(workspace, "sandbox_x", "Mie X")
    published(workspace, channel, paris(3))
    published(workspace, other, paris(3))
    goal = make_goal(workspace, channel=other)
    assert goal_progress(goal, now=HALFWAY).value == 1
    assert Scope(channel_id=other.pk) == Scope(other.pk, None)
