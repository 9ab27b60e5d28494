"""The Sandbox's audience: people who react to published posts, over time.

Each post gets a fixed plan of reactions drawn from a random source seeded by
the post's id (so the same post always gets the same reactions, at the same
moments after publication, fewer and fewer as it ages). The periodic job
writes the reactions whose moment has come; running it twice writes nothing
twice. Mentions and direct messages arrive the same way, per account and day.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from parvis.networks.sandbox.models import SandboxAccount, SandboxInteraction, SandboxPost


@dataclass(frozen=True)
class Person:
    name: str
    handle: str
    language: str
    followers: int


PEOPLE = (
    Person("Léa Fontaine", "lea.fontaine", "fr", 820),
    Person("Mathieu Girard", "mat_girard", "fr", 312),
    Person("Sophie Nguyen", "sophie.ng", "fr", 4_300),
    Person("Karim Benali", "karimb", "fr", 1_150),
    Person("Chloé Martin", "chloe_gourmande", "fr", 58_000),
    Person("Hugo Lefebvre", "hugolef", "fr", 95),
    Person("Emma Roux", "emma.roux", "fr", 2_040),
    Person("Julien Moreau", "jmoreau_lyon", "fr", 640),
    Person("Olivia Bennett", "oliviabakes", "en", 12_500),
    Person("James Carter", "jcarter", "en", 430),
    Person("Priya Shah", "priya.eats", "en", 7_800),
    Person("Tom Becker", "tombecker", "en", 210),
    Person("Promo Deals 4U", "best_deals_4u", "en", 3),
)

# (kind of reaction, language, intent, text). Intent is the truth a triage
# feature can be evaluated against; it is not sent to Parvis.
COMMENTS = (
    ("fr", "praise", "Trop bon !! On y retourne samedi 😍"),
    ("fr", "praise", "Meilleur pain de la ville, sans hésiter."),
    ("fr", "praise", "Merci pour l'accueil ce matin, toujours au top 👏"),
    ("fr", "question", "Vous êtes ouverts le dimanche matin ?"),
    ("fr", "question", "Est-ce qu'il existe une version sans gluten ?"),
    ("fr", "question", "On peut précommander pour 20 personnes ?"),
    ("fr", "complaint", "Deux fois que ma commande n'est pas prête à l'heure… déçue."),
    ("fr", "complaint", "Les prix ont encore augmenté, c'est dommage."),
    ("fr", "complaint", "Personne ne répond au téléphone de la boutique Croix-Rousse."),
    ("fr", "neutral", "Je tague @lea.fontaine, ça va te plaire"),
    ("en", "praise", "Best croissant I've had outside Paris!"),
    ("en", "praise", "Love this, can't wait to visit again."),
    ("en", "question", "Do you ship to the UK?"),
    ("en", "question", "What time do you open on holidays?"),
    ("en", "complaint", "My order arrived cold and late. Not great."),
    ("en", "spam", "Make $$$ from home!!! Click the link in my bio 💰💰"),
)
MENTIONS = (
    ("fr", "praise", "Le goûter parfait chez @{handle} 🥐☕"),
    ("fr", "question", "@{handle} vous recrutez encore pour cet été ?"),
    ("fr", "complaint", "@{handle} toujours pas de réponse à mon mail de mardi…"),
    ("en", "praise", "Weekend treat from @{handle}, highly recommend"),
)
MESSAGES = (
    ("fr", "question", "Bonjour, je voudrais commander une pièce montée pour un mariage."),
    ("fr", "complaint", "Bonjour, j'ai trouvé un cheveu dans mon pain hier. Que faire ?"),
    ("en", "question", "Hi! Do you do catering for corporate events?"),
)


# The audience lives in France and scrolls at lunch and in the evening: a post
# published then gets more reactions than one at 3 a.m. (so the best-times heatmap
# has something true to find). Factors by hour of the day and by weekday (Monday first).
AUDIENCE_ZONE = ZoneInfo("Europe/Paris")
HOURLY_ACTIVITY = (
    *(0.3,) * 7,  # midnight to 7 a.m.
    *(0.8, 0.9, 0.7, 0.7, 0.9, 1.5, 1.3, 0.6, 0.6, 0.7, 1.0, 1.2),  # lunch at 12 and 13
    *(1.6, 1.5, 1.2, 0.8, 0.5),  # the evening, 7 p.m. to midnight
)
WEEKDAY_ACTIVITY = (0.9, 1.1, 1.15, 1.05, 0.95, 0.85, 0.8)


def activity(published_at: datetime) -> float:
    """How many more (or fewer) reactions than usual a post published then gets."""
    local = published_at.astimezone(AUDIENCE_ZONE)
    return HOURLY_ACTIVITY[local.hour] * WEEKDAY_ACTIVITY[local.weekday()]


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@dataclass(frozen=True)
class PlannedReaction:
    remote_id: str
    kind: str
    at: datetime
    person: Person
    text: str
    intent: str


def _person_for(rng: random.Random, language: str) -> Person:
    speakers = [p for p in PEOPLE if p.language == language] or list(PEOPLE)
    return rng.choice(speakers)


def plan_for_post(post: SandboxPost, *, seed: object = "") -> list[PlannedReaction]:
    """The reactions a post will receive: likes and comments, most in its first hours."""
    rng = _rng(seed, post.remote_id)
    plan: list[PlannedReaction] = []
    busy = activity(post.published_at)
    likes = max(1, round(rng.randint(4, 30) * busy))
    comments = max(1, round(rng.randint(1, 6) * busy))
    for i in range(likes + comments):
        # Exponential delays (mean 3 h): a post's audience fades with its age.
        at = post.published_at + timedelta(minutes=rng.expovariate(1 / 180))
        if i < likes:
            person = rng.choice(PEOPLE[:-1])
            plan.append(PlannedReaction(f"{post.remote_id}-l{i}", "reaction", at, person, "", ""))
            continue
        language, intent, text = rng.choice(COMMENTS)
        person = PEOPLE[-1] if intent == "spam" else _person_for(rng, language)
        plan.append(PlannedReaction(f"{post.remote_id}-c{i}", "comment", at, person, text, intent))
    return plan


def plan_for_day(
    account: SandboxAccount, day: datetime, *, seed: object = ""
) -> list[PlannedReaction]:
    """Mentions and direct messages an account receives on one day."""
    rng = _rng(seed, account.external_id, day.date().isoformat())
    plan: list[PlannedReaction] = []
    for kind, choices, count in (
        ("mention", MENTIONS, rng.randint(0, 2)),
        ("message", MESSAGES, rng.randint(0, 1)),
    ):
        for i in range(count):
            language, intent, text = rng.choice(choices)
            at = day + timedelta(minutes=rng.randint(7 * 60, 22 * 60))
            person = _person_for(rng, language)
            remote_id = f"{account.external_id}-{day.date().isoformat()}-{kind[0]}{i}"
            body = text.format(handle=account.handle.lstrip("@"))
            plan.append(PlannedReaction(remote_id, kind, at, person, body, intent))
    return plan


def _row(
    account: SandboxAccount, post: SandboxPost | None, r: PlannedReaction
) -> SandboxInteraction:
    return SandboxInteraction(
        account=account,
        post=post,
        remote_id=r.remote_id,
        kind=r.kind,
        author_id=f"sbx-{r.person.handle}",
        author_name=r.person.name,
        author_handle=r.person.handle,
        author_followers=r.person.followers,
        text=r.text,
        language=r.person.language if r.text else "",
        created_at=r.at,
    )


def simulate_audience(*, now: datetime | None = None, seed: object = "", days: int = 7) -> int:
    """Write every reaction due by ``now`` (idempotent); return how many are new."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    due: list[SandboxInteraction] = []
    posts = SandboxPost.objects.filter(
        Q(deleted_at__isnull=True), published_at__gte=since, reply_to_id=""
    ).select_related("account")
    for post in posts:
        due += [_row(post.account, post, r) for r in plan_for_post(post, seed=seed) if r.at <= now]
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for account in SandboxAccount.objects.filter(token_revoked=False):
        for back in (1, 0):
            day = midnight - timedelta(days=back)
            if day < account.created_at - timedelta(days=1):
                continue
            due += [
                _row(account, None, r) for r in plan_for_day(account, day, seed=seed) if r.at <= now
            ]
    known = set(
        SandboxInteraction.objects.filter(remote_id__in=[r.remote_id for r in due]).values_list(
            "remote_id", flat=True
        )
    )
    fresh = sorted((r for r in due if r.remote_id not in known), key=lambda r: r.created_at)
    SandboxInteraction.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)
