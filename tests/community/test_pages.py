"""The Community pages: the list, a profile, merging, segments, export and erase, permissions."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from parvis.community import people
from parvis.community.models import Handle, Person, Segment
from parvis.inbox.threads import Message
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, workspace, **kwargs):
    return reverse(f"community:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def client_as(workspace, role) -> Client:
    client = Client()
    client.force_login(factories.make_member(workspace, role).user)
    return client


def person_of(external_id: str) -> Person:
    return Handle.objects.get(author__external_id=external_id).person


def test_the_list_meets_people_lazily_and_puts_top_fans_first(logged_in_client, workspace, stored):
    page = logged_in_client.get(url("list", workspace)).content.decode()
    assert page.count('data-testid="person-row"') == 3
    assert page.index("Léa Fontaine") < page.index("Marc Petit")
    found = logged_in_client.get(url("list", workspace), {"q": "marcp"}).content.decode()
    assert found.count('data-testid="person-row"') == 1 and "Marc Petit" in found
    by_name = logged_in_client.get(url("list", workspace), {"sort": "name"}).content.decode()
    assert by_name.index("Léa F.") < by_name.index("Marc Petit")


def test_a_segment_saves_the_filters(logged_in_client, workspace, stored, user):
    logged_in_client.get(url("list", workspace))
    people.person_set_tags(person=person_of("sbx-marc"), raw="detractor", acting_user=user)
    response = logged_in_client.post(
        url("segment_save", workspace), {"name": "Détracteurs", "tag": "detractor"}
    )
    segment = Segment.objects.get()
    assert segment.query == {"tag": "detractor", "sort": "score"}
    page = logged_in_client.get(response["Location"]).content.decode()
    assert page.count('data-testid="person-row"') == 1 and "Marc Petit" in page


def test_the_inbox_conversation_links_to_the_authors_profile(logged_in_client, workspace, stored):
    message = Message.objects.get(remote_id="c1")
    conversation_url = reverse(
        "inbox:conversation",
        kwargs={"workspace": workspace.slug, "conversation_id": message.conversation_id},
    )
    page = logged_in_client.get(conversation_url).content.decode()
    profile_link = url("author", workspace, author_id=message.author_id)
    assert profile_link in page
    response = logged_in_client.get(profile_link)
    lea = person_of("sbx-lea")
    assert response["Location"] == url("person", workspace, person_id=lea.pk)
    profile = logged_in_client.get(response["Location"]).content.decode()
    assert "Vos croissants sont les meilleurs de Lyon" in profile
    assert profile.count('data-testid="history-item"') == 2


def test_merging_from_the_list_and_separating_from_the_profile(logged_in_client, workspace, stored):
    logged_in_client.get(url("list", workspace))
    lea, lea_x = person_of("sbx-lea"), person_of("x-lea")
    response = logged_in_client.post(url("merge", workspace), {"ids": [lea.pk, lea_x.pk]})
    assert response["Location"] == url("person", workspace, person_id=lea.pk)
    profile = logged_in_client.get(response["Location"]).content.decode()
    assert profile.count('data-testid="handle"') == 2
    assert profile.count('data-testid="history-item"') == 3
    handle = Handle.objects.get(author__external_id="x-lea")
    logged_in_client.post(url("separate", workspace, person_id=lea.pk, handle_id=handle.pk))
    assert person_of("x-lea").pk != lea.pk


def test_viewers_read_editors_change_admins_export_and_erase(workspace, stored):
    people.people_sync(workspace=workspace)
    lea = person_of("sbx-lea")
    viewer, editor, admin = (client_as(workspace, r) for r in ("viewer", "editor", "admin"))
    page = viewer.get(url("person", workspace, person_id=lea.pk)).content.decode()
    assert "Léa Fontaine" in page and 'data-testid="tags-form"' not in page
    tag_url = url("update", workspace, person_id=lea.pk)
    assert viewer.post(tag_url, {"tags": "customer"}).status_code == 403
    assert editor.post(tag_url, {"tags": "customer"}).status_code == 302
    assert [t.name for t in lea.tags.all()] == ["customer"]
    erase_url = url("erase", workspace, person_id=lea.pk)
    assert editor.get(url("export", workspace, person_id=lea.pk)).status_code == 403
    assert editor.post(erase_url, {"confirm": "erase"}).status_code == 403
    export = admin.get(url("export", workspace, person_id=lea.pk))
    assert "attachment" in export["Content-Disposition"]
    assert json.loads(export.content)["person"]["name"] == "Léa Fontaine"
    unconfirmed = admin.post(erase_url, {})
    assert unconfirmed.status_code == 200 and Person.objects.filter(pk=lea.pk).exists()
    assert admin.post(erase_url, {"confirm": "erase"}).status_code == 302
    assert not Person.objects.filter(pk=lea.pk).exists()
    assert Message.objects.get(remote_id="c1").text == ""


def test_other_workspaces_people_are_not_found(logged_in_client, workspace, stored):
    other = factories.make_workspace("Autre")
    people.people_sync(workspace=workspace)
    lea = person_of("sbx-lea")
    intruder = client_as(other, "owner")
    assert intruder.get(url("person", other, person_id=lea.pk)).status_code == 404
    assert intruder.get(url("person", workspace, person_id=lea.pk)).status_code == 404
