"""Saved replies: answers written once, with placeholders filled for each conversation.

Placeholders are names in braces: ``{first_name}``, ``{name}`` and ``{handle}`` (the
person answered), ``{channel}`` (the brand's page or account) and ``{me}`` (the
member answering). A saved reply naming another placeholder is refused when saved.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parvis.accounts.models import User, Workspace
from parvis.core.audit import audit
from parvis.inbox.threads import Conversation, SavedReply
from parvis.inbox.work import InboxError

PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLACEHOLDERS: dict[str, Promise] = {
    "first_name": gettext_lazy("the first name of the person answered"),
    "name": gettext_lazy("their full name"),
    "handle": gettext_lazy("their handle, e.g. @lea.fontaine"),
    "channel": gettext_lazy("the brand's page or account"),
    "me": gettext_lazy("your first name"),
}


def saved_replies_of(*, workspace: Workspace) -> QuerySet[SavedReply]:
    return SavedReply.objects.in_workspace(workspace)


def placeholder_values(*, conversation: Conversation, user: User) -> dict[str, str]:
    author = conversation.author
    name = (author.name or author.handle) if author else ""
    return {
        "first_name": name.split()[0] if name else "",
        "name": name,
        "handle": author.handle if author else "",
        "channel": conversation.channel.name,
        "me": user.display_name.split()[0] if user.display_name else "",
    }


def saved_reply_render(text: str, values: dict[str, str]) -> str:
    """The text with its placeholders filled (an empty value leaves no double space)."""
    filled = PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), text)
    return re.sub(r"[ \t]{2,}", " ", filled).replace(" ,", ",").strip()


@transaction.atomic
def saved_reply_save(
    *, workspace: Workspace, name: str, text: str, acting_user: User
) -> SavedReply:
    name, text = " ".join(name.split()), text.strip()
    if not name or not text:
        raise InboxError(_("Give the saved reply a name and a text."))
    unknown = sorted({m[1] for m in PLACEHOLDER.finditer(text)} - set(PLACEHOLDERS))
    if unknown:
        raise InboxError(
            _("Unknown placeholder %(names)s: use %(known)s.")
            % {
                "names": ", ".join(f"{{{n}}}" for n in unknown),
                "known": ", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
            }
        )
    try:
        with transaction.atomic():
            saved = SavedReply.objects.create(
                workspace=workspace, name=name, text=text, created_by=acting_user
            )
    except IntegrityError:
        raise InboxError(
            _("A saved reply is already called “%(name)s”: choose another name.") % {"name": name}
        ) from None
    audit(verb="inbox.saved_reply_added", workspace=workspace, actor=acting_user, target=saved)
    return saved


@transaction.atomic
def saved_reply_delete(*, saved: SavedReply, acting_user: User) -> None:
    audit(
        verb="inbox.saved_reply_deleted", workspace=saved.workspace, actor=acting_user, target=saved
    )
    saved.delete()
