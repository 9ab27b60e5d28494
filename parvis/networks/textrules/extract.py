"""Find URLs, hashtags, mentions and emoji in a post's text, as twitter-text v3 does.

The patterns follow twitter-text's documented rules (see the conformance cases in
``shared/specs/twitter-text/extract.yml``): a URL is an optional ``http(s)://``, a
domain ending in a known top-level domain, an optional port, path and query; a URL
without a protocol keeps only its ASCII domain part; a domain label longer than 63
characters, a URL longer than 4,096 or a t.co slug longer than 40 is not a URL.
Indices are Python string indices (code points).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

# --- Character classes -------------------------------------------------------------

_SPACES = "\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_PUNCT = r"!'#%&()*+,\\\-./:;<=>?@\[\]\^_{|}~$\""
_LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b"
    "\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = "\u0400-\u04ff"
_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"

_TLDS_FILE = Path(__file__).with_name("tlds.txt")


@cache
def _tld_alternation() -> str:
    """The known top-level domains as a regex alternation, longest first."""
    names = [
        line.strip()
        for line in _TLDS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    names.sort(key=lambda n: (-len(n), n))
    return "|".join(map(regex.escape, names))


_PATH_CHARS = rf"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\[\]\-\u2013_~&|@{_LATIN_ACCENTS}]"
_BALANCED_PARENS = rf"\((?:{_PATH_CHARS}+|(?:{_PATH_CHARS}*\({_PATH_CHARS}+\){_PATH_CHARS}*))\)"
_PATH_ENDING = rf"(?:[+\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]|{_BALANCED_PARENS})"
_PATH = (
    rf"(?:(?:{_PATH_CHARS}*(?:{_BALANCED_PARENS}{_PATH_CHARS}*)*{_PATH_ENDING})"
    rf"|(?:@{_PATH_CHARS}+/))"
)
_QUERY_CHARS = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
_QUERY_ENDING = r"[a-z0-9\-_&=#/]"


@cache
def _url_patterns() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    tlds = _tld_alternation()
    tld = rf"(?:{tlds}|xn--[\-0-9a-z]+)(?=[^0-9a-z@+\-]|$)"
    subdomain = rf"(?:(?:{_DOMAIN_CHAR}(?:[_\-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
    domain_name = rf"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
    url = regex.compile(
        rf"(?P<before>(?:[^a-z0-9@＠$#＃{_INVALID}{_DIRECTIONAL}]|[{_DIRECTIONAL}]|^))"  # noqa: RUF001
        rf"(?P<url>(?P<protocol>https?://)?"
        rf"(?P<domain>{subdomain}*{domain_name}{tld})"
        rf"(?::(?P<port>[0-9]{{1,5}}))?"
        rf"(?P<path>/{_PATH}*)?"
        rf"(?P<query>\?{_QUERY_CHARS}*{_QUERY_ENDING})?)",
        regex.IGNORECASE | regex.VERSION0,
    )
    ascii_domain = regex.compile(rf"(?:(?:[\-a-z0-9{_LATIN_ACCENTS}]+)\.)+{tld}", regex.IGNORECASE)
    return url, ascii_domain


_TCO = regex.compile(
    rf"^https?://t\.co/(?P<slug>[a-z0-9]+)(?:\?{_QUERY_CHARS}*{_QUERY_ENDING})?", regex.I
)
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40


@dataclass(frozen=True)
class Entity:
    text: str  # the URL, or the hashtag / screen name without its sign
    start: int
    end: int


def _domain_fits(domain: str) -> bool:
    try:
        labels = domain.encode("idna").decode("ascii").split(".")
    except UnicodeError:
        return False
    return all(0 < len(label) <= 63 for label in labels)


def extract_urls(text: str, *, without_protocol: bool = True) -> list[Entity]:
    """The URLs of ``text`` with their positions, in order."""
    if not text or ("." not in text if without_protocol else ":" not in text):
        return []
    url_re, ascii_re = _url_patterns()
    found: list[Entity] = []
    pos = 0
    while match := url_re.search(text, pos):
        pos = match.end()
        url, start, end = match["url"], match.start("url"), match.end("url")
        domain, path = match["domain"], match["path"]
        if not match["protocol"]:
            if not without_protocol or regex.search(r"[\-_./]$", match["before"]):
                continue
            last: Entity | None = None
            for ascii_match in ascii_re.finditer(domain):
                sub = ascii_match.group()
                last = Entity(sub, start + ascii_match.start(), start + ascii_match.end())
                if _domain_fits(sub):
                    found.append(last)
            if last is None or not found or found[-1] is not last:
                continue
            if path:
                found[-1] = Entity(url.replace(domain, last.text, 1), last.start, end)
            continue
        if tco := _TCO.match(url):
            if len(tco["slug"]) > _MAX_TCO_SLUG_LENGTH:
                continue
            url, end = tco.group(), start + len(tco.group())
            pos = end
        if len(url) <= _MAX_URL_LENGTH and _domain_fits(domain):
            found.append(Entity(url, start, end))
    return found


# --- Hashtags and mentions -----------------------------------------------------------

_HASHTAG_ALNUM = (
    r"\p{L}\p{M}\p{Nd}_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c"
    r"\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"
)
_HASHTAG_RE = regex.compile(
    rf"(?:^|\ufe0e|\ufe0f|[^&{_HASHTAG_ALNUM}])([#＃])(?!\ufe0f|\u20e3)"  # noqa: RUF001
    rf"([{_HASHTAG_ALNUM}]*[\p{{L}}\p{{M}}][{_HASHTAG_ALNUM}]*)"
)
_HASHTAG_END = regex.compile(r"^(?:[#＃]|://)")  # noqa: RUF001
_MENTION_RE = regex.compile(
    r"(?:^|[^a-zA-Z0-9_!#$%&*@＠]|(?:^|[^a-zA-Z0-9_+~.\-])(?:rt|RT|rT|Rt):?)"  # noqa: RUF001
    r"([@＠])([a-zA-Z0-9_]{1,20})(/[a-zA-Z][a-zA-Z0-9_\-]{0,24})?"  # noqa: RUF001
)
_MENTION_END = regex.compile(rf"^(?:[@＠{_LATIN_ACCENTS}]|://)")  # noqa: RUF001


def _outside(entity: Entity, urls: list[Entity]) -> bool:
    return not any(u.start <= entity.start < u.end for u in urls)


def extract_hashtags(text: str, *, check_urls: bool = True) -> list[Entity]:
    """The hashtags of ``text`` (without the ``#``), with the sign's position as start."""
    if "#" not in text and "＃" not in text:  # noqa: RUF001
        return []
    found = []
    pos = 0
    while match := _HASHTAG_RE.search(text, pos):
        pos = match.end()
        if _HASHTAG_END.match(text[match.end() :]):
            continue
        found.append(Entity(match[2], match.start(1), match.end(2)))
    if check_urls and found:
        urls = extract_urls(text)
        found = [h for h in found if _outside(h, urls)]
    return found


def extract_mentions(text: str, *, lists: bool = False) -> list[Entity]:
    """The @mentions of ``text`` (screen names; ``name/list`` too when ``lists``)."""
    if "@" not in text and "＠" not in text:  # noqa: RUF001
        return []
    found = []
    pos = 0
    while match := _MENTION_RE.search(text, pos):
        pos = match.end()
        if _MENTION_END.match(text[match.end() :]):
            continue
        if match[3] is None:
            found.append(Entity(match[2], match.start(1), match.end(2)))
        elif lists:
            found.append(Entity(match[2] + match[3], match.start(1), match.end(3)))
    return found


# --- Emoji ---------------------------------------------------------------------------

_EMOJI_ELEMENT = (
    r"(?:\p{Emoji_Modifier_Base}\p{Emoji_Modifier}"
    r"|\p{Emoji_Presentation}\ufe0f?"
    r"|\p{Extended_Pictographic}\ufe0f?"
    r"|[^\P{Emoji}0-9#*]\ufe0f)"
)
_EMOJI_RE = regex.compile(
    r"(?:[0-9#*]\ufe0f?\u20e3"
    r"|\p{Regional_Indicator}{2}"
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    rf"|{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*)"
)


def extract_emoji(text: str) -> list[Entity]:
    """Each emoji sequence (with modifiers, flags, keycaps, ZWJ joins) as one entity."""
    return [Entity(m.group(), m.start(), m.end()) for m in _EMOJI_RE.finditer(text)]


# --- Validators (twitter-text's isValidUsername / isValidList / isValidHashtag) ----------


def is_valid_username(text: str) -> bool:
    """``text`` is exactly one @mention, e.g. ``@example_name``."""
    found = extract_mentions(text)
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(text)


def is_valid_list(text: str) -> bool:
    """``text`` is exactly one ``@user/list``, nothing before or after."""
    match = _MENTION_RE.fullmatch(text)
    return bool(match and match.start(1) == 0 and match[3])


def is_valid_hashtag(text: str) -> bool:
    """``text`` is exactly one hashtag, e.g. ``#hashtag``."""
    found = extract_hashtags(text)
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(text)
