"""Count a post's text the way each network does (see ``measure_text``)."""

from parvis.networks.textrules.measure import measure_text

__all__ = ["measure_text"]
