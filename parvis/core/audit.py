"""The audit trail: who did what, to what, when. Written by actions only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One named action, e.g. ``channel.connected``, in one workspace (or none)."""

    workspace = models.ForeignKey(
        "accounts.Workspace", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        app_label = "core"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_label}".strip()


def audit(
    *,
    verb: str,
    workspace: Any = None,
    actor: Any = None,
    target: models.Model | None = None,
    **data: Any,
) -> AuditEvent:
    """Record one action. Call it inside the action's transaction."""
    return AuditEvent.objects.create(**_fields(verb, workspace, actor, target, data))


def audit_many(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Record several actions in one insert; each dict has ``audit``'s arguments."""
    rows = []
    for event in events:
        event = dict(event)
        verb, workspace = event.pop("verb"), event.pop("workspace", None)
        actor, target = event.pop("actor", None), event.pop("target", None)
        rows.append(AuditEvent(**_fields(verb, workspace, actor, target, event)))
    return AuditEvent.objects.bulk_create(rows)


def _fields(verb: str, workspace: Any, actor: Any, target: Any, data: dict) -> dict[str, Any]:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return dict(
        workspace=workspace,
        actor=actor,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        data=data,
    )
