"""Posts. The foundation holds what the calendar shows; the publishing
engine (deliveries, variants, approvals) builds on it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parvis.channels.selectors import credentials_load
from parvis.core import http
from parvis.core.tenancy import WorkspaceQuerySet
from parvis.engine.models import StateMachineModel
from parvis.publishing import delivering, outcomes
from parvis.publishing.media_models import MediaAsset, MediaKind, PostMedia

__all__ = ["MediaAsset", "MediaKind", "PostMedia"]
from parvis.publishing.states import DeliveryStates, status_of


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    FAILED = "failed", _("Failed")


class Post(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="posts"
    )
    text = models.TextField(_("text"))
    # Sent after the post, in order: replies to it on networks with threads (X,
    # Bluesky, Threads), and a comment under it where the network allows one.
    thread_parts = models.JSONField(_("thread"), default=list, blank=True)
    first_comment = models.TextField(_("first comment"), blank=True)
    # Where the post sends people (see outgoing.py for where each network puts it).
    link = models.URLField(_("link"), max_length=2000, blank=True)
    channels = models.ManyToManyField("channels.Channel", related_name="posts", blank=True)
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A string reference: publishing does not import strategy (see the README's architecture).
    campaign = models.ForeignKey(
        "strategy.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    # Traffic links (see outgoing.py): each address goes out as the channel's short link
    # carrying UTM parameters; empty source: the network; empty campaign: the campaign's name.
    shorten_links = models.BooleanField(_("shorten links"), default=True)
    utm_enabled = models.BooleanField(_("add UTM parameters"), default=True)
    utm_source = models.CharField(_("utm_source"), max_length=100, blank=True)
    utm_medium = models.CharField(_("utm_medium"), max_length=100, default="social", blank=True)
    utm_campaign = models.CharField(_("utm_campaign"), max_length=100, blank=True)
    # The content pillar (theme) the post belongs to; a string reference too.
    pillar = models.ForeignKey(
        "strategy.Pillar",
        verbose_name=_("content pillar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Evergreen posts (see recurrence.py): once published, a copy is scheduled
    # ``repeat_every_days`` later (same wall-clock time), until ``repeat_until``.
    repeat_every_days = models.PositiveSmallIntegerField(
        _("repeat every (days)"), null=True, blank=True
    )
    repeat_until = models.DateField(_("repeat until"), null=True, blank=True)
    # The occurrence this post repeats; one-to-one: a post has at most one next occurrence.
    repeats_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_occurrence",
    )

    # Channels whose media differ from the shared ones (their PostMedia rows carry
    # the channel; none means the channel publishes without media).
    own_media_channels = models.JSONField(default=list, blank=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["workspace", "scheduled_at"])]

    def __str__(self) -> str:
        title = self.first_line
        return title if len(title) <= 60 else title[:59] + "…"

    def get_absolute_url(self) -> str:
        return reverse(
            "publishing:post", kwargs={"workspace": self.workspace.slug, "post_id": self.pk}
        )

    def summarise_deliveries(self) -> None:
        """Follow the deliveries: published when all are, else the most worrying state.
        Thread parts and first comments do not change it (they are told apart)."""
        status = status_of(set(self.deliveries.filter(position=0).values_list("state", flat=True)))
        if status is not None and status != self.status:
            self.status = status
            self.save(update_fields=["status", "updated_at"])

    @property
    def first_line(self) -> str:
        return first_line(self.text)

    def text_for(self, channel_id: int) -> str:
        """What goes out on this channel: its variant, else the shared text."""
        for variant in self.variants.all():
            if variant.channel_id == channel_id:
                return variant.text
        return self.text

    def media_for(self, channel_id: int | None = None) -> list[MediaAsset]:
        """What goes out on this channel: its own media if it has them, else the shared ones."""
        own = channel_id is not None and channel_id in self.own_media_channels
        wanted = channel_id if own else None
        return [link.asset for link in self.media.all() if link.channel_id == wanted]

    @property
    def is_editable(self) -> bool:
        """Nothing has gone out yet: text, channels and time may still change."""
        if self.status in (PostStatus.PUBLISHED, PostStatus.FAILED):
            return False
        return not self.deliveries.exclude(state__in=["", "scheduled", "waiting"]).exists()


class QueueSlot(models.Model):
    """A weekly time at which a channel publishes queued posts: a weekday and a
    wall-clock time in the workspace's zone (so 12:30 stays 12:30 across DST)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="queue_slots"
    )
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="queue_slots"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    time = models.TimeField(_("time"))

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("queue time")
        verbose_name_plural = _("queue times")
        ordering = ["channel", "weekday", "time"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "weekday", "time"], name="one_queue_slot_per_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} · {self.get_weekday_display()} {self.time:%H:%M}"


