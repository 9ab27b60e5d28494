"""The media library: images and videos uploaded to a workspace, and their place in posts."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.core.tenancy import WorkspaceQuerySet
from parvis.networks.base import MediaItem
from parvis.networks.media_messages import ratio_label


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    GIF = "gif", _("Animated GIF")
    VIDEO = "video", _("Video")


def _file_path(asset: MediaAsset, filename: str) -> str:
    """One folder per workspace, a random name: nothing guessable, nothing clashing."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"workspaces/{asset.workspace_id}/{secrets.token_hex(16)}{suffix}"


def _thumbnail_path(asset: MediaAsset, filename: str) -> str:
    return f"workspaces/{asset.workspace_id}/thumbnails/{secrets.token_hex(16)}.jpg"


class MediaAsset(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="media_assets"
    )
    file = models.FileField(upload_to=_file_path, max_length=200)
    thumbnail = models.FileField(upload_to=_thumbnail_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices)
    size_bytes = models.PositiveBigIntegerField(_("size"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    duration_s = models.FloatField(_("duration"), null=True, blank=True)
    codec = models.CharField(max_length=40, blank=True)
    alt_text = models.TextField(_("description (alt text)"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("image or video")
        verbose_name_plural = _("images and videos")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_video(self) -> bool:
        return self.kind == MediaKind.VIDEO

    @property
    def aspect_label(self) -> str:
        return ratio_label(self.width, self.height)

    def as_item(self) -> MediaItem:
        """What a network is given: the file where it can read it, and what it is."""
        try:
            path = self.file.path
        except NotImplementedError:  # a storage without local files
            path = self.file.url
        return MediaItem(
            path=path,
            mime_type=self.mime_type,
            alt_text=self.alt_text,
            width=self.width,
            height=self.height,
            size_bytes=self.size_bytes,
            duration_s=self.duration_s,
            animated=self.kind == MediaKind.GIF,
            codec=self.codec,
        )


class PostMedia(models.Model):
    """One image or video of a post, in order. With a channel: that channel's own media,
    used instead of the shared ones (a channel with its own media and none listed
    publishes without media; ``Post.own_media_channels`` lists them)."""

    post = models.ForeignKey("publishing.Post", on_delete=models.CASCADE, related_name="media")
    asset = models.ForeignKey(MediaAsset, on_delete=models.PROTECT, related_name="uses")
    channel = models.ForeignKey(
        "channels.Channel", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.asset_id} @ {self.position}"
