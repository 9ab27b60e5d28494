"""``{% csv_link %}``: the "Export CSV" link of a table, keeping the page's filters."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from parvis.core.exports import CSV_PARAMETER, CSV_TABLE, CSV_VALUE

register = template.Library()


@register.simple_tag(takes_context=True)
def csv_url(context, table: str = "") -> str:
    """The current page's address with ``format=csv`` (its filters kept, its page dropped);
    ``table`` names which of the page's tables, where it has several."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    query[CSV_PARAMETER] = CSV_VALUE
    if table:
        query[CSV_TABLE] = table
    return f"{request.path}?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def csv_link(context, label: str = "", table: str = "") -> str:
    return format_html(
        '<a class="btn btn-outline-secondary btn-sm" href="{}" data-testid="export-csv" '
        'download><i class="bi bi-download" aria-hidden="true"></i> {}</a>',
        csv_url(context, table),
        label or _("Export CSV"),
    )
