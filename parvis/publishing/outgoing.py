"""What a delivery sends on its channel: the channel's text and the post's link,
placed where the channel's network wants a link.

- A network that shows links as a card beside the text (Facebook, LinkedIn)
  receives the link apart (``PublishRequest.link``).
- Before that, each address of the text and the link is tracked (``tracked``):
  UTM parameters added (source = the network, or the one a Sandbox channel
  imitates; medium = social; campaign = the post's campaign as a slug) and the
  address replaced by the channel's short link, unless the post turns these off.
- A network whose captions make no link clickable (Instagram) does not get it:
  the composer says so.
- Everywhere else the link goes at the end of the text, unless the text already
  has it, and counts as that network counts links.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.text import slugify

from parvis.links.actions import links_for_delivery
from parvis.links.tracking import Tracking
from parvis.networks import registry

if TYPE_CHECKING:
    from parvis.channels.models import Channel
    from parvis.publishing.models import Post


def text_and_link(*, text: str, link: str, channel: Channel) -> tuple[str, str]:
    """(text, link apart) as they go to ``channel``'s network."""
    link = link.strip()
    if not link:
        return text, ""
    capabilities = registry.get(channel.network).capabilities
    if capabilities.link_card:
        return text, link
    if not capabilities.links or link in text:
        return text, ""
    return f"{text.rstrip()}\n\n{link}", ""


def link_left_out(*, link: str, channel: Channel) -> bool:
    """True where the post's link is not sent because the network would not make it
    clickable (e.g. an Instagram caption)."""
    return bool(link.strip()) and not registry.get(channel.network).capabilities.links


def utm_source_of(channel: Channel) -> str:
    """The network's name as utm_source: "x", "facebook"; a Sandbox channel's is
    the network it imitates."""
    network = registry.get(channel.network)
    return network.display.family or channel.network


def tracking_for(*, post: Post, channel: Channel) -> Tracking:
    """What the post's links carry on ``channel``, from the post's choices."""
    if not post.utm_enabled:
        return Tracking(shorten=post.shorten_links)
    campaign = post.utm_campaign.strip()
    if not campaign and post.campaign_id is not None:
        campaign = slugify(post.campaign.name)
    return Tracking(
        source=post.utm_source.strip() or utm_source_of(channel),
        medium=post.utm_medium.strip(),
        campaign=campaign,
        shorten=post.shorten_links,
    )


def tracked(*, post: Post, channel: Channel, text: str, link: str) -> tuple[str, str]:
    """(text, link) as they go out on ``channel``: every address with its UTM values
    and, unless turned off, replaced by its short link (one per post x channel x
    address, reused when the delivery is prepared again)."""
    sent_text, sent_link = links_for_delivery(
        workspace=post.workspace,
        post_id=post.pk,
        channel_id=channel.pk,
        campaign_id=post.campaign_id,
        text=text,
        link=link.strip(),
        tracking=tracking_for(post=post, channel=channel),
    )
    if _longer_than_allowed(sent_text, text, channel):
        return text, link  # the composer checked the text as written: send it so
    return sent_text, sent_link


def _longer_than_allowed(sent: str, written: str, channel: Channel) -> bool:
    """True where the network counts links as written and the tracked text passes
    its limit when the text as written did not (a short address made longer)."""
    rules = registry.get(channel.network).text_rules
    if rules.url_length is not None or rules.counting != "characters":
        return False
    return len(sent) > rules.max_length >= len(written)
