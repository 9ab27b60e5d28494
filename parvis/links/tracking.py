"""Adding UTM parameters to an address, and finding the addresses in a text.

Parameters already in the address stay as written: a UTM value the author put
there wins over the automatic one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# An http(s) address in running text; trailing punctuation belongs to the sentence.
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]}»…'\""


@dataclass(frozen=True)
class Tracking:
    """What a post's links carry on one channel: UTM values (empty: left out) and
    whether addresses are replaced by short links."""

    source: str = ""
    medium: str = ""
    campaign: str = ""
    shorten: bool = True

    @property
    def utm(self) -> dict[str, str]:
        values = {"utm_source": self.source, "utm_medium": self.medium}
        values["utm_campaign"] = self.campaign
        return {name: value for name, value in values.items() if value}


def with_utm(url: str, utm: dict[str, str]) -> str:
    """``url`` with the UTM values it does not already carry, appended in order."""
    if not utm:
        return url
    parts = urlsplit(url)
    present = {name for name, _value in parse_qsl(parts.query, keep_blank_values=True)}
    missing = {name: value for name, value in utm.items() if name not in present}
    if not missing:
        return url
    query = f"{parts.query}&{urlencode(missing)}" if parts.query else urlencode(missing)
    return urlunsplit(parts._replace(query=query))


def addresses_in(text: str) -> list[str]:
    """The http(s) addresses written in ``text``, in order, without repeats."""
    found: list[str] = []
    for match in URL_IN_TEXT.finditer(text):
        url = match.group(0).rstrip(TRAILING)
        if url not in found and urlsplit(url).netloc:
            found.append(url)
    return found


def replace_addresses(text: str, replacements: dict[str, str]) -> str:
    """``text`` with each address found by ``addresses_in`` replaced as mapped."""

    def replace(match: re.Match) -> str:
        whole = match.group(0)
        url = whole.rstrip(TRAILING)
        return replacements.get(url, url) + whole[len(url) :]

    return URL_IN_TEXT.sub(replace, text)
