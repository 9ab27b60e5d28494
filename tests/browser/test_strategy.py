"""Goals on the workspace's home and the content mix above the calendar, in a real browser."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import expect

from parvis.publishing.models import Post
from parvis.strategy.models import Pillar

PARIS = ZoneInfo("Europe/Paris")


def _month_total(first_day) -> int:
    following = first_day.replace(
        year=first_day.year + first_day.month // 12, month=first_day.month % 12 + 1
    )
    start, end = (datetime.combine(day, time.min, tzinfo=PARIS) for day in (first_day, following))
    return Post.objects.filter(scheduled_at__gte=start, scheduled_at__lt=end).count()


def test_the_calendar_shows_the_goals_and_follows_the_mix_as_it_moves(logged_in_page):
    page = logged_in_page
    summary = page.get_by_test_id("goals-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_test_id("goal")).to_have_count(4)
    expect(summary).to_contain_text("12 posts publiés en 4 semaines")

    this_month = timezone.localdate(timezone=PARIS).replace(day=1)
    mix = page.get_by_test_id("pillar-mix")
    expect(mix).to_have_attribute("data-total", str(_month_total(this_month)))
    for pillar in Pillar.objects.all():
        expect(mix).to_contain_text(pillar.name)
    # Each pillar's target next to its share (the demo's manager reads French).
    expect(mix).to_contain_text(f"/ cible {Pillar.objects.get(name='Savoir-faire').target_share} %")

    page.locator(".fc-next-button").click()
    following = this_month.replace(
        year=this_month.year + this_month.month // 12, month=this_month.month % 12 + 1
    )
    expect(page.get_by_test_id("pillar-mix")).to_have_attribute(
        "data-total", str(_month_total(following))
    )

    page.locator(".fc-today-button").click()
    know_how = Pillar.objects.get(name="Savoir-faire")
    page.locator("#filter-pillar").select_option(str(know_how.pk))
    ids = {str(pk) for pk in know_how.posts.values_list("pk", flat=True)}
    events = page.locator(".fc-daygrid-event[data-post-id]")
    expect(events.first).to_be_visible()
    page.wait_for_timeout(300)
    shown = set(events.evaluate_all("(nodes) => nodes.map((n) => n.dataset.postId)"))
    assert shown and shown <= ids
    # The mix stays the period's whole mix: the pillar filter does not narrow it.
    expect(page.get_by_test_id("pillar-mix")).to_have_attribute(
        "data-total", str(_month_total(this_month))
    )
