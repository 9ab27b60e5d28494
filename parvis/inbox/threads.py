"""The inbox's conversations: what people say to the brand, threaded, and the team's work on it.

``Author`` is the person behind a handle on one network, the row a community
profile builds on. The rows that are jobs (polling, webhook events, replies) live
in ``models.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parvis.core.tenancy import WorkspaceQuerySet
from parvis.inbox.triage.priority import reasons


class ConversationKind(models.TextChoices):
    COMMENTS = "comments", _("Comments")
    MENTION = "mention", _("Mention")
    MESSAGE = "message", _("Direct message")


class ConversationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("conversation status", "Open")
    PENDING = "pending", pgettext_lazy("conversation status", "Pending")
    DONE = "done", pgettext_lazy("conversation status", "Done")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other language")


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class Intent(models.TextChoices):
    QUESTION = "question", _("Question")
    COMPLAINT = "complaint", _("Complaint")
    PRAISE = "praise", _("Praise")
    SPAM = "spam", _("Spam")
    OTHER = "other", pgettext_lazy("message intent", "Other")


class Triaged(models.Model):
    """What ``parvis.inbox.triage`` read in a message: empty for the brand's own and empty text."""

    language = models.CharField(_("language"), max_length=5, choices=Language.choices, blank=True)
    sentiment = models.CharField(
        _("sentiment"), max_length=8, choices=Sentiment.choices, blank=True
    )
    intent = models.CharField(_("intent"), max_length=9, choices=Intent.choices, blank=True)

    class Meta:
        abstract = True


PRIORITY_REASONS = {
    "complaint": _("Complaint"),
    "question": _("Question"),
    "audience": _("Large audience"),
}


class Author(models.Model):
    """One handle on one network, as seen by one workspace."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="inbox_authors"
    )
    network = models.CharField(max_length=40)
    external_id = models.CharField(max_length=200)
    handle = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200, blank=True)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "external_id"], name="one_author_per_handle"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.handle or self.external_id


class Tag(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="inbox_tags"
    )
    name = models.CharField(_("name"), max_length=40)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="one_tag_name")]

    def __str__(self) -> str:
        return self.name


class Conversation(Triaged):
    """The comments under one of the brand's posts, one mention, or one person's messages."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="conversations"
    )
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="conversations"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ConversationKind.choices)
    # What makes the conversation one: "post:<id>", "mention:<id>", "dm:<author id>"...
    thread_key = models.CharField(max_length=250)
    post = models.ForeignKey(
        "publishing.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    post_remote_id = models.CharField(max_length=200, blank=True)
    post_url = models.URLField(max_length=500, blank=True)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.OPEN,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_conversations",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="conversations")
    preview = models.CharField(max_length=200, blank=True)  # the latest message, shortened
    message_count = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Its triage fields are its latest received message's; priority: ``triage.priority``.
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "thread_key"], name="one_thread_per_key")
        ]
        # The inbox list's orders, each with its tie-breaker, so a page is read from the
        # index in order (no sort of every matching row), with or without a status.
        indexes = [
            # With the columns the list's filters test most, so that a filter leaving
            # few rows is checked in the index, not in each row (``selectors._read``).
            models.Index(
                fields=["workspace", "status", "-last_message_at", "-id"],
                include=["channel", "assignee", "kind"],
                name="inbox_by_status",
            ),
            models.Index(
                fields=["workspace", "status", "-priority", "-last_message_at", "-id"],
                name="inbox_by_priority",
            ),
            models.Index(fields=["workspace", "-last_message_at", "-id"], name="inbox_by_time"),
            # Every status of one kind (e.g. all comments): read in order without visiting
            # the other kinds' rows.
            models.Index(
                fields=["workspace", "kind", "-last_message_at", "-id"], name="inbox_by_kind"
            ),
            models.Index(
                fields=["channel", "status", "-last_message_at", "-id"], name="inbox_by_channel"
            ),
            models.Index(
                fields=["workspace", "assignee", "status", "-last_message_at", "-id"],
                name="inbox_by_assignee",
            ),
        ]

    def __str__(self) -> str:
        return self.preview or self.thread_key

    def priority_reasons(self) -> list[str]:
        """Why the conversation comes first, most important first (for its badge)."""
        return [str(PRIORITY_REASONS[reason]) for reason in reasons(self.priority)]


class Direction(models.TextChoices):
    IN = "in", _("Received")
    OUT = "out", _("Sent")


class Message(Triaged):
    """One comment, reply, mention or direct message, as the network gave it."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="inbox_messages"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="+")
    remote_id = models.CharField(max_length=200)
    kind = models.CharField(max_length=10)  # an InteractionKind value
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.IN)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    created_at = models.DateTimeField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    in_reply_to_remote_id = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    hidden = models.BooleanField(default=False)
    liked = models.BooleanField(default=False)  # by the channel's account, from Parvis
    deleted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "remote_id"], name="one_message_per_id")
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="thread_order"),
            # The brand's latest answer in a conversation (the list's "waiting since").
            models.Index(
                fields=["conversation", "-created_at"],
                name="thread_answers",
                condition=models.Q(direction="out"),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class TeamNote(models.Model):
    """A note the team writes for itself (the network never sees it): who, what, when."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.text[:60]


class Note(TeamNote):
    """An internal note on a conversation: the team reads it, the network never does."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="inbox_notes"
    )
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")

    class Meta:
        ordering = ["created_at", "id"]


class Presence(models.Model):
    """Who has a conversation open (and is typing an answer), refreshed by the page."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="presences"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    typing_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_presence")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.conversation_id}"


class SavedReply(models.Model):
    """An answer written once and reused, with placeholders (``saved_replies``)."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="saved_replies"
    )
    name = models.CharField(_("name"), max_length=80)
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_saved_reply_name")
        ]

    def __str__(self) -> str:
        return self.name
