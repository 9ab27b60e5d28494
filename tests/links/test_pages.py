"""The Links page, a link's page, the post page's short links, and who may change what."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.links.actions import bio_link_create
from parvis.links.models import BioLink, ShortLink
from parvis.publishing.models import Post
from tests import factories
from tests.links.helpers import click, post_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(workspace) -> ShortLink:
    channel = factories.make_sandbox_channel(workspace, "sandbox_x", name="Mie sur X")
    post = Post.objects.create(workspace=workspace, text="Galettes du jour")
    link = post_link(workspace, post=post, channel=channel)
    now = timezone.now()
    click(link, now, times=3)
    click(link, now - timedelta(days=40), times=2)
    click(link, now, times=5, bot=True)
    return link


def test_the_links_page_lists_clicks_in_the_period_and_in_all(logged_in_client, workspace, link):
    url = reverse("links:list", kwargs={"workspace": workspace.slug})
    page = logged_in_client.get(url).content.decode()
    assert link.code in page and "Galettes du jour" in page and "Mie sur X" in page
    assert 'data-testid="link-period-clicks">3<' in page
    assert 'data-testid="link-total-clicks">5<' in page
    longer = logged_in_client.get(url + "?days=90").content.decode()
    assert 'data-testid="link-period-clicks">5<' in longer
    assert logged_in_client.get(url + "?days=abc").status_code == 200


def test_a_links_page_shows_clicks_per_day(logged_in_client, workspace, link):
    url = reverse("links:detail", kwargs={"workspace": workspace.slug, "link_id": link.pk})
    page = logged_in_client.get(url).content.decode()
    assert link.destination in page
    assert "3 in the period, 5 in all" in page
    assert "5 visits by robots or link previews, not counted." in page
    assert page.count("<tr><td>") == 30


def test_the_post_page_shows_each_channels_short_link_and_clicks(logged_in_client, workspace, link):
    page = logged_in_client.get(Post.objects.get().get_absolute_url()).content.decode()
    assert link.short_url in page
    assert "5 clicks" in page


def test_another_workspaces_link_is_not_found(logged_in_client, link):
    other = factories.make_workspace("Autre", owner=factories.make_user())
    url = reverse("links:detail", kwargs={"workspace": other.slug, "link_id": link.pk})
    assert logged_in_client.get(url).status_code == 404


def test_a_viewer_reads_the_bio_settings_but_cannot_change_them(client, workspace):
    viewer = factories.make_member(workspace, "viewer").user
    client.force_login(viewer)
    url = reverse("links:bio_settings", kwargs={"workspace": workspace.slug})
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="read-only"' in page.content.decode()
    answer = client.post(url, {"label": "Boutique", "url": "https://lamiedoree.fr/"})
    assert answer.status_code == 403
    assert not BioLink.objects.exists()


def test_an_editor_manages_the_bio_links(client, workspace):
    editor = factories.make_member(workspace, "editor").user
    client.force_login(editor)
    url = reverse("links:bio_settings", kwargs={"workspace": workspace.slug})
    assert (
        client.post(url, {"label": "Boutique", "url": "https://lamiedoree.fr/"}).status_code == 302
    )
    assert (
        client.post(url, {"label": "Horaires", "url": "https://lamiedoree.fr/h"}).status_code == 302
    )
    first, second = BioLink.objects.order_by("position")
    move = reverse("links:bio_move", kwargs={"workspace": workspace.slug, "bio_link_id": second.pk})
    client.post(move, {"direction": "up"})
    assert [b.label for b in BioLink.objects.order_by("position")] == ["Horaires", "Boutique"]
    edit = reverse("links:bio_edit", kwargs={"workspace": workspace.slug, "bio_link_id": first.pk})
    code = first.short_link.code
    client.post(edit, {"label": "La boutique", "url": "https://lamiedoree.fr/b", "hidden": "on"})
    first.refresh_from_db()
    assert (first.label, first.hidden, first.short_link.code) == ("La boutique", True, code)
    assert first.short_link.destination == "https://lamiedoree.fr/b"
    bad = client.post(url, {"label": " ", "url": "https://lamiedoree.fr/"})
    assert bad.status_code == 400
    delete = reverse(
        "links:bio_delete", kwargs={"workspace": workspace.slug, "bio_link_id": second.pk}
    )
    client.post(delete)
    assert [b.label for b in BioLink.objects.all()] == ["La boutique"]
    assert ShortLink.objects.count() == 2  # shared copies of the removed link still work


def test_a_contributor_cannot_edit_a_bio_link(client, workspace):
    bio = _bio(workspace, "Boutique")
    client.force_login(factories.make_member(workspace, "contributor").user)
    edit = reverse("links:bio_edit", kwargs={"workspace": workspace.slug, "bio_link_id": bio.pk})
    assert client.post(edit, {"label": "X", "url": "https://x.fr/"}).status_code == 403


def _bio(workspace, label, **fields):
    bio = bio_link_create(
        workspace=workspace, label=label, url="https://lamiedoree.fr/", acting_user=None
    )
    for name, value in fields.items():
        setattr(bio, name, value)
    bio.save()
    return bio


def test_the_public_bio_page_needs_no_login_and_lists_visible_links(client, workspace):
    _bio(workspace, "Boutique")
    _bio(workspace, "Caché", hidden=True)
    response = client.get(reverse("links:bio", kwargs={"slug": workspace.slug}))
    page = response.content.decode()
    assert response.status_code == 200
    assert workspace.name in page and "Boutique" in page and "Caché" not in page
    assert "<script" not in page
    assert 'name="viewport"' in page
    short = BioLink.objects.get(label="Boutique").short_link
    assert f'href="{short.short_url}"' in page
    assert client.get(reverse("links:bio", kwargs={"slug": "nobody"})).status_code == 404


def test_a_bio_link_click_is_counted(client, workspace):
    short = _bio(workspace, "Boutique").short_link
    client.get(f"/l/{short.code}", HTTP_USER_AGENT="Mozilla/5.0 (Android)")
    assert short.clicks.count() == 1


def _csv(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def test_the_links_table_exports_as_csv_with_its_period(logged_in_client, workspace, link):
    url = reverse("links:list", kwargs={"workspace": workspace.slug})
    assert 'data-testid="export-csv"' in logged_in_client.get(url).content.decode()
    header, row = _csv(logged_in_client, url + "?days=7&format=csv")
    assert header[0] == "Short link" and header[-2:] == ["Clicks in the period", "Clicks in all"]
    assert row[0] == link.short_url and row[3] == "Galettes du jour" and row[4] == "Mie sur X"
    assert row[-2:] == ["3", "5"]  # robots never counted
    (_header, longer) = _csv(logged_in_client, url + "?days=90&format=csv")
    assert longer[-2:] == ["5", "5"]


def test_a_links_clicks_per_day_export_as_csv(logged_in_client, workspace, link):
    url = reverse("links:detail", kwargs={"workspace": workspace.slug, "link_id": link.pk})
    assert 'data-testid="export-csv"' in logged_in_client.get(url).content.decode()
    rows = _csv(logged_in_client, url + "?days=7&format=csv")
    today = timezone.localdate(timezone=ZoneInfo(workspace.time_zone))
    assert rows[0] == ["Day", "Clicks"] and len(rows) == 1 + 7
    assert rows[1] == [today.isoformat(), "3"] and all(row[1] == "0" for row in rows[2:])
