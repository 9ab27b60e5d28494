"""The PDF report: its content from the demo's Sandbox figures, its pages, its download."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from parvis.accounts.roles import Role
from parvis.analytics.cards import sections
from parvis.analytics.dashboards import Scope, dashboard
from parvis.analytics.models import MetricSnapshot
from parvis.analytics.reports import rendering
from parvis.analytics.reports.content import report_content
from parvis.analytics.reports.models import ReportSchedule
from parvis.analytics.reports.rendering import ReportUnavailable, report_html
from parvis.inbox.responsiveness import Period
from parvis.strategy.models import Goal
from parvis.web.demo import demo_load
from tests import factories


def _last_two_weeks(workspace) -> Period:
    today = timezone.localdate(timezone=ZoneInfo(workspace.time_zone))
    return Period(today - timedelta(days=14), today - timedelta(days=1))


def test_the_demo_report_gives_the_dashboards_figures_charts_goals_and_logo(demo):
    period = _last_two_weeks(demo)
    content = report_content(workspace=demo, period=period)
    board = dashboard(scope=Scope(demo), period=period)
    assert content.board.current == board.current and content.board.previous == board.previous
    cards = {card.definition.name: card for section in content.sections for card in section.cards}
    shown = {card.definition.name: card for section in sections(board) for card in section.cards}
    assert [s.key for s in content.sections] == [
        "awareness",
        "engagement",
        "traffic",
        "responsiveness",
    ]
    for key, card in shown.items():  # the Analytics page's figures, to the unit
        assert (cards[key].value, cards[key].previous) == (card.value, card.previous), key
    assert cards["engagements"].value > 0
    assert 0 < cards["engagement_rate_reach"].value < 1
    assert cards["follower_growth"].value > 0  # the Sandbox's audience grows every day
    # Each channel's line is that channel's dashboard; together they make the workspace's.
    assert sum(line.current.engagements or 0 for line in content.channels) == pytest.approx(
        board.current.engagements
    )
    assert content.posts == sum(line.posts for line in content.channels) > 0
    assert len(content.followers) == demo.channels.count()  # one line per channel
    assert len(content.top_posts) == 5
    ranked = [post.engagements for post in content.top_posts]
    assert ranked == sorted(ranked, reverse=True)
    assert ranked[0] == board.top_posts[0].engagements
    assert content.goals  # the demo's goals, measured at the end of the period
    assert content.logo_png.startswith(b"\x89PNG")
    html = report_html(content)
    # followers, engagements per day, engagements per channel
    assert html.count("data:image/svg+xml;base64,") == 3
    assert "data:image/png;base64," in html  # the logo on the cover
    assert "Abonnés" in html and "Meilleures publications" in html  # in French
    assert "Objectifs" in html and content.goals[0].name in html
    assert "size: A4" in html and "counter(pages)" in html


def test_the_goals_section_shows_each_goals_progress_at_the_end_of_the_period(workspace):
    today = timezone.localdate(timezone=ZoneInfo(workspace.time_zone))
    for name, starts, ends in (("Publier régulièrement", 20, -20), ("Fini", 200, 100)):
        Goal.objects.create(
            workspace=workspace,
            name=name,
            kpi="posts_published",
            target=10,
            starts_on=today - timedelta(days=starts),
            deadline=today - timedelta(days=ends),
        )
    content = report_content(workspace=workspace, period=_last_two_weeks(workspace), language="en")
    assert [goal.name for goal in content.goals] == ["Publier régulièrement"]
    goal = content.goals[0]
    assert goal.kpi == "Posts published" and goal.target_text == "10"
    assert goal.status == "behind" and goal.status_label == "Behind"
    html = report_html(content, language="en")
    assert "Goals" in html and "Publier régulièrement" in html and "Behind" in html


def test_a_period_before_anything_happened_says_so_rather_than_drawing_empty_charts(demo):
    long_ago = Period(
        demo.created_at.date() - timedelta(days=400), demo.created_at.date() - timedelta(days=390)
    )
    content = report_content(workspace=demo, period=long_ago)
    html = report_html(content, language="en")
    assert "data:image/svg+xml" not in html
    assert "No post gained engagements in this period." in html


def test_the_pdf_downloads_for_the_chosen_period(demo, demo_owner, client):
    client.force_login(demo_owner)
    period = _last_two_weeks(demo)
    response = client.get(
        reverse("analytics:report_pdf", kwargs={"workspace": demo.slug}),
        {"since": period.first.isoformat(), "until": period.last.isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"{period.first}-{period.last}.pdf" in response["Content-Disposition"]


def test_without_weasyprint_the_page_explains_what_to_install(
    demo, demo_owner, client, monkeypatch
):
    def missing(content):
        raise ReportUnavailable("PDF reports need WeasyPrint and the Pango library")

    monkeypatch.setattr("parvis.analytics.reports.views.report_pdf", missing)
    client.force_login(demo_owner)
    response = client.get(reverse("analytics:report_pdf", kwargs={"workspace": demo.slug}))
    assert response.status_code == 503
    assert "PDF reports need WeasyPrint and the Pango library" in response.content.decode()


def test_a_missing_pango_becomes_a_clear_error(monkeypatch, demo):
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    with translation.override("en"), pytest.raises(ReportUnavailable, match="apt-get install"):
        rendering.report_pdf(report_content(workspace=demo, period=_last_two_weeks(demo)))


def test_a_stranger_gets_no_report(demo, client):
    client.force_login(factories.make_user())
    url = reverse("analytics:report_pdf", kwargs={"workspace": demo.slug})
    assert client.get(url).status_code == 404


def test_a_viewer_downloads_but_does_not_see_the_schedules(demo, client):
    viewer = factories.make_member(demo, Role.VIEWER).user
    client.force_login(viewer)
    page = client.get(reverse("analytics:reports", kwargs={"workspace": demo.slug}))
    assert 'data-testid="report-download"' in page.content.decode()
    assert 'data-testid="report-schedules"' not in page.content.decode()


def test_the_demo_shows_reports_with_a_logo_history_and_a_weekly_schedule(demo, demo_owner):
    assert demo.logo
    oldest = MetricSnapshot.objects.in_workspace(demo).order_by("measured_at").first()
    assert oldest.measured_at < timezone.now() - timedelta(days=30)
    schedule = ReportSchedule.objects.get(workspace=demo)
    assert list(schedule.members.all()) == [demo_owner]
    count = MetricSnapshot.objects.in_workspace(demo).count()
    demo_load()  # again: nothing doubled
    assert MetricSnapshot.objects.in_workspace(demo).count() == count
    assert ReportSchedule.objects.filter(workspace=demo).count() == 1


def test_the_reports_page_is_reached_from_analytics(workspace, logged_in_client):
    page = logged_in_client.get(reverse("web:analytics", kwargs={"workspace": workspace.slug}))
    assert (
        reverse("analytics:reports", kwargs={"workspace": workspace.slug}) in page.content.decode()
    )


def test_a_report_can_be_written_in_another_language_than_the_workspaces(demo):
    content = report_content(workspace=demo, period=_last_two_weeks(demo))
    html = report_html(content, language="en")
    assert '<html lang="en">' in html and "Top posts" in html and "Followers" in html


def test_printing_a_pdf_leaves_pillow_refusing_truncated_uploads(workspace):
    """WeasyPrint's import switches Pillow to accept truncated images process-wide."""
    import io

    from PIL import Image, ImageFile

    from parvis.accounts.logos import LogoRejected, logo_normalise

    period = _last_two_weeks(workspace)
    assert rendering.report_pdf(report_content(workspace=workspace, period=period))[:5] == b"%PDF-"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    out = io.BytesIO()
    Image.effect_noise((300, 300), 60).save(out, "PNG")
    half = out.getvalue()[: len(out.getvalue()) // 2]
    with pytest.raises(LogoRejected, match="damaged or incomplete"):
        logo_normalise(io.BytesIO(half), size=len(half))
