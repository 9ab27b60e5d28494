"""The demo workspace's strategy: content pillars shared among its posts, a campaign,
and goals measured on its Sandbox activity (posts, figures, inbox)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from parvis.accounts.models import User, Workspace
from parvis.analytics.actions import collections_ensure
from parvis.analytics.collecting import snapshots_store
from parvis.analytics.models import MetricsCollection, MetricSnapshot
from parvis.networks import registry
from parvis.publishing.models import Post
from parvis.publishing.selectors import published_remote_ids
from parvis.strategy.actions import campaign_create, goal_create, pillar_create
from parvis.strategy.models import Campaign, Goal, Pillar

# (name, colour, target %, description, words of the posts that belong to it)
DEMO_PILLARS = (
    (
        "Savoir-faire",
        "#b5651d",
        40,
        "Le métier : farines, fermentation, recettes, producteurs.",
        ("levain", "Recette", "saviez-vous", "Portrait de producteur"),
    ),
    (
        "Offres et nouveautés",
        "#d63384",
        30,
        "Produits du moment, menus, boutiques, horaires.",
        ("sandwich", "Nouveau", "Galette", "Menu midi", "Bûches", "Nouvelle boutique", "Horaires"),
    ),
    (
        "Équipe et coulisses",
        "#0d6efd",
        15,
        "Les gens derrière le pain : fournil, recrutements.",
        ("Coulisses", "On recrute"),
    ),
    (
        "Communauté",
        "#198754",
        15,
        "Questions, ateliers, jeux, remerciements.",
        ("Quel est", "atelier", "Jeu concours", "Merci pour", "concours photo"),
    ),
)
DEMO_CAMPAIGN = "Automne gourmand"
DEMO_CAMPAIGN_WORDS = ("tarte aux pralines", "Recette maison", "atelier pain", "Menu midi")


def demo_strategy(workspace: Workspace, user: User) -> None:
    _pillars(workspace, user)
    campaign = _campaign(workspace, user)
    _figures(workspace)
    _goals(workspace, user, campaign)


def _pillars(workspace: Workspace, user: User) -> None:
    if Pillar.objects.in_workspace(workspace).exists():
        return
    posts = list(Post.objects.in_workspace(workspace))
    for name, colour, share, description, words in DEMO_PILLARS:
        pillar = pillar_create(
            workspace=workspace,
            name=name,
            colour=colour,
            target_share=share,
            description=description,
            acting_user=user,
        )
        mine = [p.pk for p in posts if any(word in p.text for word in words)]
        Post.objects.filter(pk__in=mine, pillar__isnull=True).update(pillar=pillar)


def _campaign(workspace: Workspace, user: User) -> Campaign:
    campaign = Campaign.objects.in_workspace(workspace).filter(name=DEMO_CAMPAIGN).first()
    if campaign is not None:
        return campaign
    today = timezone.localdate(timezone=ZoneInfo(workspace.time_zone))
    campaign = campaign_create(
        workspace=workspace,
        name=DEMO_CAMPAIGN,
        colour="#fd7e14",
        starts_on=today - timedelta(days=14),
        ends_on=today + timedelta(days=7),
        description="Tartes, recettes et ateliers de saison dans les 6 boutiques.",
        acting_user=user,
    )
    posts = Post.objects.in_workspace(workspace)
    for word in DEMO_CAMPAIGN_WORDS:
        posts.filter(text__contains=word, campaign__isnull=True).update(campaign=campaign)
    return campaign


def _figures(workspace: Workspace) -> None:
    """One collection of the Sandbox's figures now (the worker goes on from there)."""
    if MetricSnapshot.objects.in_workspace(workspace).exists():
        return
    collections_ensure()
    since = timezone.now() - timedelta(days=30)
    for channel in workspace.channels.all():
        network = registry.get(channel.network)
        remote_ids = published_remote_ids(channel=channel, since=since, limit=300)
        samples = network.metrics_now(external_id=channel.external_id, remote_ids=remote_ids)
        collection = MetricsCollection.objects.get(channel=channel)
        snapshots_store(collection=collection, samples=list(samples))


def _goals(workspace: Workspace, user: User, campaign: Campaign) -> None:
    if Goal.objects.in_workspace(workspace).exists():
        return
    today = timezone.localdate(timezone=ZoneInfo(workspace.time_zone))
    start, deadline = today - timedelta(days=14), today + timedelta(days=13)
    for name, kpi, target, scope in (
        ("12 posts publiés en 4 semaines", "posts_published", 12, None),
        ("Taux d'engagement d'au moins 4 %", "engagement_rate", 4, None),
        ("Répondre à 80 % des messages", "response_rate", 80, None),
        ("Automne gourmand : 4 posts publiés", "posts_published", 4, campaign),
    ):
        goal_create(
            workspace=workspace,
            name=name,
            kpi=kpi,
            target=target,
            starts_on=start,
            deadline=deadline,
            campaign=scope,
            acting_user=user,
        )
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    goal_create(
        workspace=workspace,
        name="400 clics sur nos liens ce mois-ci",
        kpi="clicks",
        target=400,
        starts_on=month_start,
        deadline=next_month - timedelta(days=1),
        acting_user=user,
    )
