"""CSV export of any table Parvis shows: one function, used by every list view.

How a table becomes a CSV file (``csv_response``):

- **Streamed** (``StreamingHttpResponse``): rows are written as the query yields them,
  so a long inbox exports without being held in memory.
- **UTF-8 with a byte-order mark**, so Excel opens accents right (LibreOffice and
  Numbers ignore the mark).
- **The delimiter follows the workspace's language**: where numbers are written with a
  decimal comma (French: ``3,5``), spreadsheets split columns on ``;``, so the file uses
  ``;``; elsewhere (English) ``,``. Numbers are written the same way (``3,5`` or
  ``3.5``), without thousands separators, so they are read as numbers.
- **Dates and times** in the workspace's time zone, as ``2026-03-01`` and
  ``2026-03-01 14:30:00``, which Excel, LibreOffice and Google Sheets all read as dates.
- **Safe against formula injection**: a text cell starting (after spaces) with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a comment
  written ``=HYPERLINK(...)`` is shown as text, never run. Real numbers (negative ones
  too) are written by Parvis and stay numbers.

A view exports "what the filters show" by answering the same URL with ``?format=csv``
(``wants_csv``); templates add the link with ``{% load exports %}{% csv_link %}``,
which keeps the current filters. Wiring a new table takes three lines::

    if wants_csv(request):
        return csv_response(filename="links", columns=[_("Link"), _("Clicks")],
                            rows=((link.url, link.clicks) for link in links),
                            workspace=request.workspace)
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

CSV_PARAMETER = "format"
CSV_VALUE = "csv"
CSV_TABLE = "table"  # which table, on a page with several (``{% csv_link table="..." %}``)
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def wants_csv(request: HttpRequest, table: str = "") -> bool:
    """True when the table's view is asked for its CSV export (of ``table``, when the
    page has several)."""
    if request.GET.get(CSV_PARAMETER) != CSV_VALUE:
        return False
    return not table or request.GET.get(CSV_TABLE) == table


def decimal_separator(language: str) -> str:
    return formats.get_format("DECIMAL_SEPARATOR", lang=language) or "."


def delimiter_for(language: str) -> str:
    """``;`` where numbers take a decimal comma (spreadsheets split on ``;`` there)."""
    return ";" if decimal_separator(language) == "," else ","


def neutralised(text: str) -> str:
    """The text, with an apostrophe in front if a spreadsheet would run it as a formula."""
    if text.startswith(FORMULA_STARTS) or text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


class CellWriter:
    """Turns Python values into the text of CSV cells for one language and time zone."""

    def __init__(self, *, language: str, zone: ZoneInfo) -> None:
        self.comma = decimal_separator(language)
        self.zone = zone

    def cell(self, value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float | Decimal):
            text = f"{float(value):.4f}".rstrip("0").rstrip(".")
            return (text if text not in ("", "-0") else "0").replace(".", self.comma)
        if isinstance(value, datetime):
            if timezone.is_aware(value):
                value = value.astimezone(self.zone)
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, date):
            return value.isoformat()
        return neutralised(str(value))


class _Line:
    """A file-like object that hands back what csv.writer writes (one line at a time)."""

    def write(self, text: str) -> str:
        return text


def csv_lines(
    *, columns: Sequence[str], rows: Iterable[Sequence[object]], language: str, zone: ZoneInfo
) -> Iterator[str]:
    """The file's text, line by line, the byte-order mark first."""
    writer = csv.writer(_Line(), delimiter=delimiter_for(language), lineterminator="\r\n")
    cells = CellWriter(language=language, zone=zone)
    yield BOM + writer.writerow([neutralised(str(name)) for name in columns])
    for row in rows:
        yield writer.writerow([cells.cell(value) for value in row])


def csv_response(
    *, filename: str, columns: Sequence[str], rows: Iterable[Sequence[object]], workspace
) -> StreamingHttpResponse:
    """A streamed CSV download of a table, in the workspace's language and time zone."""
    lines = csv_lines(
        columns=columns,
        rows=rows,
        language=workspace.language,
        zone=ZoneInfo(workspace.time_zone),
    )
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines), content_type="text/csv; charset=utf-8"
    )
    today = timezone.localdate(timezone=ZoneInfo(workspace.time_zone)).isoformat()
    name = f"{slugify(workspace.name) or 'parvis'}-{slugify(filename) or 'export'}-{today}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
