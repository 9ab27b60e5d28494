"""CSV export: the one writer every table uses, and each table's "Export CSV"."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from parvis.core.exports import csv_lines, delimiter_for, neutralised
from parvis.inbox.threads import Conversation
from tests import factories

PARIS = ZoneInfo("Europe/Paris")


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_french_files_use_semicolons_and_decimal_commas_english_ones_commas_and_points():
    assert (delimiter_for("fr"), delimiter_for("en")) == (";", ",")
    moment = datetime(2026, 3, 1, 13, 30, tzinfo=UTC)
    french = "".join(
        csv_lines(
            columns=["Nom", "Taux", "Quand", "Jour", "Actif"],
            rows=[["Crème brûlée; fine", 12.5, moment, date(2026, 3, 1), True]],
            language="fr",
            zone=PARIS,
        )
    )
    assert french.startswith("\ufeff")  # Excel reads UTF-8 with the mark
    assert _rows(french[1:], ";") == [
        ["Nom", "Taux", "Quand", "Jour", "Actif"],
        ["Crème brûlée; fine", "12,5", "2026-03-01 14:30:00", "2026-03-01", "yes"],
    ]
    english = "".join(
        csv_lines(columns=["n"], rows=[[1234.5678912], [3], [-2.0]], language="en", zone=PARIS)
    )
    assert _rows(english[1:], ",") == [["n"], ["1234.5679"], ["3"], ["-2"]]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+33 6 12", "'+33 6 12"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1+1", "'  =1+1"),
        ("\t=1", "'\t=1"),
        ("Bonjour = merci", "Bonjour = merci"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(text, written):
    assert neutralised(text) == written


def test_numbers_stay_numbers_even_negative_ones():
    text = "".join(csv_lines(columns=["x"], rows=[[-3], ["-3"]], language="en", zone=PARIS))
    assert _rows(text[1:], ",")[1:] == [["-3"], ["'-3"]]


@pytest.fixture(autouse=True)
def _logged_in(request, client):
    if "demo" in request.fixturenames:
        client.force_login(request.getfixturevalue("demo_owner"))


def _download(client, url: str, **query) -> tuple[list[list[str]], object]:
    response = client.get(url, {**query, "format": "csv"})
    assert response.status_code == 200, response
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="la-mie-doree-')
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return _rows(body[1:], ";"), response  # the demo workspace is French


def every_first(workspace) -> int:
    return Conversation.objects.in_workspace(workspace).order_by("pk").first().pk


def test_every_table_of_the_demo_exports_what_its_filters_show(demo, client):
    slug = {"workspace": demo.slug}
    every, _ = _download(client, reverse("inbox:list", kwargs=slug), status="")
    Conversation.objects.in_workspace(demo).filter(pk=every_first(demo)).update(status="done")
    open_only, _ = _download(client, reverse("inbox:list", kwargs=slug))
    assert len(every) - 1 == Conversation.objects.in_workspace(demo).count()
    assert len(open_only) == len(every) - 1  # the list's default filter: open ones
    people, _ = _download(client, reverse("community:list", kwargs=slug), tag="ambassador")
    assert len(people) - 1 == 2
    responsiveness, _ = _download(client, reverse("inbox:responsiveness", kwargs=slug))
    assert len(responsiveness) >= 2 + demo.channels.count()  # header, everyone, each channel
    calendar, _ = _download(client, reverse("web:calendar_events", kwargs=slug))
    assert len(calendar) > 1
    audience, _ = _download(client, reverse("analytics:channel_figures", kwargs=slug))
    assert len(audience) - 1 == demo.channels.count()
    members, _ = _download(client, reverse("accounts:members", kwargs=slug))
    assert len(members) - 1 == demo.memberships.count()
    campaigns, _ = _download(client, reverse("strategy:campaigns", kwargs=slug))
    assert len(campaigns) >= 1


def test_a_comment_written_as_a_formula_is_exported_as_text(demo, client):
    conversation = Conversation.objects.in_workspace(demo).first()
    conversation.preview = '=HYPERLINK("http://evil.example","Cliquez")'
    conversation.save(update_fields=["preview"])
    rows, _ = _download(client, reverse("inbox:list", kwargs={"workspace": demo.slug}), status="")
    assert '\'=HYPERLINK("http://evil.example","Cliquez")' in [row[-1] for row in rows]


def test_the_csv_links_keep_the_filters(demo, client):
    page = client.get(reverse("inbox:list", kwargs={"workspace": demo.slug}), {"status": "done"})
    assert "?status=done&amp;format=csv" in page.content.decode()


def test_a_stranger_gets_no_csv(demo, client):
    client.force_login(factories.make_user())
    url = reverse("inbox:list", kwargs={"workspace": demo.slug})
    assert client.get(url, {"format": "csv"}).status_code == 404