def first_line(text: str) -> str:
    """A post's title: its first non-blank line."""
    return text.strip().splitlines()[0].strip() if text.strip() else ""


class PostVariant(models.Model):
    """The text a post takes on one channel, when it differs from the shared text."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="one_variant_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} for {self.channel_id}"


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


class PostReview(models.Model):
    """An approver's decision on a post submitted for review."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.post}"


class PostRevision(models.Model):
    """What a post looked like after one change: the history shows the differences."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    channel_names = models.JSONField(default=list)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


DELIVERY_STATE_LABELS = {
    "scheduled": _("Scheduled"),
    "waiting": _("Waits for the part before it"),
    "publishing": _("Publishing"),
    "verifying": _("Checking with the network"),
    "retrying": _("Will try again"),
    "published": _("Published"),
    "failed": _("Failed"),
    "cancelled": _("Cancelled"),
    "needs_attention": _("On hold"),
}


def _new_key() -> str:
    return uuid.uuid4().hex


class DeliveryPart(models.TextChoices):
    POST = "post", _("Post")
    THREAD = "thread", _("Thread part")
    COMMENT = "comment", _("First comment")


class Delivery(StateMachineModel):
    """One post going out to one channel: the row is the job (see states.py)."""

    graph = DeliveryStates
    # Not the credential: a token the keys cannot read must fail its delivery, not the claim.
    claim_related = ("post", "workspace", "channel", "follows")

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="deliveries"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="deliveries"
    )
    # The same key on every attempt: networks with idempotency de-duplicate by
    # it, and verification looks for it.
    idempotency_key = models.CharField(max_length=64, unique=True, default=_new_key)
    # What is sent: the channel's variant or the shared text (with the post's link
    # where the network wants it in the text), and the link sent apart as a card.
    # Both are set when the post is scheduled.
    text = models.TextField(blank=True)
    link = models.URLField(max_length=2000, blank=True)
    # The post itself (position 0), or a thread part or first comment that goes
    # out after the delivery it ``follows`` is published, as a reply to it.
    part = models.CharField(max_length=10, choices=DeliveryPart.choices, default=DeliveryPart.POST)
    position = models.PositiveSmallIntegerField(default=0)
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    # The media sent (MediaAsset ids, in order), set with the text when scheduled.
    media = models.JSONField(default=list, blank=True)
    attempt_started_at = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "channel", "position"], name="one_delivery_per_channel_part"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.channel}"

    @property
    def state_label(self) -> str:
        return str(DELIVERY_STATE_LABELS.get(self.state, self.state))

    @property
    def part_label(self) -> str:
        return outcomes.part_label(self) if self.position else ""

    def after_transition(self, previous: str) -> None:
        outcomes.deliveries_record_outcomes(moved=[(self, previous)])

    # A wave's calls share kept-alive connections per network host.
    calls_context = staticmethod(http.shared_connections)

    @classmethod
    def before_run(cls, deliveries: list[Delivery]) -> None:
        """The batch's channel credentials in one query, not one per delivery."""
        credentials_load(channels=[d.channel for d in deliveries])

    @classmethod
    def after_transitions(cls, moved: list[tuple[Delivery, str]]) -> None:
        """The engine's reaction to a wave of moves, all at once."""
        outcomes.deliveries_record_outcomes(moved=moved)

    def handle_scheduled(self):
        return delivering.publish(self)

    def handle_publishing(self):
        return delivering.publish(self)

    def handle_waiting(self):
        return delivering.follow_up(self)

    def handle_verifying(self):
        return delivering.verify(self)

    def handle_retrying(self):
        return delivering.publish(self)


class SnippetKind(models.TextChoices):
    HASHTAGS = "hashtags", _("Hashtag group")
    TEXT = "text", _("Snippet")


class Snippet(models.Model):
    """A saved piece of text, or a group of hashtags, the composer inserts at the cursor."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="snippets"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SnippetKind.choices)
    name = models.CharField(_("name"), max_length=80)
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("snippet")
        verbose_name_plural = _("snippets")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "name"], name="one_snippet_name_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def hashtags(self) -> list[str]:
        """A hashtag group's tags, as written (empty for a text snippet)."""
        return self.text.split() if self.kind == SnippetKind.HASHTAGS else []
