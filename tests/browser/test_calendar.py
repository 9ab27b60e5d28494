"""Moving a post by dragging it on the calendar, in a real browser."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import expect

from parvis.publishing.models import Post

PARIS = ZoneInfo("Europe/Paris")


def test_dragging_a_post_to_another_day_moves_it(logged_in_page):
    page = logged_in_page
    post = Post.objects.get(text__startswith="Portrait de producteur")  # in 5 days, 09:00
    when = timezone.localtime(post.scheduled_at, PARIS)
    target = when.date() - timedelta(days=1)  # in 4 days: in the grid, and to come
    event = page.locator(f".fc-daygrid-event[data-post-id='{post.pk}']")
    expect(event).to_be_visible()
    # Published posts stay put: FullCalendar does not make them draggable.
    published = page.locator(".fc-daygrid-event[data-status='published']")
    expect(published.first).to_be_visible()
    expect(published.first).not_to_have_class("fc-event-draggable")
    expect(event).to_have_class(re.compile("fc-event-draggable"))

    cell = page.locator(f"td.fc-daygrid-day[data-date='{target.isoformat()}']")
    source, box = event.bounding_box(), cell.bounding_box()
    page.mouse.move(source["x"] + 10, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=12)
    page.mouse.up()

    message = page.get_by_test_id("calendar-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("Déplacé au")  # the demo manager reads French
    post.refresh_from_db()
    moved = timezone.localtime(post.scheduled_at, PARIS)
    assert (moved.date(), moved.time()) == (target, when.time())
    due = [d.next_attempt_at for d in post.deliveries.all()]
    assert len(due) == 2 and set(due) == {post.scheduled_at}  # Facebook and Instagram
    page.reload()  # the page asks the server again: the post is on its new day
    expect(cell.locator(f"[data-post-id='{post.pk}']")).to_be_visible()
