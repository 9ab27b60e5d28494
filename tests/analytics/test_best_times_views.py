"""The Best times page and the queue's "Use suggested times" drawn from it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.roles import Role
from parvis.channels.models import Channel
from parvis.publishing.models import QueueSlot
from tests import factories
from tests.analytics.best_times_data import rated

pytestmark = pytest.mark.django_db


@pytest.fixture
def utc_workspace(workspace):
    """Hours read in UTC here, so the tests do not depend on the date's summer time."""
    workspace.time_zone = "UTC"
    workspace.save(update_fields=["time_zone"])
    return workspace


def monday_weeks_ago(weeks: int) -> datetime:
    today = timezone.now().astimezone(UTC).date()
    monday = today - timedelta(days=today.weekday(), weeks=weeks)
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


def history(channel: Channel, pattern: dict[tuple[int, int], float], weeks: int = 4) -> None:
    start = monday_weeks_ago(weeks + 1)
    for (day, hour), rate in pattern.items():
        for week in range(weeks):
            rated(channel, start + timedelta(weeks=week, days=day, hours=hour), rate)


def channel(workspace, name="Fournil", network="sandbox_facebook") -> Channel:
    return Channel.objects.create(workspace=workspace, network=network, external_id=name, name=name)


def page_url(workspace, **query) -> str:
    url = reverse("analytics:best_times", kwargs={"workspace": workspace.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_new_workspace_reads_that_there_is_not_enough_history_yet(
    logged_in_client, utc_workspace
):
    channel(utc_workspace)
    html = logged_in_client.get(page_url(utc_workspace)).content.decode()
    assert 'data-testid="not-enough"' in html and "Not enough history yet." in html
    assert 'data-testid="top-slots"' not in html
    assert 'data-testid="heatmap"' in html  # the empty grid, for the shape of things


def test_the_heatmap_shows_rates_in_colour_and_in_words(logged_in_client, utc_workspace):
    fournil = channel(utc_workspace)
    history(fournil, {(1, 12): 0.06, (1, 19): 0.08, (2, 18): 0.05, (4, 9): 0.02})
    rated(fournil, monday_weeks_ago(1) + timedelta(days=5, hours=7), 0.5)  # alone in its cell
    html = logged_in_client.get(page_url(utc_workspace)).content.decode()
    assert 'data-testid="not-enough"' not in html
    assert "History used: 17 posts published from" in html and "17 with figures" in html
    top = html.split('data-testid="top-slots"')[1].split("</ol>")[0]
    assert top.index("Tuesday from 19:00 to 20:00: 8.0 % over 4 posts") < top.index(
        "Tuesday from 12:00 to 13:00: 6.0 % over 4 posts"
    )
    best = 'class="bt-5" data-weekday="1" data-hour="19" data-posts="4" title="8.0 % over 4 posts"'
    assert best in html
    assert 'class="bt-1" data-weekday="4" data-hour="9"' in html
    assert '<span class="visually-hidden">8.0 % over 4 posts</span>' in html
    lonely = 'class="bt-0" data-weekday="5" data-hour="7" data-posts="1"'
    assert lonely in html and "1 post: too few for a rate" in html


def test_the_channel_and_period_filters(logged_in_client, utc_workspace):
    fournil, comptoir = channel(utc_workspace), channel(utc_workspace, "Comptoir", "sandbox_x")
    history(fournil, {(1, 12): 0.06, (2, 18): 0.05, (3, 12): 0.04})
    html = logged_in_client.get(page_url(utc_workspace, channel=comptoir.pk)).content.decode()
    assert 'data-testid="not-enough"' in html and "History used: 0 posts" in html
    assert f'<option value="{comptoir.pk}" selected>' in html
    html = logged_in_client.get(page_url(utc_workspace, channel=fournil.pk, days=90)).content
    assert b"History used: 12 posts" in html and b'<option value="90" selected>' in html
    other = channel(factories.make_workspace("Autre"), "Secret")
    html = logged_in_client.get(page_url(utc_workspace, channel=other.pk, days=7)).content
    assert b"History used: 12 posts" in html  # not its channel: every channel, 180 days


def test_the_page_speaks_french(logged_in_client, utc_workspace, user):
    user.language = "fr"
    user.save(update_fields=["language"])
    logged_in_client.cookies.load({"django_language": "fr"})
    html = logged_in_client.get(page_url(utc_workspace)).content.decode()
    assert "Meilleurs moments pour publier" in html
    assert "Pas encore assez d'historique." in html
    assert "Historique utilisé : 0 publication parue du" in html


def suggestion_url(workspace, channel, use=False) -> str:
    name = "analytics:queue_suggest" if use else "analytics:queue_suggestion"
    return reverse(name, kwargs={"workspace": workspace.slug, "channel_id": channel.pk})


def test_the_queue_page_loads_the_suggestion_from_analytics(logged_in_client, utc_workspace):
    fournil = channel(utc_workspace)
    queue_page = logged_in_client.get(
        reverse("publishing:queue_settings", kwargs={"workspace": utc_workspace.slug})
    ).content.decode()
    assert f'hx-get="{suggestion_url(utc_workspace, fournil)}"' in queue_page
    fragment = logged_in_client.get(suggestion_url(utc_workspace, fournil)).content.decode()
    assert 'data-source="default"' in fragment
    assert "Tuesday 12:30, Wednesday 18:00, Thursday 12:30" in fragment
    assert "Default times: not enough history yet (0 measured posts" in fragment


def test_use_suggested_times_takes_the_best_times_of_the_history(logged_in_client, utc_workspace):
    fournil, comptoir = channel(utc_workspace), channel(utc_workspace, "Comptoir", "sandbox_x")
    history(fournil, {(0, 8): 0.06, (0, 9): 0.07, (2, 19): 0.05, (4, 12): 0.04, (5, 9): 0.01})
    fragment = logged_in_client.get(suggestion_url(utc_workspace, fournil)).content.decode()
    assert 'data-source="channel"' in fragment
    assert "Monday 09:00, Wednesday 19:00, Friday 12:00" in fragment
    assert "own history: 20 measured posts since" in fragment
    response = logged_in_client.post(suggestion_url(utc_workspace, fournil, use=True), follow=True)
    assert "Times added to Fournil: Monday 09:00, Wednesday 19:00, Friday 12:00." in (
        response.content.decode()
    )
    added = QueueSlot.objects.filter(channel=fournil).values_list("weekday", "time")
    assert sorted(added) == [(0, time(9)), (2, time(19)), (4, time(12))]
    # A channel with no history of its own borrows the workspace's, and says so.
    fragment = logged_in_client.get(suggestion_url(utc_workspace, comptoir)).content.decode()
    assert 'data-source="workspace"' in fragment and "has only 0 of its own" in fragment


def test_with_too_little_history_the_default_times_are_added(logged_in_client, utc_workspace):
    fournil = channel(utc_workspace)
    history(fournil, {(0, 8): 0.06}, weeks=3)
    logged_in_client.post(suggestion_url(utc_workspace, fournil, use=True))
    added = QueueSlot.objects.filter(channel=fournil).values_list("weekday", "time")
    assert sorted(added) == [(1, time(12, 30)), (2, time(18)), (3, time(12, 30))]


def test_only_people_who_schedule_posts_use_suggested_times(client, utc_workspace):
    fournil = channel(utc_workspace)
    viewer = factories.make_user()
    factories.make_member(utc_workspace, Role.VIEWER, viewer)
    client.force_login(viewer)
    fragment = client.get(suggestion_url(utc_workspace, fournil)).content.decode()
    assert 'data-testid="suggest"' not in fragment and "Default times" in fragment
    assert client.get(page_url(utc_workspace)).status_code == 200
    assert client.post(suggestion_url(utc_workspace, fournil, use=True)).status_code == 403
    assert not QueueSlot.objects.exists()
    other = channel(factories.make_workspace("Autre"), "Secret")
    client.force_login(utc_workspace.memberships.get(role=Role.OWNER).user)
    assert client.post(suggestion_url(utc_workspace, other, use=True)).status_code == 404
    assert client.get(suggestion_url(utc_workspace, other)).status_code == 404


def test_the_grid_exports_as_csv_with_the_pages_filters(logged_in_client, utc_workspace):
    fournil, comptoir = channel(utc_workspace), channel(utc_workspace, "Comptoir", "sandbox_x")
    history(fournil, {(1, 19): 0.08})
    response = logged_in_client.get(page_url(utc_workspace, format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Weekday,Hour,Posts,Median engagement rate (%)"
    assert len(lines) == 1 + 7 * 24  # every weekday and hour
    assert "Tuesday,19:00,4,8" in lines
    assert "Monday,00:00,0," in lines  # no rate: empty, not 0
    html = logged_in_client.get(page_url(utc_workspace, channel=comptoir.pk)).content.decode()
    assert f"channel={comptoir.pk}&amp;format=csv" in html  # the link keeps the filter
    only = logged_in_client.get(page_url(utc_workspace, channel=comptoir.pk, format="csv"))
    lines = b"".join(only.streaming_content).decode("utf-8-sig").splitlines()
    assert "Tuesday,19:00,0," in lines  # the other channel's posts are not counted
