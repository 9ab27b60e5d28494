"""The demo's posting history: four months of published posts with their Sandbox figures,
so the Best times heatmap and the queue's suggestion have something true to read.

The posts are older than the figures' collector looks (30 days), so their figures are
measured once here, three days after each post, from the Sandbox audience's plan (which
reacts more at lunch and in the evening, in Paris). Their reactions are not written:
months-old comments would flood the demo's inbox.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from parvis.accounts.models import User, Workspace
from parvis.analytics.actions import collections_ensure
from parvis.analytics.collecting import snapshots_store
from parvis.analytics.models import MetricsCollection
from parvis.networks import registry
from parvis.publishing.models import Delivery, Post

WEEKS = 16
NEWEST = timedelta(days=35)  # older than the collector's 30 days
MEASURED_AFTER = timedelta(days=3)
# The brand's habits: (weekday, hour, minute, networks: f = Facebook, i = Instagram, x = X).
HABITS = (
    (0, 8, 0, "fi"),
    (1, 12, 30, "fix"),
    (2, 19, 0, "fix"),
    (3, 12, 15, "fi"),
    (4, 17, 30, "fx"),
    (5, 10, 0, "fi"),
    (6, 20, 0, "fi"),
    (1, 9, 0, "fx"),
    (3, 21, 0, "fx"),
)
PER_WEEK = 5
TEXTS = (
    "Le pain du jour : seigle et noix, croûte épaisse. 🥖",
    "Nos croissants pur beurre sortent du four toutes les heures jusqu'à 11 h.",
    "Coulisses : le levain a 12 ans et on le nourrit deux fois par jour.",
    "La quiche du midi : poireaux, chèvre frais et noisettes.",
    "Atelier du samedi : apprenez à façonner une baguette avec Julie.",
    "Nouveau flan pâtissier à la vanille de Madagascar, cuit à l'ancienne.",
    "Les brioches de la Croix-Rousse, à partager (ou pas) ce week-end.",
    "Merci aux producteurs du moulin Giraud pour leur farine Label Rouge.",
    "Quelle tartine pour votre goûter ? Dites-le-nous en commentaire 👇",
    "Tarte aux pralines roses : la spécialité lyonnaise revient en boutique.",
    "Pain de campagne au petit épeautre, à découvrir cette semaine.",
    "Le saviez-vous ? Une baguette tradition ne contient que 4 ingrédients.",
)
_NETWORKS = {"f": "sandbox_facebook", "i": "sandbox_instagram", "x": "sandbox_x"}


def demo_posting_history(workspace: Workspace, user: User) -> int:
    """Write the history once (idempotent); return how many posts were written."""
    now = timezone.now()
    oldest = now - NEWEST - timedelta(weeks=WEEKS + 1)
    history = Delivery.objects.in_workspace(workspace).filter(
        state="published", published_at__gte=oldest, published_at__lt=now - NEWEST
    )
    if history.exists():
        return 0
    channels = {c.network: c for c in workspace.channels.all()}
    zone = ZoneInfo(workspace.time_zone)
    newest_day = timezone.localdate(now, timezone=zone) - NEWEST
    monday = newest_day - timedelta(days=newest_day.weekday(), weeks=WEEKS)
    written: dict[int, list[tuple[str, datetime]]] = {}  # channel id -> (remote id, when)
    count = 0
    for week in range(WEEKS):
        for turn in range(PER_WEEK):
            weekday, hour, minute, letters = HABITS[(week * PER_WEEK + turn) % len(HABITS)]
            day = monday + timedelta(weeks=week, days=weekday)
            moment = datetime.combine(day, time(hour, minute), tzinfo=zone)
            chosen = [channels[_NETWORKS[x]] for x in letters if _NETWORKS[x] in channels]
            if not chosen:
                continue
            text = TEXTS[(week * PER_WEEK + turn) % len(TEXTS)]
            post = Post.objects.create(
                workspace=workspace, text=text, scheduled_at=moment, created_by=user
            )
            post.channels.set(chosen)
            for channel in chosen:
                result = registry.get(channel.network).ensure_post(
                    external_id=channel.external_id, text=text, published_at=moment
                )
                Delivery.objects.create(
                    workspace=workspace,
                    post=post,
                    channel=channel,
                    state="published",
                    remote_id=result.remote_id,
                    url=result.url,
                    published_at=result.published_at,
                )
                written.setdefault(channel.pk, []).append((result.remote_id, moment))
            post.summarise_deliveries()
            count += 1
    _measure(written, channels.values())
    return count


def _measure(written: dict[int, list[tuple[str, datetime]]], channels) -> None:
    """Each post's figures as the collector would have stored them a few days after it."""
    collections_ensure()
    for channel in channels:
        collection = MetricsCollection.objects.get(channel=channel)
        network = registry.get(channel.network)
        samples = []
        for remote_id, moment in written.get(channel.pk, []):
            samples += network.history_metrics(
                external_id=channel.external_id, remote_ids=[remote_id], at=moment + MEASURED_AFTER
            )
        snapshots_store(collection=collection, samples=samples)
