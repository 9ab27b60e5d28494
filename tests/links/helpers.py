"""Short links and clicks made directly, for page and selector tests."""

from __future__ import annotations

from datetime import datetime

from parvis.links.actions import clicks_store, shortlink_for_post
from parvis.links.models import ShortLink


def post_link(workspace, *, post, channel, url="https://lamiedoree.fr/galettes") -> ShortLink:
    return shortlink_for_post(
        workspace=workspace,
        post_id=post.pk,
        channel_id=channel.pk,
        campaign_id=post.campaign_id,
        original_url=url,
        destination=url + "?utm_medium=social",
    )


def click(link: ShortLink, at: datetime, *, times: int = 1, bot: bool = False) -> None:
    clicks_store(clicks=[(link.pk, link.workspace_id, at, "", bot)] * times)
