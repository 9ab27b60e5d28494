"""The demo's traffic links: addresses in past posts (sent as short links), the
clicks their readers made, and the workspace's link-in-bio page.

Clicks are made here the way the Sandbox makes its audience's reactions: a fixed
random draw per link (so loading the demo twice gives the same figures), spread
over the days since the post went out, fewer each day, with a few link-preview
fetches that are stored as robots and never counted.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from parvis.accounts.models import User, Workspace
from parvis.links.actions import bio_link_create, clicks_store
from parvis.links.models import BioLink, ShortLink, ShortLinkKind

# Past demo posts that carry a link: the start of their text -> the address.
DEMO_POST_LINKS = {
    "Nouveau : la tarte aux pralines": "https://lamiedoree.example/tarte-pralines",
    "Recette maison": "https://lamiedoree.example/recettes/pain-de-mie",
    "Ce week-end, atelier pain": "https://lamiedoree.example/ateliers",
    "Bonjour Lyon": "https://lamiedoree.example/",
}
DEMO_BIO_LINKS = [
    ("Commander en ligne", "https://lamiedoree.example/commande"),
    ("Nos 6 boutiques à Lyon", "https://lamiedoree.example/boutiques"),
    ("Précommander la galette des rois", "https://lamiedoree.example/galettes"),
    ("Ateliers pain pour les enfants", "https://lamiedoree.example/ateliers"),
]
# Readers who click, per day, on each network's posts the day they go out.
FIRST_DAY_CLICKS = {"facebook": 30, "x": 18, "instagram": 6}
REFERRERS = {
    "facebook": ["m.facebook.com", "l.facebook.com", ""],
    "x": ["t.co", ""],
    "instagram": ["l.instagram.com", ""],
}


def demo_link_for(text: str) -> str:
    return next((url for start, url in DEMO_POST_LINKS.items() if text.startswith(start)), "")


def _clicks_for(link: ShortLink, since: datetime, now: datetime, family: str) -> list:
    draw = random.Random(f"{link.original_url}|{link.channel_id}")
    per_day = FIRST_DAY_CLICKS.get(family, 10)
    rows = []
    day = 0
    while since + timedelta(days=day) < now:
        count = max(0, round(per_day * 0.6**day * draw.uniform(0.7, 1.3)))
        for _ in range(count):
            at = since + timedelta(days=day, minutes=draw.randint(5, 23 * 60))
            if at < now:
                host = draw.choice(REFERRERS.get(family, [""]))
                rows.append((link.pk, link.workspace_id, at, host, False))
        day += 1
    rows.append((link.pk, link.workspace_id, since + timedelta(seconds=30), "", True))
    return rows


def demo_post_clicks(*, workspace: Workspace, family_of: dict[int, str]) -> int:
    """Clicks on the short links of the workspace's published posts (once)."""
    links = ShortLink.objects.in_workspace(workspace).filter(kind=ShortLinkKind.POST)
    if not links.exists() or links.filter(clicks__isnull=False).exists():
        return 0
    now = timezone.now()
    rows = []
    for link in links.select_related("post"):
        since = link.post.scheduled_at if link.post else None
        if since is not None and since < now:
            rows.extend(_clicks_for(link, since, now, family_of.get(link.channel_id, "")))
    return clicks_store(clicks=rows)


def demo_bio(*, workspace: Workspace, user: User) -> None:
    """The link-in-bio page, with two weeks of visits."""
    if BioLink.objects.in_workspace(workspace).exists():
        return
    now = timezone.now()
    rows = []
    for label, url in DEMO_BIO_LINKS:
        link = bio_link_create(workspace=workspace, label=label, url=url, acting_user=user)
        rows.extend(_clicks_for(link.short_link, now - timedelta(days=14), now, "instagram"))
    clicks_store(clicks=rows)
