"""What a delivery sends on its channel: the channel's text and the post's link,
placed where the channel's network wants a link.

- A network that shows links as a card beside the text (Facebook, LinkedIn)
  receives the link apart (``PublishRequest.link``).
- A network whose captions make no link clickable (Instagram) does not get it:
  the composer says so.
- Everywhere else the link goes at the end of the text, unless the text already
  has it, and counts as that network counts links.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parvis.networks import registry

if TYPE_CHECKING:
    from parvis.channels.models import Channel


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
