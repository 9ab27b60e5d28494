"""The inbox list's rows, prepared for a light template.

A page shows 50 conversations; rendered with the full template language each row
cost about a millisecond (an include, a dozen translations, filters, a reversed
address). Here each row is plain text read once, and what many rows share (the
badges of a kind and a triage, a priority's reasons, the conversation address) is
rendered or translated once per page and reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parvis.inbox.page_parts import Badges, address_start
from parvis.inbox.responsiveness import is_overdue
from parvis.inbox.threads import Conversation, ConversationStatus


@dataclass(frozen=True)
class InboxRow:
    """What one row of the list shows, ready to print."""

    pk: int
    url: str
    who: str
    priority: str  # its reasons, joined ("" when it is not a priority)
    badges: SafeString  # the kind and triage badges
    channel: str
    overdue: str  # "Overdue: waiting 3 hours", or ""
    status: str  # the status when not open, else ""
    tags: SafeString  # their badges
    assignee: str
    at: str
    preview: str
    count: str  # "12 messages", or "" for a single message


class _Shared:
    """What rows have in common, computed at most once per page."""

    def __init__(self, workspace_slug: str) -> None:
        self.url_start = address_start(
            "inbox:conversation", last={"conversation_id": 0}, workspace=workspace_slug
        )
        self.badges = Badges()
        self.reasons: dict[int, str] = {}
        self.statuses = {value: str(label) for value, label in ConversationStatus.choices}

    def reasons_of(self, conversation: Conversation) -> str:
        if conversation.priority not in self.reasons:
            self.reasons[conversation.priority] = " · ".join(conversation.priority_reasons())
        return self.reasons[conversation.priority]


def _who(conversation: Conversation) -> str:
    if conversation.author is not None:
        return conversation.author.name or conversation.author.handle
    return conversation.channel.name


def _overdue(conversation: Conversation, overdue_before: datetime) -> str:
    if not is_overdue(conversation, cutoff=overdue_before):
        return ""
    return _("Overdue: waiting %(waited)s") % {"waited": timesince(conversation.awaiting_since)}


def _tag_names(conversation: Conversation) -> list[tuple[str]]:
    return [(tag.name,) for tag in conversation.tags.all()]


def _count(conversation: Conversation) -> str:
    count = conversation.message_count
    if count <= 1:
        return ""
    return ngettext("%(count)s message", "%(count)s messages", count) % {"count": count}


def inbox_rows(
    conversations: list[Conversation], *, workspace_slug: str, overdue_before: datetime
) -> list[InboxRow]:
    """The rows of one page of the list, in its order."""
    shared = _Shared(workspace_slug)
    return [
        InboxRow(
            pk=conversation.pk,
            url=f"{shared.url_start}{conversation.pk}/",
            who=_who(conversation),
            priority=shared.reasons_of(conversation) if conversation.priority else "",
            badges=shared.badges.of_conversation(conversation),
            channel=conversation.channel.name,
            overdue=_overdue(conversation, overdue_before),
            status=""
            if conversation.status == ConversationStatus.OPEN
            else shared.statuses.get(conversation.status, conversation.status),
            tags=format_html_join(
                "", '<span class="badge text-bg-info">{}</span>', _tag_names(conversation)
            ),
            assignee=conversation.assignee.display_name if conversation.assignee else "",
            at=formats.date_format(
                timezone.localtime(conversation.last_message_at), "SHORT_DATETIME_FORMAT"
            ),
            preview=conversation.preview,
            count=_count(conversation),
        )
        for conversation in conversations
    ]
