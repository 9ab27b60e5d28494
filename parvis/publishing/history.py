"""A post's history in plain words: who changed what, when, and what went out.

Built from the audit trail (every action writes one event) and the post's
revisions (what the text was after each change, for the differences).
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from parvis.core.audit import AuditEvent
from parvis.publishing.models import Post, PostRevision


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    what: str
    comment: str = ""
    url: str = ""
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    tone: str = "secondary"  # a Bootstrap colour: success, danger, warning...


def _when(value: str) -> str:
    moment = parse_datetime(value) if value else None
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _changed(names: list[str]) -> str:
    labels = {
        "text": _("the text"),
        "channels": _("the channels"),
        "time": _("the time"),
        "variants": _("the texts adapted per channel"),
        "thread": _("the thread"),
        "first_comment": _("the first comment"),
        "link": _("the link"),
    }
    return ", ".join(str(labels.get(n, n)) for n in names)


def _sentence(event: AuditEvent) -> tuple[str, str]:
    data = event.data or {}
    channel = data.get("channel", "")
    when = _when(data.get("at", ""))
    changed = _changed(data.get("changed", []))
    sentences = {
        "post.drafted": (_("wrote the post"), "secondary"),
        "post.edited": (_("changed %(what)s") % {"what": changed}, "secondary"),
        "post.submitted": (_("submitted it for review"), "info"),
        "post.approved": (_("approved it"), "success"),
        "post.changes_requested": (_("asked for changes"), "warning"),
        "post.scheduled": (_("scheduled it for %(when)s") % {"when": when}, "primary"),
        "post.rescheduled": (_("moved it to %(when)s") % {"when": when}, "primary"),
        "post.unscheduled": (_("took it back to draft"), "secondary"),
        "delivery.published": (_("Published on %(channel)s") % {"channel": channel}, "success"),
        "delivery.failed": (_("Not published on %(channel)s") % {"channel": channel}, "danger"),
        "delivery.needs_attention": (
            _("On hold for %(channel)s") % {"channel": channel},
            "warning",
        ),
    }
    return sentences.get(event.verb, (event.verb, "secondary"))


def _diff(before: str, after: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def history_of(post: Post) -> list[HistoryEntry]:
    """Newest first."""
    events = (
        AuditEvent.objects.filter(
            target_type=post._meta.label_lower, target_id=str(post.pk), workspace=post.workspace
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    revisions = list(PostRevision.objects.filter(post=post).order_by("created_at", "id"))
    texts = itertools.pairwise(revisions)
    entries = []
    for event in events:
        what, tone = _sentence(event)
        entry = HistoryEntry(
            at=event.created_at,
            who=event.actor.display_name if event.actor else "Parvis",
            what=what,
            comment=(event.data or {}).get("comment") or (event.data or {}).get("reason", ""),
            url=(event.data or {}).get("url", ""),
            tone=tone,
        )
        if event.verb == "post.edited":
            pair = next(texts, None)
            if pair and "text" in event.data.get("changed", []):
                entry.removed, entry.added = _diff(pair[0].text, pair[1].text)
        entries.append(entry)
    entries.reverse()
    return entries
