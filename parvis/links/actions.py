"""Writes about short links and the link-in-bio page: named, keyword-only.

``links_for_delivery`` is the seam publishing calls when it fixes what a delivery
sends: each address of the text and the link apart becomes that channel's short
link (one per post x channel x address, reused when the delivery is prepared
again, retried or repeated), carrying its UTM parameters.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from parvis.accounts.models import User, Workspace
from parvis.core.audit import audit
from parvis.links.models import BioLink, Click, ShortLink, ShortLinkKind
from parvis.links.tracking import Tracking, addresses_in, replace_addresses, with_utm

# Letters and digits people do not confuse (no 0/O, 1/l/I).
CODE_ALPHABET = "23456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 7


class LinkError(Exception):
    """A link change that cannot be made; the message is for the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _create_with_code(**fields) -> ShortLink:
    """A new short link; a code already taken (about 1 in 10^12) is drawn again."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return ShortLink.objects.create(code=new_code(), **fields)
        except IntegrityError:
            if ShortLink.objects.filter(**_identity(fields)).exists():
                raise
    raise RuntimeError("no free short-link code after 5 draws")


def _identity(fields: dict) -> dict:
    keys = ("post_id", "channel_id", "original_url")
    if fields.get("kind") != ShortLinkKind.POST:
        return {"pk": None}
    return {key: fields[key] for key in keys}


def shortlink_for_post(
    *,
    workspace: Workspace,
    post_id: int,
    channel_id: int,
    campaign_id: int | None,
    original_url: str,
    destination: str,
) -> ShortLink:
    """The short link of this address in this post on this channel, made once.
    A later call (rescheduled, retried, repeated) reuses it and follows a changed
    destination or campaign, so the code already sent keeps working."""
    identity = {"post_id": post_id, "channel_id": channel_id, "original_url": original_url}
    link = ShortLink.objects.filter(
        workspace=workspace, kind=ShortLinkKind.POST, **identity
    ).first()
    if link is None:
        try:
            return _create_with_code(
                workspace=workspace,
                kind=ShortLinkKind.POST,
                destination=destination,
                campaign_id=campaign_id,
                **identity,
            )
        except IntegrityError:  # made at the same moment by another worker
            link = ShortLink.objects.get(workspace=workspace, kind=ShortLinkKind.POST, **identity)
    if (link.destination, link.campaign_id) != (destination, campaign_id):
        link.destination, link.campaign_id = destination, campaign_id
        link.save(update_fields=["destination", "campaign_id"])
    return link


def links_for_delivery(
    *,
    workspace: Workspace,
    post_id: int,
    channel_id: int,
    campaign_id: int | None,
    text: str,
    link: str,
    tracking: Tracking,
) -> tuple[str, str]:
    """(text, link apart) with every address carrying ``tracking``'s UTM values and,
    unless shortening is off, replaced by its short link."""
    addresses = addresses_in(text)
    if link and link not in addresses:
        addresses.append(link)
    replacements = {}
    for address in addresses:
        destination = with_utm(address, tracking.utm)
        if tracking.shorten:
            replacements[address] = shortlink_for_post(
                workspace=workspace,
                post_id=post_id,
                channel_id=channel_id,
                campaign_id=campaign_id,
                original_url=address,
                destination=destination,
            ).short_url
        else:
            replacements[address] = destination
    return replace_addresses(text, replacements), replacements.get(link, link) if link else ""


def clicks_store(*, clicks: list[tuple[int, int, datetime, str, bool]]) -> int:
    """Store clicks (link id, workspace id, time, referrer host, robot?) in one
    statement, without building model instances (the redirect's batches come here):
    COPY on PostgreSQL (a sixth of the CPU of a multi-row INSERT: the server process
    that writes its batch pauses its redirects less), a multi-row INSERT elsewhere."""
    if not clicks:
        return 0
    table = connection.ops.quote_name(Click._meta.db_table)
    columns = "(link_id, workspace_id, clicked_at, referrer_host, is_bot)"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                for link_id, workspace_id, at, host, is_bot in clicks:
                    copy.write_row((link_id, workspace_id, at, host[:200], is_bot))
        else:
            adapt = connection.ops.adapt_datetimefield_value
            rows = [(ln, ws, adapt(at), host[:200], bot) for ln, ws, at, host, bot in clicks]
            cursor.executemany(f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s, %s)", rows)
    return len(clicks)


# --- Link in bio ------------------------------------------------------------


def _check_bio(label: str, url: str) -> str:
    label = label.strip()
    if not label:
        raise LinkError(_("Give the link a label people will read."), field="label")
    if not url.startswith(("https://", "http://")):
        raise LinkError(_("Write the full address, starting with https://."), field="url")
    return label


@transaction.atomic
def bio_link_create(*, workspace: Workspace, label: str, url: str, acting_user: User) -> BioLink:
    label = _check_bio(label, url)
    short = _create_with_code(
        workspace=workspace, kind=ShortLinkKind.BIO, original_url=url, destination=url
    )
    last = BioLink.objects.in_workspace(workspace).order_by("-position").first()
    bio = BioLink.objects.create(
        workspace=workspace,
        label=label,
        url=url,
        position=(last.position + 1) if last else 0,
        short_link=short,
    )
    audit(verb="bio_link.created", workspace=workspace, actor=acting_user, target=bio)
    return bio


@transaction.atomic
def bio_link_update(
    *, bio_link: BioLink, label: str, url: str, hidden: bool, acting_user: User
) -> BioLink:
    """Change a bio link; its short link keeps its code and follows the new address."""
    bio_link.label, bio_link.url, bio_link.hidden = _check_bio(label, url), url, hidden
    bio_link.save(update_fields=["label", "url", "hidden"])
    short = bio_link.short_link
    short.original_url = short.destination = url
    short.save(update_fields=["original_url", "destination"])
    audit(verb="bio_link.edited", workspace=bio_link.workspace, actor=acting_user, target=bio_link)
    return bio_link


@transaction.atomic
def bio_link_move(*, bio_link: BioLink, up: bool, acting_user: User) -> None:
    """Swap the link with the one above (``up``) or below it."""
    links = list(BioLink.objects.in_workspace(bio_link.workspace).select_for_update())
    index = next(i for i, link in enumerate(links) if link.pk == bio_link.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(links):
        return
    links[index], links[other] = links[other], links[index]
    for position, link in enumerate(links):
        if link.position != position:
            link.position = position
            link.save(update_fields=["position"])
    audit(verb="bio_link.moved", workspace=bio_link.workspace, actor=acting_user, target=bio_link)


@transaction.atomic
def bio_link_delete(*, bio_link: BioLink, acting_user: User) -> None:
    """Remove the entry; its short link stays (printed or shared copies still work)."""
    audit(
        verb="bio_link.deleted",
        workspace=bio_link.workspace,
        actor=acting_user,
        label=bio_link.label,
    )
    bio_link.delete()
