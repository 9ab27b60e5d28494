"""Saved snippets and hashtag groups: what the composer inserts at the cursor.

A snippet is any saved text; a hashtag group is a list of hashtags separated by
spaces or line breaks, each checked with the text rules' own hashtag validator.
The writes are named actions with an audit row; the reads are scoped to a workspace.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from parvis.accounts.actions import workspace_lock
from parvis.accounts.models import User, Workspace
from parvis.core.audit import audit
from parvis.networks import registry
from parvis.networks.textrules.extract import is_valid_hashtag
from parvis.publishing.actions import PublishingError
from parvis.publishing.models import Snippet, SnippetKind

MAX_TEXT_LENGTH = 5_000


class SnippetError(PublishingError):
    """The snippet cannot be saved as it is; ``field`` says which input is wrong."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class HashtagLimit:
    network: str  # the real network's name, e.g. "Instagram"
    limit: int


# --- reads -------------------------------------------------------------------


def snippets_of(*, workspace: Workspace, kind: str | None = None) -> list[Snippet]:
    snippets = Snippet.objects.in_workspace(workspace)
    if kind is not None:
        snippets = snippets.filter(kind=kind)
    return list(snippets.order_by("kind", "name"))


def snippet_of_or_404(*, workspace: Workspace, snippet_id: int) -> Snippet:
    return get_object_or_404(Snippet.objects.in_workspace(workspace), pk=snippet_id)


def hashtag_limits() -> list[HashtagLimit]:
    """The networks that cap hashtags per post, by their real name, lowest cap first."""
    limits: dict[str, int] = {}
    for network in registry.all_networks():
        cap = network.text_rules.max_hashtags
        if cap is not None:
            name = network.display.label or str(network.name)
            limits[name] = min(cap, limits.get(name, cap))
    return sorted((HashtagLimit(n, c) for n, c in limits.items()), key=lambda h: h.limit)


def limits_exceeded(*, snippet: Snippet) -> list[HashtagLimit]:
    """The hashtag caps a group breaks on its own (e.g. more than Instagram's 30)."""
    count = len(snippet.hashtags)
    return [h for h in hashtag_limits() if count > h.limit]


# --- validation ----------------------------------------------------------------


def _clean_hashtags(text: str) -> str:
    tags = text.split()
    if not tags:
        raise SnippetError(_("Write at least one hashtag, e.g. #bakery."), field="text")
    seen: dict[str, str] = {}
    for tag in tags:
        if not is_valid_hashtag(tag):
            raise SnippetError(
                _(
                    "“%(tag)s” is not a hashtag: write # then letters, digits or _ (at least "
                    "one letter), without spaces or punctuation."
                )
                % {"tag": tag},
                field="text",
            )
        if tag.casefold() in seen:
            raise SnippetError(
                _("%(tag)s is in the group twice: keep it once.") % {"tag": tag}, field="text"
            )
        seen[tag.casefold()] = tag
    return " ".join(tags)


def _clean(
    *, workspace: Workspace, kind: str, name: str, text: str, pk: int | None
) -> tuple[str, str]:
    name = " ".join(name.split())
    if kind not in SnippetKind.values:
        raise SnippetError(_("Choose a snippet or a hashtag group."), field="kind")
    if not name:
        raise SnippetError(_("Give it a name."), field="name")
    if len(name) > 80:
        raise SnippetError(_("A name has at most 80 characters."), field="name")
    workspace_lock(workspace=workspace)  # a name saved at the same moment is seen
    # Compared in Python: SQLite's case-insensitive match ignores accents' case (É, é).
    others = Snippet.objects.in_workspace(workspace).filter(kind=kind).exclude(pk=pk)
    if name.casefold() in {n.casefold() for n in others.values_list("name", flat=True)}:
        raise SnippetError(
            _("“%(name)s” is already taken: choose another name.") % {"name": name}, field="name"
        )
    if kind == SnippetKind.HASHTAGS:
        text = _clean_hashtags(text)
    else:
        text = text.strip()
        if not text:
            raise SnippetError(_("Write the snippet's text."), field="text")
    if len(text) > MAX_TEXT_LENGTH:
        raise SnippetError(
            _("The text has at most %(max)d characters.") % {"max": MAX_TEXT_LENGTH}, field="text"
        )
    return name, text


# --- writes ------------------------------------------------------------------


@transaction.atomic
def snippet_create(
    *, workspace: Workspace, kind: str, name: str, text: str, acting_user: User | None
) -> Snippet:
    name, text = _clean(workspace=workspace, kind=kind, name=name, text=text, pk=None)
    snippet = Snippet.objects.create(
        workspace=workspace, kind=kind, name=name, text=text, created_by=acting_user
    )
    audit(verb="snippet.created", workspace=workspace, actor=acting_user, target=snippet, kind=kind)
    return snippet


@transaction.atomic
def snippet_update(*, snippet: Snippet, name: str, text: str, acting_user: User | None) -> Snippet:
    name, text = _clean(
        workspace=snippet.workspace, kind=snippet.kind, name=name, text=text, pk=snippet.pk
    )
    snippet.name, snippet.text = name, text
    snippet.save(update_fields=["name", "text", "updated_at"])
    audit(
        verb="snippet.updated",
        workspace=snippet.workspace,
        actor=acting_user,
        target=snippet,
        kind=snippet.kind,
    )
    return snippet


@transaction.atomic
def snippet_delete(*, snippet: Snippet, acting_user: User | None) -> None:
    audit(
        verb="snippet.deleted",
        workspace=snippet.workspace,
        actor=acting_user,
        target=snippet,
        kind=snippet.kind,
    )
    snippet.delete()
