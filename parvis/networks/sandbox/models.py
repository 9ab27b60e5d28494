"""The Sandbox network's own server-side state: what a real network would hold.

These tables are the simulated network, not Parvis' view of it: Parvis'
channels, posts and inbox never point at them.
"""

from __future__ import annotations

from django.db import models


class SandboxAccount(models.Model):
    network_key = models.CharField(max_length=40)
    external_id = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    handle = models.CharField(max_length=80)
    token = models.CharField(max_length=80)
    token_revoked = models.BooleanField(default=False)
    # Like X: an access token lasts a while, a refresh token renews it (and is replaced).
    token_expires_at = models.DateTimeField(null=True, blank=True)
    refresh_token = models.CharField(max_length=80, blank=True)
    base_followers = models.PositiveIntegerField(default=1200)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.handle} ({self.network_key})"


class SandboxPost(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="posts")
    remote_id = models.CharField(max_length=40, unique=True)
    text = models.TextField()
    media_count = models.PositiveSmallIntegerField(default=0)
    link = models.URLField(max_length=2000, blank=True)  # shown as a card (Facebook)
    reply_to_id = models.CharField(max_length=80, blank=True)
    published_at = models.DateTimeField(db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.text[:60]


class SandboxMedia(models.Model):
    """The network's own copy of an image or video it received with a post."""

    post = models.ForeignKey(SandboxPost, on_delete=models.CASCADE, related_name="media")
    position = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="sandbox/")
    mime_type = models.CharField(max_length=80)
    alt_text = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.file.name

    @property
    def is_video(self) -> bool:
        return self.mime_type.startswith("video/")


class SandboxInteraction(models.Model):
    """A reaction of the simulated audience, in the order it happened."""

    account = models.ForeignKey(
        SandboxAccount, on_delete=models.CASCADE, related_name="interactions"
    )
    post = models.ForeignKey(
        SandboxPost, null=True, blank=True, on_delete=models.CASCADE, related_name="interactions"
    )
    remote_id = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=16)
    author_id = models.CharField(max_length=40)
    author_name = models.CharField(max_length=120)
    author_handle = models.CharField(max_length=80)
    author_followers = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(db_index=True)
    # Moderation by the account's owner: hidden from the public, or deleted.
    hidden = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    liked = models.BooleanField(default=False)  # by the account's owner

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.author_handle}"
