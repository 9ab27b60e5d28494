"""The report as a PDF: HTML and CSS (A4, page numbers) printed by WeasyPrint.

WeasyPrint needs the Pango library from the system (Debian: ``libpango-1.0-0``,
``libpangoft2-1.0-0``). Where it or the Python package is missing, ``report_pdf``
raises ``ReportUnavailable`` with what to install; pages say so instead of failing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from PIL import ImageFile

from parvis.analytics.definitions import DEFINITIONS
from parvis.analytics.reports import charts
from parvis.analytics.reports.content import INTERACTIONS, ReportContent, Total
from parvis.inbox.responsiveness import duration_text, rate_text

NO_FIGURE = "\u2013"


class ReportUnavailable(RuntimeError):
    """PDF reports cannot be made on this installation; the message says what to install."""


@dataclass(frozen=True)
class ShownTotal:
    label: str
    value: str
    change: str
    trend: str  # "up", "down" or ""


def _number(value: float | None) -> str:
    if value is None:
        return NO_FIGURE
    return formats.number_format(round(value), force_grouping=True)


def _shown(total: Total) -> ShownTotal:
    value = rate_text(total.value) if total.percent else _number(total.value)
    change, trend = "", ""
    if total.percent and total.value is not None and total.previous is not None:
        points = (total.value - total.previous) * 100
        change = _("%(sign)s%(points)s pts") % {
            "sign": "+" if points >= 0 else "",
            "points": formats.number_format(points, decimal_pos=1),
        }
        trend = "up" if points > 0 else "down" if points < 0 else ""
    elif total.change is not None:
        sign = "+" if total.change >= 0 else ""
        change = _("%(sign)s%(value)s%%") % {
            "sign": sign,
            "value": formats.number_format(total.change, decimal_pos=0),
        }
        trend = "up" if total.change > 0 else "down" if total.change < 0 else ""
    return ShownTotal(str(total.label), value, change, trend)


def shown_totals(content: ReportContent) -> list[ShownTotal]:
    """The headline figures as people read them, in the active language."""
    return [_shown(total) for total in content.totals]


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def report_html(content: ReportContent, *, language: str = "") -> str:
    """The report's HTML, in ``language`` (by default the workspace's)."""
    with translation.override(language or content.language):
        followers_chart = (
            _data_uri("image/svg+xml", charts.line_chart(content.followers).encode())
            if content.followers
            else ""
        )
        active = [line for line in content.channels if line.posts]
        interactions_chart = ""
        if any(line.interactions for line in active):
            parts = {
                str(DEFINITIONS[name].label): [line.parts.get(name, 0.0) for line in active]
                for name in INTERACTIONS
            }
            parts = {label: values for label, values in parts.items() if any(values)}
            labels = [f"{line.name} ({line.network})" for line in active]
            interactions_chart = _data_uri(
                "image/svg+xml", charts.stacked_bars(labels, parts).encode()
            )
        context = {
            "content": content,
            "language": language or content.language,
            "accent": content.accent,
            "period": content.period,
            "previous": content.previous,
            "logo": _data_uri("image/png", content.logo_png) if content.logo_png else "",
            "totals": shown_totals(content),
            "channels": content.channels,
            "top_posts": content.top_posts,
            "followers_chart": followers_chart,
            "interactions_chart": interactions_chart,
            "answers": {
                "rate": rate_text(content.responsiveness.rate),
                "median": duration_text(content.responsiveness.median_seconds),
                "p90": duration_text(content.responsiveness.p90_seconds),
                "needing": content.responsiveness.needing,
                "answered": content.responsiveness.answered,
                "rate_before": rate_text(content.responsiveness_before.rate),
                "median_before": duration_text(content.responsiveness_before.median_seconds),
                "target": duration_text(content.response_target_minutes * 60),
            },
            "definitions": [DEFINITIONS[name] for name in ("views", "reach")],
        }
        return render_to_string("analytics/report.html", context)


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
