"""The report as a PDF: HTML and CSS (A4, page numbers) printed by WeasyPrint.

WeasyPrint needs the Pango library from the system (Debian: ``libpango-1.0-0``,
``libpangoft2-1.0-0``). Where it or the Python package is missing, ``report_pdf``
raises ``ReportUnavailable`` with what to install; pages say so instead of failing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import ImageFile

from parvis.analytics.cards import COUNT, Card, figure_text
from parvis.analytics.definitions import Definition, definition
from parvis.analytics.reports import charts
from parvis.analytics.reports.content import ReportContent
from parvis.inbox.responsiveness import duration_text, rate_text

TRENDS = {"good": "up", "bad": "down", "flat": ""}  # the template's colours


class ReportUnavailable(RuntimeError):
    """PDF reports cannot be made on this installation; the message says what to install."""


@dataclass(frozen=True)
class ShownTotal:
    label: str
    value: str
    change: str
    trend: str  # "up" (good news), "down" (bad news) or ""


def _shown(card: Card) -> ShownTotal:
    change = card.delta_text if card.delta is not None else ""
    return ShownTotal(str(card.definition.label), card.text, change, TRENDS[card.trend])


def shown_totals(content: ReportContent) -> list[ShownTotal]:
    """The posts published and the figures that have a value, as people read them, in the
    active language (the e-mail lists them)."""
    posts = Card(
        definition=Definition("posts", _("Posts published"), ""),
        kind=COUNT,
        value=content.posts,
        previous=content.posts_before,
    )
    return [_shown(posts)] + [
        _shown(card)
        for section in content.sections
        for card in section.cards
        if card.value is not None
    ]


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _svg(text: str) -> str:
    return _data_uri("image/svg+xml", text.encode())


def _charts(content: ReportContent) -> dict[str, str]:
    """The report's charts, as data URIs ("" when there is nothing to draw)."""
    found = {"followers": "", "engagements": "", "channels": ""}
    if content.followers:
        found["followers"] = _svg(charts.line_chart(content.followers))
    series = content.board.series
    daily = series.values.get("engagements") or ()
    if any(daily):
        found["engagements"] = _svg(charts.day_bars(series.days, daily))
    lines = [line for line in content.channels if line.current.engagements]
    if lines:
        label = str(definition("engagements").label)
        found["channels"] = _svg(
            charts.stacked_bars(
                [f"{line.name} ({line.network})" for line in lines],
                {label: [line.current.engagements or 0.0 for line in lines]},
            )
        )
    return found


def report_html(content: ReportContent, *, language: str = "") -> str:
    """The report's HTML, in ``language`` (by default the content's)."""
    with translation.override(language or content.language):
        drawn = _charts(content)
        answers = content.responsiveness
        context = {
            "content": content,
            "language": language or content.language,
            "accent": content.accent,
            "period": content.period,
            "previous": content.previous,
            "logo": _data_uri("image/png", content.logo_png) if content.logo_png else "",
            "sections": content.sections,
            "channels": [
                (line, [figure_text(line.current.value(name), COUNT) for name in CHANNEL_FIGURES])
                for line in content.channels
            ],
            "top_posts": [(post, rate_text(post.engagement_rate)) for post in content.top_posts],
            "goals": content.goals,
            "followers_chart": drawn["followers"],
            "engagements_chart": drawn["engagements"],
            "channels_chart": drawn["channels"],
            "answers": {
                "p90": duration_text(answers.p90_seconds),
                "needing": answers.needing,
                "answered": answers.answered,
                "target": duration_text(content.response_target_minutes * 60),
            },
            "definitions": _definitions(content),
        }
        return render_to_string("analytics/report.html", context)


CHANNEL_FIGURES = ("followers", "follower_growth", "reach", "views", "engagements")


def _definitions(content: ReportContent) -> list:
    """Each figure the report shows, with its explanation (the dashboards' words)."""
    return [card.definition for section in content.sections for card in section.cards]


def report_pdf(content: ReportContent, *, language: str = "") -> bytes:
    """The report as PDF bytes (raises ReportUnavailable where WeasyPrint cannot run)."""
    html = report_html(content, language=language)
    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        # Imported here, not at the top: an installation without Pango still runs,
        # and only the PDF says what is missing.
        from weasyprint import HTML, URLFetcher
    except (ImportError, OSError) as error:
        raise ReportUnavailable(
            _(
                "PDF reports need WeasyPrint and the Pango library, which this installation "
                "lacks (%(error)s). On Debian or Ubuntu, an administrator installs them with "
                "“apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core”, then "
                "restarts Parvis. CSV exports work meanwhile."
            )
            % {"error": type(error).__name__}
        ) from error
    finally:
        # WeasyPrint's import tells Pillow to accept truncated images, for the whole
        # process: media and logo uploads must still refuse them.
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    # The report embeds its images: nothing is fetched from a network or the disk.
    embedded_only = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, url_fetcher=embedded_only).write_pdf()
