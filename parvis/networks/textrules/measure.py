"""measure_text: count a text as a network does and list what breaks its rules."""

from __future__ import annotations

import re
import unicodedata

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from parvis.networks.base import TextMeasure, TextProblem, TextRules

_URL_RE = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def _format(message: str | Promise, **params: object) -> str:
    return str(message) % params


_format_lazy = lazy(_format, str)


def _weight(char: str) -> int:
    cp = ord(char)
    if cp <= 4351 or 8192 <= cp <= 8205 or 8208 <= cp <= 8223 or 8242 <= cp <= 8247:
        return 1
    return 2


def measure_text(text: str, rules: TextRules, *, media_count: int = 0) -> TextMeasure:
    """Count ``text`` as the network of ``rules`` does and list what breaks its rules."""
    text = unicodedata.normalize("NFC", text)
    urls = _URL_RE.findall(text)
    rest = _URL_RE.sub("", text)
    length = sum(_weight(c) for c in rest) if rules.counting == "weighted" else len(rest)
    if rules.url_length is not None:
        length += rules.url_length * len(urls)
    else:
        length += sum(len(u) for u in urls)
    problems: list[TextProblem] = []
    if length > rules.max_length:
        problems.append(
            TextProblem(
                "too_long",
                _format_lazy(
                    _("The text is %(over)d characters too long (max. %(max)d): shorten it."),
                    over=length - rules.max_length,
                    max=rules.max_length,
                ),
            )
        )
    if rules.media_required and media_count == 0:
        problems.append(TextProblem("media_required", _("Add at least one image or video.")))
    return TextMeasure(
        length=length, limit=rules.max_length, valid=not problems, problems=tuple(problems)
    )
