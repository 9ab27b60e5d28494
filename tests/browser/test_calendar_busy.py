"""A busy calendar in a real browser: busy days as counts, campaigns as filter and stripe."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import expect

from parvis.accounts.models import Workspace
from parvis.publishing.models import Post, PostStatus
from parvis.strategy.actions import campaign_create

PARIS = ZoneInfo("Europe/Paris")


def _busy_day(workspace: Workspace, day, count: int) -> list[Post]:
    return Post.objects.bulk_create(
        Post(
            workspace=workspace,
            text=f"Fournée {n}",
            scheduled_at=datetime.combine(day, time(8, n), tzinfo=PARIS),
            status=PostStatus.DRAFT if n % 3 == 0 else PostStatus.SCHEDULED,
        )
        for n in range(count)
    )


def test_a_busy_day_shows_its_counts_and_opens_its_posts(logged_in_page, demo):
    page = logged_in_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    workspace = Workspace.objects.get(slug=demo.workspace_slug)
    day = timezone.localdate(timezone=PARIS) + timedelta(days=2)
    _busy_day(workspace, day, 30)
    begins = datetime.combine(day, time(0), tzinfo=PARIS)
    total = Post.objects.filter(
        workspace=workspace, scheduled_at__gte=begins, scheduled_at__lt=begins + timedelta(days=1)
    ).count()  # the demo's own posts of that day, and the 30
    page.reload()
    summary = page.locator(f".day-summary[data-summary-day='{day.isoformat()}']")
    expect(summary).to_be_visible()
    expect(summary.locator(".summary-count")).to_have_text(f"{total} publications")
    # The page asked for the month's events while its scripts loaded (a preload)
    # and FullCalendar used that answer: one request, not two.
    requests = page.evaluate(
        "performance.getEntriesByType('resource')"
        ".filter((r) => r.name.includes('/calendar/events/')).length"
    )
    assert requests == 1
    # The 30 posts are not on the grid: the day is one summary.
    expect(
        page.locator(".fc-daygrid-event[data-post-id]").filter(has_text="Fournée")
    ).to_have_count(0)
    summary.click()
    expect(page.locator(".fc-list-event").filter(has_text="Fournée")).to_have_count(30)
    # The status filter applies to the counts too: 10 of the 30 are drafts.
    page.locator("#filter-status").select_option("draft")
    expect(page.locator(".fc-list-event").filter(has_text="Fournée")).to_have_count(10)
    assert errors == []


def test_filter_by_campaign_shows_its_posts_with_its_colour(logged_in_page, demo):
    page = logged_in_page
    workspace = Workspace.objects.get(slug=demo.workspace_slug)
    campaign = campaign_create(
        workspace=workspace,
        name="Galette",
        starts_on=timezone.localdate(),
        colour="#ff00aa",
        acting_user=None,
    )
    post = Post.objects.get(text__startswith="Portrait de producteur")
    Post.objects.filter(pk=post.pk).update(campaign=campaign)
    page.reload()
    page.locator("#filter-campaign").select_option(str(campaign.pk))
    events = page.locator(".fc-daygrid-event[data-post-id]")
    expect(events).to_have_count(1)
    expect(events.first).to_have_attribute("data-post-id", str(post.pk))
    expect(events.first).to_have_class(re.compile("has-campaign"))
    page.locator("#filter-campaign").select_option("none")
    expect(page.locator(f".fc-daygrid-event[data-post-id='{post.pk}']")).to_have_count(0)
    expect(page.locator(".fc-daygrid-event[data-post-id]").first).to_be_visible()
