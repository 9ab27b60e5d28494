from __future__ import annotations

import pytest
from django.urls import reverse

from parvis.web.navigation import MAIN_NAVIGATION
from tests import factories


@pytest.mark.django_db
def test_home_redirects_to_the_last_workspace_calendar(logged_in_client, workspace):
    response = logged_in_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:calendar", kwargs={"workspace": workspace.slug})


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client, workspace):
    response = client.get(reverse("web:calendar", kwargs={"workspace": workspace.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_every_navigation_entry_answers(logged_in_client, workspace):
    for item in MAIN_NAVIGATION:
        response = logged_in_client.get(
            reverse(item.url_name, kwargs={"workspace": workspace.slug})
        )
        assert response.status_code == 200, item.key
        assert str(item.label) in response.content.decode()


@pytest.mark.django_db
def test_user_without_workspace_is_told_what_to_do(client):
    client.force_login(factories.make_user())
    response = client.get("/")
    assert response.status_code == 200
    assert b"not a member of any workspace" in response.content
