"""The media library's writes and reads: upload, describe, delete; media in posts.

Files live in the default storage (``MEDIA_ROOT``: ``PARVIS_DATA_DIR/media``), one
folder per workspace with random names, and are served only through the workspace's
own views. An image or video cannot be deleted while a post that has not gone out
uses it; once every use is published, deleting it takes it off those posts' pages
(the networks keep their own copies).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parvis.accounts.models import User, Workspace
from parvis.channels.selectors import channel_label
from parvis.core.audit import audit
from parvis.networks.base import MediaItem
from parvis.publishing.media_models import MediaAsset, PostMedia
from parvis.publishing.public_media import public_media_url

MAX_ALT_TEXT = 5000  # more than any network takes (LinkedIn: 4,086): each checks its own


class MediaRejected(Exception):
    """A file or description the library cannot take; the message says why, for people."""


class MediaInUse(Exception):
    """The asset is used by posts that have not gone out; the message lists them."""


@dataclass
class MediaChoice:
    """A post's media as chosen in the composer: shared, and per channel."""

    shared: list[MediaAsset] = field(default_factory=list)
    own: dict[int, list[MediaAsset]] = field(default_factory=dict)  # channel id -> its media

    def for_channel(self, channel_id: int) -> list[MediaAsset]:
        return self.own.get(channel_id, self.shared)

    def key(self) -> tuple:
        return (
            [a.pk for a in self.shared],
            sorted((pk, [a.pk for a in assets]) for pk, assets in self.own.items()),
        )


# --- Reads -----------------------------------------------------------------------


def media_of(*, workspace: Workspace) -> QuerySet[MediaAsset]:
    return MediaAsset.objects.in_workspace(workspace).select_related("uploaded_by")


def media_asset_or_404(*, workspace: Workspace, asset_id: int) -> MediaAsset:
    return get_object_or_404(MediaAsset.objects.in_workspace(workspace), pk=asset_id)


def media_by_ids(*, workspace: Workspace, ids: Iterable[int]) -> list[MediaAsset]:
    """The workspace's assets with these ids, in the given order (others left out)."""
    ids = list(ids)
    found = MediaAsset.objects.in_workspace(workspace).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def post_media_choice(*, post) -> MediaChoice:
    links = list(post.media.select_related("asset"))
    choice = MediaChoice(shared=[link.asset for link in links if link.channel_id is None])
    for channel_id in post.own_media_channels:
        choice.own[channel_id] = [link.asset for link in links if link.channel_id == channel_id]
    return choice


def post_own_media(*, post) -> list[tuple[str, list[MediaAsset]]]:
    """The channels with their own media, by label, for the post's page."""
    choice = post_media_choice(post=post)
    channels = {c.pk: c for c in post.channels.all()}
    return [
        (f"{channels[pk].name} · {channel_label(channels[pk])}", assets)
        for pk, assets in choice.own.items()
        if pk in channels
    ]


def media_items(
    assets: Sequence[MediaAsset], *, public_urls: bool = False
) -> tuple[MediaItem, ...]:
    """What networks are given. ``public_urls``: with a signed, expiring address Parvis
    serves (for networks that fetch media themselves, like Instagram)."""
    if not public_urls:
        return tuple(asset.as_item() for asset in assets)
    return tuple(replace(asset.as_item(), url=public_media_url(asset)) for asset in assets)


# --- Writes ----------------------------------------------------------------------


@transaction.atomic
def media_set_alt(*, asset: MediaAsset, alt_text: str, acting_user: User) -> MediaAsset:
    alt_text = alt_text.strip()
    if len(alt_text) > MAX_ALT_TEXT:
        raise MediaRejected(
            _("A description has at most %(max)d characters: shorten it.") % {"max": MAX_ALT_TEXT}
        )
    if alt_text != asset.alt_text:
        asset.alt_text = alt_text
        asset.save(update_fields=["alt_text"])
        audit(verb="media.described", workspace=asset.workspace, actor=acting_user, target=asset)
    return asset


def _unpublished_uses(asset: MediaAsset) -> list:
    posts = {link.post for link in asset.uses.select_related("post")}
    return sorted((p for p in posts if p.status != "published"), key=lambda p: p.pk)


@transaction.atomic
def media_delete(*, asset: MediaAsset, acting_user: User) -> None:
    """Delete an image or video, unless a post that has not gone out uses it."""
    waiting = _unpublished_uses(asset)
    if waiting:
        titles = ", ".join(f"« {p} »" for p in waiting[:3])
        raise MediaInUse(
            ngettext(
                "%(count)d post that has not gone out uses this file (%(titles)s): "
                "remove it from that post first.",
                "%(count)d posts that have not gone out use this file (%(titles)s): "
                "remove it from those posts first.",
                len(waiting),
            )
            % {"count": len(waiting), "titles": titles}
        )
    name, workspace = asset.original_name, asset.workspace
    asset.uses.all().delete()  # published posts: the networks keep their own copies
    files = [f for f in (asset.file, asset.thumbnail) if f]
    storage_names = [(f.storage, f.name) for f in files]
    asset.delete()
    audit(verb="media.deleted", workspace=workspace, actor=acting_user, name=name)

    def remove_files() -> None:
        for storage, file_name in storage_names:
            storage.delete(file_name)

    transaction.on_commit(remove_files)


def post_set_media(*, post, choice: MediaChoice, channel_ids: Iterable[int]) -> bool:
    """Give the post these media (shared, and per chosen channel); True if anything changed.

    Runs inside the calling action's transaction."""
    chosen = set(channel_ids)
    own = {pk: assets for pk, assets in choice.own.items() if pk in chosen}
    if post_media_choice(post=post).key() == MediaChoice(choice.shared, own).key():
        return False
    post.media.all().delete()
    rows = [PostMedia(post=post, asset=a, position=i) for i, a in enumerate(choice.shared)]
    for channel_id, assets in own.items():
        rows += [
            PostMedia(post=post, asset=a, channel_id=channel_id, position=i)
            for i, a in enumerate(assets)
        ]
    PostMedia.objects.bulk_create(rows)
    post.own_media_channels = sorted(own)
    post.save(update_fields=["own_media_channels", "updated_at"])
    return True


def media_set_alts(*, workspace: Workspace, alts: dict[int, str], acting_user: User) -> None:
    """The descriptions typed in the composer, for the workspace's own assets."""
    for asset in media_by_ids(workspace=workspace, ids=alts):
        media_set_alt(asset=asset, alt_text=alts[asset.pk], acting_user=acting_user)
