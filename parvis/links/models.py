"""Short links served by Parvis, their clicks, and the link-in-bio page's entries.

A click keeps no personal data: no IP address, no user agent, no cookie; only
its time, the referring site's host name and whether it looked like a robot
(a link-preview fetcher such as facebookexternalhit or Slackbot, a crawler).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.core.tenancy import WorkspaceQuerySet


class ShortLinkKind(models.TextChoices):
    POST = "post", _("Post")
    BIO = "bio", _("Link in bio")


class ShortLink(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="short_links"
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    kind = models.CharField(max_length=8, choices=ShortLinkKind.choices, default=ShortLinkKind.POST)
    # Where people go: the original address with its UTM parameters.
    destination = models.URLField(_("destination"), max_length=2000)
    # The address as it was written in the post (or the bio link).
    original_url = models.URLField(_("address"), max_length=2000)
    # String references: links imports none of these apps (see the README's architecture).
    post = models.ForeignKey(
        "publishing.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.ForeignKey(
        "channels.Channel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    campaign = models.ForeignKey(
        "strategy.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One short link per post x channel x address: a delivery scheduled again,
            # retried or repeated reuses it.
            models.UniqueConstraint(
                fields=["post", "channel", "original_url"],
                condition=models.Q(kind="post"),
                name="one_short_link_per_post_channel_address",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def short_url(self) -> str:
        return short_url(self.code)


def short_url(code: str) -> str:
    """The address people see: ``PARVIS_SHORT_LINK_BASE_URL`` followed by the code."""
    return f"{settings.PARVIS_SHORT_LINK_BASE_URL}{code}"


class Click(models.Model):
    """One visit through a short link. Deliberately without IP address or user agent."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(ShortLink, on_delete=models.CASCADE, related_name="clicks")
    clicked_at = models.DateTimeField(_("time"))
    referrer_host = models.CharField(_("from"), max_length=200, blank=True)
    is_bot = models.BooleanField(_("robot or link preview"), default=False)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("click")
        verbose_name_plural = _("clicks")
        indexes = [
            models.Index(fields=["workspace", "clicked_at"], name="click_workspace_time"),
            models.Index(fields=["link", "clicked_at"], name="click_link_time"),
        ]

    def __str__(self) -> str:
        return f"{self.link_id} @ {self.clicked_at:%Y-%m-%d %H:%M}"


class BioLink(models.Model):
    """One entry of the workspace's public link-in-bio page, served through a short link."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="bio_links"
    )
    label = models.CharField(_("label"), max_length=120)
    url = models.URLField(_("address"), max_length=2000)
    position = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(_("hidden"), default=False)
    short_link = models.OneToOneField(ShortLink, on_delete=models.PROTECT, related_name="bio_link")

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("link in bio")
        verbose_name_plural = _("links in bio")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label
