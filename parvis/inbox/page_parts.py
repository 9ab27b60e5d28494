"""What the inbox pages print many times, computed once per page.

A list page has 50 rows and a conversation up to 100 messages: the template
language costs tens of microseconds per tag, so what rows share (a triage's
badges, an address that differs only by an id) is rendered once and reused.
"""

from __future__ import annotations

from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from parvis.inbox.threads import Conversation, Message

TRIAGED = ("intent", "sentiment", "language")  # the order of their badges


def address_start(name: str, *, last: dict[str, object], **kwargs: object) -> str:
    """The address ``name`` cut before its last parts, given placeholder values in
    ``last`` (``{"message_id": 0}``): rows' addresses differ only there, added as text."""
    address = reverse(name, kwargs={**kwargs, **last})
    tail = "".join(f"{value}/" for value in last.values())
    if not address.endswith(tail):
        raise ValueError(f"The address {name} does not end with {tail}.")
    return address.removesuffix(tail)


class Badges:
    """The kind and triage badges (``_triage.html``), each rendered once per value."""

    def __init__(self) -> None:
        self.triage = get_template("inbox/_triage.html")
        self.rendered: dict[tuple[str, str], SafeString] = {}

    def of_conversation(self, conversation: Conversation) -> SafeString:
        parts = [self._badge("kind", conversation.kind)]
        parts += [self._badge(name, getattr(conversation, name)) for name in TRIAGED]
        return SafeString("\n".join(part for part in parts if part))

    def of_message(self, message: Message) -> SafeString:
        parts = [self._badge(name, getattr(message, name)) for name in TRIAGED]
        return SafeString("\n".join(part for part in parts if part))

    def _badge(self, name: str, value: str) -> SafeString:
        if (name, value) not in self.rendered:
            alone = Conversation(**{name: value})  # a row with this value only
            if name == "kind":
                badge = format_html(
                    '<span class="badge text-bg-light border">{}</span>', alone.get_kind_display()
                )
            else:
                badge = SafeString(self.triage.render({"item": alone}).strip())
            self.rendered[name, value] = badge
        return self.rendered[name, value]


def dress_thread(items: list) -> None:
    """Give each message received its triage badges (``badges``), rendered once per value."""
    badges = Badges()
    for item in items:
        if isinstance(item, Message):
            item.badges = badges.of_message(item)
