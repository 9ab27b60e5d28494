"""The Analytics pages: cards with their comparison, charts with tables, empty states."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from parvis.strategy.models import Campaign, Pillar
from tests import factories
from tests.analytics.helpers import at, measure, published, today

pytestmark = pytest.mark.django_db


def page(client, workspace, name="web:analytics", query="", **kwargs):
    url = reverse(name, kwargs={"workspace": workspace.slug, **kwargs})
    response = client.get(url + query)
    assert response.status_code == 200
    return response.content.decode()


def card(html: str, name: str) -> str:
    found = re.search(rf'data-testid="card-{name}".*?</div></div></div>', html, re.S)
    assert found, f"no card {name}"
    return found.group(0)


@pytest.fixture
def measured(workspace):
    channel = factories.make_sandbox_channel(workspace, "sandbox_facebook", "Page de test")
    post = published(workspace, channel, "p1", text="Croissants tout chauds")
    measure(channel, at(10), followers=1000, posts={"p1": {"engagements": 40, "reach": 800}})
    measure(channel, at(2), followers=1100, posts={"p1": {"engagements": 100, "reach": 2000}})
    return channel, post


def test_a_workspace_without_channels_is_told_to_connect_one(logged_in_client, workspace):
    html = page(logged_in_client, workspace)
    assert 'data-testid="empty-no-channel"' in html and "connect a channel" in html
    assert reverse("channels:list", kwargs={"workspace": workspace.slug}) in html


def test_channels_not_measured_yet_say_to_wait_for_the_first_collection(
    logged_in_client, workspace
):
    factories.make_sandbox_channel(workspace, "sandbox_x", "X")
    html = page(logged_in_client, workspace)
    assert 'data-testid="empty-not-measured"' in html and "first collection" in html


def test_the_overview_compares_with_the_previous_period_and_explains(
    logged_in_client, workspace, measured
):
    html = page(logged_in_client, workspace, query="?range=7")
    engagements = card(html, "engagements")
    assert ">60<" in engagements  # 100 - 40 this week
    assert "+20 (+50.0\u00a0%)" in engagements  # 40 the week before (first measured then)
    assert "(previous period: 40)" in engagements
    rate = card(html, "engagement_rate_reach")
    assert "5.0%" in rate  # 60 / 1200
    assert "Engagements divided by reach" in rate  # each figure explained where shown
    growth = card(html, "follower_growth")
    assert ">100<" in growth
    assert 'data-testid="card-response_rate"' in html  # from the inbox's figures
    # No network here counts clicks: unknown, not zero.
    assert '"value">\u2013<' in card(html, "clicks")
    assert '"value">\u2013<' in card(html, "click_through_rate")
    assert 'data-testid="top-posts"' in html and "Croissants tout chauds" in html
    # Charts carry their figures as JSON and as a table.
    assert 'id="chart-engagements" type="application/json"' in html
    assert 'data-testid="chart-table-chart-engagements"' in html
    without = page(logged_in_client, workspace, query="?range=7&compare=0")
    assert 'data-testid="delta"' not in without


def test_the_ranges_and_a_wrong_custom_range(logged_in_client, workspace, measured):
    first = today().replace(day=1)
    html = page(logged_in_client, workspace, query="?range=this_month")
    assert f'value="{first.isoformat()}"' in html
    html = page(logged_in_client, workspace, query="?range=custom&first=2026-02-30&last=x")
    assert 'data-testid="range-problem"' in html and "Give both dates" in html
    html = page(logged_in_client, workspace, query="?range=custom&first=2020-01-01&last=2026-01-01")
    assert "at most a year" in html


def test_channel_post_and_campaign_pages(logged_in_client, workspace, measured):
    channel, post = measured
    spring = Campaign.objects.create(workspace=workspace, name="Printemps", starts_on=today())
    post.campaign = spring
    post.save(update_fields=["campaign"])
    html = page(
        logged_in_client, workspace, "web:analytics_channel", "?range=7", channel_id=channel.pk
    )
    assert "Page de test" in html and ">60<" in card(html, "engagements")
    html = page(logged_in_client, workspace, "web:analytics_post", post_id=post.pk)
    assert "Croissants tout chauds" in html and 'data-testid="card-response_rate"' not in html
    html = page(
        logged_in_client, workspace, "web:analytics_campaign", "?range=7", campaign_id=spring.pk
    )
    assert "Printemps" in html and ">60<" in card(html, "engagements")
    # Reached from the post's page and the campaign's page.
    post_page = logged_in_client.get(post.get_absolute_url()).content.decode()
    assert (
        reverse("web:analytics_post", kwargs={"workspace": workspace.slug, "post_id": post.pk})
        in post_page
    )
    campaign_page = page(logged_in_client, workspace, "strategy:campaign", campaign_id=spring.pk)
    assert 'data-testid="campaign-dashboard"' in campaign_page


def test_another_workspaces_channel_post_or_campaign_is_not_found(
    logged_in_client, workspace, measured, user
):
    channel, post = measured
    other = factories.make_workspace("Autre", owner=user)
    for name, kwargs in (
        ("web:analytics_channel", {"channel_id": channel.pk}),
        ("web:analytics_post", {"post_id": post.pk}),
        (
            "web:analytics_pillar",
            {"pillar_id": Pillar.objects.create(workspace=workspace, name="Équipe").pk},
        ),
    ):
        url = reverse(name, kwargs={"workspace": other.slug, **kwargs})
        assert logged_in_client.get(url).status_code == 404


def test_a_pillars_page_counts_only_its_posts_and_is_linked_from_the_pillars(
    logged_in_client, workspace, measured
):
    _channel, post = measured
    know_how = Pillar.objects.create(workspace=workspace, name="Savoir-faire", target_share=40)
    offers = Pillar.objects.create(workspace=workspace, name="Offres", target_share=20)
    post.pillar = know_how
    post.save(update_fields=["pillar"])
    html = page(
        logged_in_client, workspace, "web:analytics_pillar", "?range=7", pillar_id=know_how.pk
    )
    assert "Pillar: Savoir-faire" in html and ">60<" in card(html, "engagements")
    assert 'data-testid="card-response_rate"' not in html  # responsiveness is not per post
    assert "Croissants tout chauds" in html  # its top post
    empty = page(
        logged_in_client, workspace, "web:analytics_pillar", "?range=7", pillar_id=offers.pk
    )
    assert "Croissants tout chauds" not in empty
    assert 'data-testid="empty-not-measured"' in empty
    pillars = page(logged_in_client, workspace, "strategy:pillars")
    for pillar in (know_how, offers):
        url = reverse(
            "web:analytics_pillar", kwargs={"workspace": workspace.slug, "pillar_id": pillar.pk}
        )
        assert url in pillars


def csv_lines_of(response) -> list[str]:
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def test_the_daily_figures_and_top_posts_export_as_csv(logged_in_client, workspace, measured):
    url = reverse("web:analytics", kwargs={"workspace": workspace.slug})
    html = page(logged_in_client, workspace, query="?range=7")
    assert "range=7&amp;format=csv&amp;table=daily" in html
    assert "range=7&amp;format=csv&amp;table=top_posts" in html
    daily = csv_lines_of(logged_in_client.get(url + "?range=7&format=csv&table=daily"))
    assert daily[0].startswith("Day,Engagements,Reach,Views,Followers")
    assert len(daily) == 1 + 7
    rows = [line.split(",") for line in daily[1:]]
    assert sum(float(row[1]) for row in rows) == 60  # the engagements card's figure
    assert rows[-1][4] == "1100"  # followers at the end of the last day
    top = csv_lines_of(logged_in_client.get(url + "?range=7&format=csv&table=top_posts"))
    assert top[0] == "Post,Channel,Engagements,Reach,Views,Engagement rate by reach"
    assert (
        top[1].startswith("Croissants tout chauds,Page de test · ") and ",60,1200,0,0.05" in top[1]
    )
