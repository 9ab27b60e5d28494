"""The demo workspace `make run` opens on: a French bakery chain on Sandbox channels.

`demo_load()` is idempotent: running it again keeps existing data and only
fills in what is missing.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from parvis.accounts.actions import membership_add, organisation_create, workspace_create
from parvis.accounts.models import Organisation, User, Workspace
from parvis.accounts.roles import Role
from parvis.channels.actions import channel_connect
from parvis.community.models import Person
from parvis.community.people import (
    people_merge,
    people_sync,
    person_note_add,
    person_set_tags,
    segment_save,
)
from parvis.inbox.actions import pollings_ensure
from parvis.inbox.ingesting import messages_store
from parvis.inbox.models import InboxPolling, Reply
from parvis.inbox.saved_replies import saved_reply_save
from parvis.inbox.threads import Conversation, Direction, Message
from parvis.inbox.work import (
    conversation_set_tags,
    conversations_assign,
    note_add,
    reply_target,
)
from parvis.networks import registry
from parvis.networks.sandbox.audience import simulate_audience
from parvis.publishing.actions import post_draft, post_schedule, post_submit
from parvis.publishing.models import Delivery, Post
from parvis.publishing.outgoing import text_and_link, tracked
from parvis.web.demo_best_times import demo_posting_history
from parvis.web.demo_figures import figures_history
from parvis.web.demo_links import demo_bio, demo_link_for, demo_post_clicks
from parvis.web.demo_reports import demo_logo, demo_report_schedule
from parvis.web.demo_strategy import demo_strategy

DEMO_EMAIL = "demo@parvis.local"
DEMO_ORGANISATION = "La Mie Dorée"
DEMO_WORKSPACE_SLUG = "la-mie-doree"
SECOND_WORKSPACE_SLUG = "cafe-lumiere"

DEMO_CHANNELS = [
    ("sandbox_facebook", "lamiedoree-page", "La Mie Dorée", "@lamiedoree"),
    ("sandbox_instagram", "lamiedoree-ig", "La Mie Dorée", "@lamiedoree"),
    ("sandbox_x", "lamiedoree-x", "La Mie Dorée", "@LaMieDoree"),
]

# (day offset from today, hour, minute, text, channel networks)
DEMO_POSTS = [
    (
        -13,
        8,
        0,
        "Bonjour Lyon ! Notre pain au levain sort du four à 7 h chaque matin. 🥖 #boulangerie",
        "fix",
    ),
    (-11, 12, 30, "Le sandwich du jour : jambon de Bayonne, comté 18 mois, beurre demi-sel.", "fi"),
    (-9, 17, 0, "Coulisses : Julie façonne 400 croissants avant l'aube. Merci Julie ! 🥐", "fi"),
    (-7, 9, 0, "Nouveau : la tarte aux pralines roses arrive dans nos 6 boutiques.", "fix"),
    (-5, 18, 30, "Quel est votre viennoiserie préférée ? Répondez en commentaire 👇", "fx"),
    (-3, 8, 30, "Recette maison : notre pain de mie, sans additif, en 5 ingrédients.", "fi"),
    (-1, 11, 0, "Ce week-end, atelier pain pour les enfants à la boutique Croix-Rousse.", "fix"),
    (1, 8, 0, "Galette des rois : les précommandes ouvrent lundi ! 👑", "fix"),
    (2, 12, 0, "Menu midi : soupe de potiron, quiche lorraine, flan pâtissier.", "f"),
    (3, 17, 30, "On recrute ! Apprenti·e boulanger·e à Villeurbanne. Écrivez-nous.", "fx"),
    (5, 9, 0, "Portrait de producteur : le moulin Giraud, notre farine depuis 1998.", "fi"),
    (7, 18, 0, "Jeu concours : gagnez une année de baguettes ! Détails en story.", "fix"),
    (9, 8, 30, "Nouvelle boutique à Part-Dieu : ouverture le 12, café offert 🎉", "fix"),
    (12, 12, 0, "Le saviez-vous ? Une baguette tradition contient 4 ingrédients.", "fx"),
    (14, 9, 0, "Bûches de Noël : découvrez les 4 parfums de cette année.", "fi"),
    (16, 17, 0, "Merci pour vos 10 000 abonnés ! Une surprise arrive vendredi.", "fix"),
    (19, 10, 0, "Brouillon : idées pour la chandeleur — crêpes, garnitures, vidéo ?", "i"),
    (21, 8, 0, "Horaires des fêtes : ouvert le 24 jusqu'à 17 h, fermé le 25.", "fix"),
]
# A contributor's post awaiting the demo owner's review: (email, name, offset, hour, text).
DEMO_REVIEW = (
    "julie@parvis.local",
    "Julie Martin",
    4,
    12,
    "Idée de concours photo : « ma baguette au soleil ». Les 3 plus belles photos "
    "gagnent un panier gourmand ! 📸 #LaMieDorée",
)
# A coming post with a link, a thread on X and a first comment on Facebook.
DEMO_THREAD = (
    2,
    "Nouveau : la tradition au levain naturel arrive dans nos 4 boutiques lyonnaises 🥖",
    "https://lamiedoree.example/levain",
    [
        "Le levain, c'est 18 h de fermentation lente : "
        "une mie plus alvéolée, une croûte qui chante.",
        "Et comme toujours, des farines Label Rouge moulues à moins de 80 km de Lyon.",
    ],
    "Dites-nous en commentaire votre boutique préférée, on vous y garde une fournée !",
)
_LETTER_TO_NETWORK = {"f": "sandbox_facebook", "i": "sandbox_instagram", "x": "sandbox_x"}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    workspace_slug: str


def _demo_password() -> str:
    from_env = os.environ.get("PARVIS_DEMO_PASSWORD", "")
    if from_env:
        return from_env
    path = settings.DATA_DIR / "demo-password"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    password = secrets.token_urlsafe(9)
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(password, encoding="utf-8")
    path.chmod(0o600)
    return password


def _demo_user(password: str) -> User:
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        return User.objects.create_user(
            DEMO_EMAIL, password, full_name="Camille Martin", language="fr"
        )
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _sample_posts(workspace: Workspace, user: User) -> None:
    """A few weeks of posts: the past ones published on the Sandbox, the next ones due."""
    if Post.objects.in_workspace(workspace).exists():
        return
    zone = ZoneInfo(workspace.time_zone)
    today = timezone.localdate(timezone=zone)
    channels = {c.network: c for c in workspace.channels.all()}
    now = timezone.now()
    for offset, hour, minute, text, letters in DEMO_POSTS:
        moment = datetime.combine(today + timedelta(days=offset), time(hour, minute), tzinfo=zone)
        chosen = [channels[n] for n in (_LETTER_TO_NETWORK[x] for x in letters) if n in channels]
        post = Post.objects.create(
            workspace=workspace,
            text=text,
            link=demo_link_for(text) if moment < now else "",
            scheduled_at=moment,
            created_by=user,
        )
        if text.startswith("Brouillon"):
            post.channels.set(chosen)
        elif moment < now:
            _published_in_the_past(post, chosen, moment)
        else:
            post_schedule(post=post, at=moment, channels=chosen, acting_user=user)


def _post_in_review(workspace: Workspace) -> None:
    """Julie, a contributor, submitted a post: the owner sees it in "To review"."""
    email, name, offset, hour, text = DEMO_REVIEW
    julie = User.objects.filter(email=email).first()
    if julie is None:
        julie = User.objects.create_user(email, None, full_name=name, language="fr")
    membership_add(workspace=workspace, user=julie, role=Role.CONTRIBUTOR)
    if Post.objects.in_workspace(workspace).filter(created_by=julie).exists():
        return
    zone = ZoneInfo(workspace.time_zone)
    day = timezone.localdate(timezone=zone) + timedelta(days=offset)
    channels = list(workspace.channels.filter(network__in=["sandbox_facebook", "sandbox_x"]))
    post = post_draft(
        workspace=workspace,
        text=text,
        channels=channels,
        acting_user=julie,
        scheduled_at=datetime.combine(day, time(hour, 0), tzinfo=zone),
    )
    post_submit(post=post, acting_user=julie)


DEMO_SAVED_REPLIES = (
    ("Merci", "Merci beaucoup {first_name} ! À très vite chez {channel} 🥐 — {me}"),
    (
        "Horaires",
        "Bonjour {first_name}, nous sommes ouverts du mardi au dimanche, de 7 h à 19 h30. "
        "Belle journée ! — {me}",
    ),
    (
        "Réclamation",
        "Bonjour {first_name}, nous sommes désolés. Pouvez-vous nous écrire en message "
        "privé avec votre numéro de commande ? Nous regardons cela tout de suite. — {me}",
    ),
)


def _conversations(workspace: Workspace, user: User) -> None:
    """The Sandbox's audience answered the published posts: the inbox reads it now (the
    worker goes on from there), and the team has started on it (one assigned, tagged
    and noted)."""
    if Conversation.objects.in_workspace(workspace).exists():
        return
    for name, text in DEMO_SAVED_REPLIES:
        saved_reply_save(workspace=workspace, name=name, text=text, acting_user=user)
    simulate_audience()
    pollings_ensure()
    for channel in workspace.channels.all():
        page = registry.get(channel.network).interactions_now(external_id=channel.external_id)
        messages_store(channel=channel, interactions=page.items)
        InboxPolling.objects.filter(channel=channel).update(cursor=page.cursor)
    first = Conversation.objects.in_workspace(workspace).filter(kind="comments").first()
    if first is None:
        return
    conversations_assign(workspace=workspace, ids=[first.pk], assignee=user, acting_user=user)
    conversation_set_tags(conversation=first, raw="question", acting_user=user)
    note_add(
        conversation=first,
        text="Cliente fidèle de la boutique Croix-Rousse : lui répondre personnellement.",
        acting_user=user,
    )


# The team's answers, by the language and intent (triage) of the comment answered.
DEMO_ANSWERS = {
    ("fr", "praise"): "Merci beaucoup {first_name}, toute l'équipe est ravie ! À très vite.",
    ("fr", "question"): "Bonjour {first_name}, bonne question ! Nous vous écrivons en message "
    "privé avec tous les détails.",
    ("fr", "complaint"): "Bonjour {first_name}, nous sommes désolés. Pouvez-vous nous écrire en "
    "message privé ? Nous regardons cela tout de suite.",
    ("en", "praise"): "Thank you so much {first_name}, the whole team is delighted!",
    ("en", "question"): "Hi {first_name}, good question! We are sending you the details by "
    "private message.",
    ("en", "complaint"): "Hi {first_name}, we are sorry. Could you send us a private message? "
    "We are looking into it right away.",
}


ANSWER_DELAYS = (timedelta(minutes=18), timedelta(minutes=42), timedelta(minutes=95))


def _answered(workspace: Workspace, user: User) -> None:
    """The team answered three comments from Parvis earlier (their history, written as the
    inbox writes a sent answer), so responsiveness has figures to show."""
    if Reply.objects.filter(workspace=workspace).exists():
        return
    now = timezone.now()
    answered = 0
    for conversation in (
        Conversation.objects.in_workspace(workspace)
        .filter(kind="comments", assignee__isnull=True, last_message_at__lt=now - ANSWER_DELAYS[-1])
        .select_related("channel")
        .order_by("-last_message_at", "-id")
    ):
        latest = reply_target(conversation)
        answer = DEMO_ANSWERS.get((latest.language, latest.intent)) if latest else None
        if answer is None:
            continue
        first_name = latest.author.name.split()[0] if latest.author and latest.author.name else ""
        text = answer.format(first_name=first_name)
        _answer_in_the_past(latest, text, user, latest.created_at + ANSWER_DELAYS[answered])
        answered += 1
        if answered == len(ANSWER_DELAYS):
            return


def _answer_in_the_past(to: Message, text: str, user: User, moment: datetime) -> None:
    channel = to.conversation.channel
    result = registry.get(channel.network).ensure_post(
        external_id=channel.external_id, text=text, published_at=moment, reply_to_id=to.remote_id
    )
    message = Message.objects.create(
        workspace_id=to.workspace_id,
        conversation_id=to.conversation_id,
        channel=channel,
        remote_id=result.remote_id,
        kind="reply",
        direction=Direction.OUT,
        sent_by=user,
        text=text,
        created_at=moment,
        parent=to,
        in_reply_to_remote_id=to.remote_id,
        url=result.url,
    )
    Reply.objects.create(
        workspace_id=to.workspace_id,
        conversation_id=to.conversation_id,
        channel=channel,
        in_reply_to=to,
        text=text,
        created_by=user,
        state="sent",
        message=message,
    )


def _community(workspace: Workspace, user: User) -> None:
    """The people behind the conversations: one met on two networks already merged,
    a few tagged, a note, and a saved segment of the ambassadors."""
    if Person.objects.in_workspace(workspace).exists():
        return
    people_sync(workspace=workspace)
    by_name: dict[str, list[Person]] = {}
    for person in Person.objects.in_workspace(workspace).order_by("-score", "id"):
        by_name.setdefault(person.name, []).append(person)
    met_twice = [group for group in by_name.values() if len(group) > 1]
    if met_twice:
        people_merge(workspace=workspace, people=met_twice[0], acting_user=user)
    ranked = list(Person.objects.in_workspace(workspace).order_by("-score", "id"))
    for person, tags in zip(
        ranked, ("ambassador, customer", "ambassador", "customer"), strict=False
    ):
        person_set_tags(person=person, raw=tags, acting_user=user)
    if ranked:
        person_note_add(
            person=ranked[0],
            text="Vient chaque samedi à la boutique Croix-Rousse ; lui proposer la dégustation.",
            acting_user=user,
        )
    segment_save(
        workspace=workspace,
        name="Ambassadeurs",
        query={"tag": "ambassador", "sort": "score"},
        acting_user=user,
    )


def _thread_example(workspace: Workspace, user: User) -> None:
    offset, text, link, thread, comment = DEMO_THREAD
    if Post.objects.in_workspace(workspace).filter(text=text).exists():
        return
    zone = ZoneInfo(workspace.time_zone)
    day = timezone.localdate(timezone=zone) + timedelta(days=offset)
    at = datetime.combine(day, time(11, 30), tzinfo=zone)
    channels = list(workspace.channels.filter(network__in=["sandbox_facebook", "sandbox_x"]))
    post = post_draft(
        workspace=workspace,
        text=text,
        channels=channels,
        acting_user=user,
        link=link,
        thread_parts=thread,
        first_comment=comment,
    )
    post_schedule(post=post, at=at, channels=channels, acting_user=user)


def _published_in_the_past(post: Post, channels: list, moment: datetime) -> None:
    post.channels.set(channels)
    for channel in channels:
        # What it sent: its link as the channel's short link, as a scheduled post would.
        text, link = text_and_link(text=post.text, link=post.link, channel=channel)
        text, link = tracked(post=post, channel=channel, text=text, link=link)
        delivery = Delivery(
            workspace=post.workspace, post=post, channel=channel, text=text, link=link
        )
        result = registry.get(channel.network).ensure_post(
            external_id=channel.external_id,
            text=text,
            published_at=moment,
        )
        delivery.state = "published"
        delivery.remote_id, delivery.url, delivery.published_at = (
            result.remote_id,
            result.url,
            result.published_at,
        )
        delivery.save()
    post.summarise_deliveries()


@transaction.atomic
def demo_load() -> DemoLogin:
    password = _demo_password()
    user = _demo_user(password)
    organisation = Organisation.objects.filter(slug=DEMO_WORKSPACE_SLUG).first()
    if organisation is None:
        organisation = organisation_create(name=DEMO_ORGANISATION, acting_user=user)
    workspace = Workspace.objects.filter(slug=DEMO_WORKSPACE_SLUG).first()
    if workspace is None:
        workspace = workspace_create(
            organisation=organisation,
            name="La Mie Dorée",
            owner=user,
            language="fr",
            slug=DEMO_WORKSPACE_SLUG,
        )
    membership_add(workspace=workspace, user=user, role=Role.OWNER)
    for network_key, external_id, name, handle in DEMO_CHANNELS:
        if not workspace.channels.filter(network=network_key, external_id=external_id).exists():
            # The Sandbox creates the account on its side, as a real network has it.
            account = registry.get(network_key).ensure_account(
                external_id=external_id, name=name, handle=handle
            )
            channel_connect(
                workspace=workspace, network_key=network_key, account=account, acting_user=user
            )
    _sample_posts(workspace, user)
    _post_in_review(workspace)
    _thread_example(workspace, user)
    _conversations(workspace, user)
    _answered(workspace, user)
    figures_history(workspace)
    _community(workspace, user)
    demo_posting_history(workspace, user)
    families = {c.pk: registry.get(c.network).display.family for c in workspace.channels.all()}
    demo_post_clicks(workspace=workspace, family_of=families)
    demo_bio(workspace=workspace, user=user)
    demo_strategy(workspace, user)
    demo_logo(workspace)
    demo_report_schedule(workspace, user)
    if not Workspace.objects.filter(slug=SECOND_WORKSPACE_SLUG).exists():
        workspace_create(
            organisation=organisation,
            name="Café Lumière",
            owner=user,
            language="fr",
            slug=SECOND_WORKSPACE_SLUG,
        )
    if user.last_workspace_id is None:
        user.last_workspace = workspace
        user.save(update_fields=["last_workspace"])
    return DemoLogin(email=DEMO_EMAIL, password=password, workspace_slug=workspace.slug)
