"""The team's work on conversations: answer, status, assignment, tags, notes, moderation.

Named atomic actions (ARCHITECTURE section 4). An answer is not sent here: a
``Reply`` row is committed and the runner sends it exactly once (``replying``).
Hiding, deleting and liking are repeatable, so they call the network at once and
say plainly what failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from asgiref.sync import async_to_sync
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.models import User, Workspace
from parvis.accounts.selectors import membership_of
from parvis.channels.selectors import channel_ref
from parvis.core.audit import audit
from parvis.core.commits import commit_without_waiting_for_disk
from parvis.inbox.models import Reply
from parvis.inbox.threads import (
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    Note,
    Presence,
    Tag,
)
from parvis.networks import registry
from parvis.networks.base import ChannelRef, Network, NetworkError

MAX_TAGS = 10
TAG_LENGTH = 40


class InboxError(Exception):
    """A request the inbox refuses, with the reason people read."""


def network_of(conversation: Conversation) -> Network:
    return registry.get(conversation.channel.network)


def reply_target(conversation: Conversation) -> Message | None:
    """What an answer answers by default: the latest message received."""
    return (
        conversation.messages.filter(direction=Direction.IN, deleted_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def reply_write(
    *, conversation: Conversation, text: str, acting_user: User, to: Message | None = None
) -> Reply:
    """Commit an answer for the runner to send (it appears as pending until sent)."""
    network = network_of(conversation)
    if not network.capabilities.reply:
        raise InboxError(_("%(network)s does not let Parvis answer.") % {"network": network.name})
    text = text.strip()
    if not text:
        raise InboxError(_("Write the answer before sending it."))
    measure = network.measure_text(text)
    if measure.length > measure.limit:
        raise InboxError(
            _("The answer is %(length)d characters long; %(network)s takes %(limit)d at most.")
            % {"length": measure.length, "network": network.name, "limit": measure.limit}
        )
    to = to or reply_target(conversation)
    if to is None or to.conversation_id != conversation.pk:
        raise InboxError(_("There is no message to answer in this conversation."))
    reply = Reply.objects.create(
        workspace=conversation.workspace,
        conversation=conversation,
        channel=conversation.channel,
        in_reply_to=to,
        text=text,
        created_by=acting_user,
    )
    Presence.objects.filter(conversation=conversation, user=acting_user).update(typing_at=None)
    audit(
        verb="inbox.reply_written",
        workspace=conversation.workspace,
        actor=acting_user,
        target=reply,
    )
    return reply


def _locked(workspace: Workspace, ids: Iterable[int]) -> list[Conversation]:
    return list(
        Conversation.objects.in_workspace(workspace).select_for_update().filter(pk__in=list(ids))
    )


@transaction.atomic
def conversations_set_status(
    *, workspace: Workspace, ids: Iterable[int], status: str, acting_user: User
) -> int:
    if status not in ConversationStatus.values:
        raise InboxError(_("Choose open, pending or done."))
    rows = _locked(workspace, ids)
    for conversation in rows:
        conversation.status = status
        conversation.save(update_fields=["status"])
        audit(verb=f"inbox.{status}", workspace=workspace, actor=acting_user, target=conversation)
    return len(rows)


@transaction.atomic
def conversations_assign(
    *, workspace: Workspace, ids: Iterable[int], assignee: User | None, acting_user: User
) -> int:
    """Give conversations to a member (or to nobody)."""
    if assignee is not None and membership_of(user=assignee, workspace=workspace) is None:
        raise InboxError(_("Only a member of this workspace can be given a conversation."))
    rows = _locked(workspace, ids)
    for conversation in rows:
        conversation.assignee = assignee
        conversation.save(update_fields=["assignee"])
        audit(
            verb="inbox.assigned",
            workspace=workspace,
            actor=acting_user,
            target=conversation,
            assignee=assignee.pk if assignee else None,
        )
    return len(rows)


def _tag_names(raw: str) -> list[str]:
    names = []
    for part in raw.split(","):
        name = " ".join(part.split()).lower()[:TAG_LENGTH]
        if name and name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise InboxError(_("A conversation takes %(count)d tags at most.") % {"count": MAX_TAGS})
    return names


@transaction.atomic
def conversation_set_tags(*, conversation: Conversation, raw: str, acting_user: User) -> list[Tag]:
    """The conversation's tags, from a comma-separated list (new names become tags)."""
    names = _tag_names(raw)
    workspace = conversation.workspace
    Tag.objects.bulk_create(
        [Tag(workspace=workspace, name=name) for name in names], ignore_conflicts=True
    )
    tags = list(Tag.objects.in_workspace(workspace).filter(name__in=names))
    conversation.tags.set(tags)
    audit(
        verb="inbox.tagged", workspace=workspace, actor=acting_user, target=conversation, tags=names
    )
    return tags


