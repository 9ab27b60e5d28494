"""People rather than targets: the person behind one or several network handles.

A ``Handle`` ties one inbox ``Author`` (one handle on one network) to one ``Person``;
merging people moves handles, separating one gives it a person of its own. The
figures on ``Person`` (counts, first and last seen, engagement score) are a summary
refreshed from the inbox by ``people.people_refresh``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parvis.core.tenancy import WorkspaceQuerySet
from parvis.inbox.threads import TeamNote


class PersonTag(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="person_tags"
    )
    name = models.CharField(_("name"), max_length=40)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_person_tag_name")
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    tags = models.ManyToManyField(PersonTag, blank=True, related_name="people")
    created_at = models.DateTimeField(auto_now_add=True)
    # The summary, refreshed from the inbox (people.people_refresh).
    first_seen_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    message_count = models.PositiveIntegerField(default=0)
    answered_count = models.PositiveIntegerField(default=0)
    score = models.PositiveSmallIntegerField(_("engagement score"), default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        ordering = ["-score", "-last_seen_at", "id"]
        indexes = [models.Index(fields=["workspace", "-score"], name="people_by_score")]

    def __str__(self) -> str:
        return self.name or str(_("Unnamed person"))


class Handle(models.Model):
    """One inbox author (a handle on one network) belonging to one person."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="handles")
    author = models.OneToOneField(
        "inbox.Author", on_delete=models.CASCADE, related_name="community_handle"
    )

    objects = WorkspaceQuerySet.as_manager()

    def __str__(self) -> str:
        return str(self.author)


class PersonNote(TeamNote):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notes")

    class Meta:
        ordering = ["-created_at", "-id"]


class Segment(models.Model):
    """A saved filter of the Community page (e.g. "ambassadors seen this month")."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="segments"
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_segment_name")
        ]

    def __str__(self) -> str:
        return self.name


class CommunityWatermark(models.Model):
    """How far the people's summaries have read the inbox: the newest message id counted."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    last_message_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"community of {self.workspace_id} up to message {self.last_message_id}"