@transaction.atomic
def note_add(*, conversation: Conversation, text: str, acting_user: User) -> Note:
    text = text.strip()
    if not text:
        raise InboxError(_("Write the note before adding it."))
    note = Note.objects.create(
        workspace=conversation.workspace, conversation=conversation, author=acting_user, text=text
    )
    audit(verb="inbox.noted", workspace=conversation.workspace, actor=acting_user, target=note)
    return note


def _call(message: Message, call) -> None:
    """Make a moderation call now; a refusal becomes an InboxError with its reason."""

    async def run(ref: ChannelRef) -> None:
        await call(ref)

    try:
        async_to_sync(run)(channel_ref(channel=message.channel))
    except NetworkError as error:
        raise InboxError(
            _("%(network)s refused: %(reason)s")
            % {"network": network_of(message.conversation).name, "reason": error.user_message}
        ) from error
    except ValueError as error:  # a token Parvis cannot decrypt
        raise InboxError(_("Parvis cannot read this channel's access: reconnect it.")) from error


def can_hide(message: Message) -> bool:
    network = network_of(message.conversation)
    return (
        network.capabilities.hide_comments
        and message.direction == Direction.IN
        and message.conversation.kind == "comments"
        and message.deleted_at is None
    )


def can_delete(message: Message) -> bool:
    """The brand's own answers where the network deletes; others' comments where it
    lets the page owner moderate them (the networks that hide comments)."""
    if message.deleted_at is not None:
        return False
    capabilities = network_of(message.conversation).capabilities
    if message.direction == Direction.OUT:
        return capabilities.delete
    return capabilities.hide_comments and message.conversation.kind == "comments"


def _moderate(message: Message, call, *, field: str, value: bool, verb: str, user: User) -> Message:
    """Make the network call, then remember its effect on the message (one field)."""
    _call(message, call)
    setattr(message, field, value)
    message.save(update_fields=[field])
    audit(verb=verb, workspace=message.workspace, actor=user, target=message)
    return message


def message_hide(*, message: Message, hidden: bool, acting_user: User) -> Message:
    if not can_hide(message):
        raise InboxError(_("This message cannot be hidden on its network."))
    network = network_of(message.conversation)
    return _moderate(
        message,
        lambda ref: network.hide_interaction(ref, message.remote_id, hidden=hidden),
        field="hidden",
        value=hidden,
        verb="inbox.hidden" if hidden else "inbox.shown",
        user=acting_user,
    )


def can_like(message: Message) -> bool:
    """A message someone sent, still there, where the network lets the account like it."""
    return (
        network_of(message.conversation).capabilities.like
        and message.direction == Direction.IN
        and message.deleted_at is None
    )


def message_like(*, message: Message, liked: bool, acting_user: User) -> Message:
    """Like (or unlike) a received message as the channel's account."""
    if not can_like(message):
        raise InboxError(_("This message cannot be liked on its network."))
    network = network_of(message.conversation)
    return _moderate(
        message,
        lambda ref: network.like_interaction(ref, message.remote_id, liked=liked),
        field="liked",
        value=liked,
        verb="inbox.liked" if liked else "inbox.unliked",
        user=acting_user,
    )


def message_delete(*, message: Message, acting_user: User) -> Message:
    if not can_delete(message):
        raise InboxError(_("This message cannot be deleted on its network."))
    network = network_of(message.conversation)
    _call(message, lambda ref: network.delete_interaction(ref, message.remote_id))
    message.deleted_at = timezone.now()
    message.save(update_fields=["deleted_at"])
    audit(verb="inbox.deleted", workspace=message.workspace, actor=acting_user, target=message)
    return message


PRESENCE_FRESH = timedelta(seconds=40)  # the page reports every 15 s
TYPING_FRESH = timedelta(seconds=20)


def presence_touch(*, conversation: Conversation, user: User, typing: bool = False) -> None:
    """This member has the conversation open (and is typing an answer)."""
    now = timezone.now()
    with transaction.atomic():
        # Who is looking is refreshed every 15 s: a presence lost in a crash is harmless,
        # so its commit need not wait for the disk (every page view pays it).
        commit_without_waiting_for_disk()
        # One upsert, not a read, lock and write of the row.
        Presence.objects.bulk_create(
            [
                Presence(
                    conversation=conversation,
                    user=user,
                    seen_at=now,
                    typing_at=now if typing else None,
                )
            ],
            update_conflicts=True,
            unique_fields=["conversation", "user"],
            update_fields=["seen_at", "typing_at"] if typing else ["seen_at"],
        )
