from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from parvis.accounts.models import Membership, User, Workspace
from parvis.accounts.roles import Role
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_workspace_settings_validate_and_save(logged_in_client, workspace):
    page = reverse("accounts:workspace_settings", kwargs={"workspace": workspace.slug})
    bad = logged_in_client.post(
        page,
        {"name": "Nouveau nom", "language": "fr", "time_zone": "Mars/Olympus", "color": "#123456"},
    )
    assert bad.status_code == 400
    assert "Nouveau nom" in bad.content.decode()  # what was typed is kept
    logged_in_client.post(
        page,
        {
            "name": "Nouveau nom",
            "language": "en",
            "time_zone": "America/Montreal",
            "color": "#123456",
        },
    )
    workspace.refresh_from_db()
    assert (workspace.name, workspace.time_zone, workspace.language) == (
        "Nouveau nom",
        "America/Montreal",
        "en",
    )


def test_an_editor_cannot_change_workspace_settings(client, workspace):
    editor = factories.make_member(workspace, Role.EDITOR)
    client.force_login(editor.user)
    page = reverse("accounts:workspace_settings", kwargs={"workspace": workspace.slug})
    assert client.get(page).status_code == 403


def test_creating_a_workspace_in_the_same_organisation(logged_in_client, workspace, user):
    response = logged_in_client.post(
        reverse("accounts:workspace_new", kwargs={"workspace": workspace.slug}),
        {"name": "Fromagerie Nord", "language": "fr"},
    )
    created = Workspace.objects.get(name="Fromagerie Nord")
    assert response["Location"] == reverse("web:calendar", kwargs={"workspace": created.slug})
    assert created.organisation == workspace.organisation and created.time_zone == "Europe/Paris"
    assert Membership.objects.get(user=user, workspace=created).role == Role.OWNER


def test_profile_and_password_change(logged_in_client, user):
    page = reverse("accounts:profile")
    logged_in_client.post(page, {"full_name": "Camille Martin", "language": "fr"})
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Camille Martin", "fr")
    wrong = logged_in_client.post(
        page,
        {
            "change_password": "1",
            "old_password": "nope",
            "new_password1": "x",
            "new_password2": "x",
        },
    )
    assert wrong.status_code == 400
    logged_in_client.post(
        page,
        {
            "change_password": "1",
            "old_password": PASSWORD,
            "new_password1": "Pain de campagne 2026",
            "new_password2": "Pain de campagne 2026",
        },
    )
    user.refresh_from_db()
    assert user.check_password("Pain de campagne 2026")
    assert logged_in_client.get(page).status_code == 200  # still logged in


def test_password_reset_by_email(client, user):
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Brioche et chocolat", "new_password2": "Brioche et chocolat"},
    )
    user.refresh_from_db()
    assert user.check_password("Brioche et chocolat")


def test_login_is_throttled_after_five_failures(client, user):
    login = reverse("accounts:login")
    for _attempt in range(5):
        client.post(login, {"username": user.email, "password": "wrong"})
    response = client.post(login, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_language_choice_is_kept_on_the_person(logged_in_client, user):
    response = logged_in_client.post(
        reverse("accounts:set_language"), {"language": "fr", "next": "/"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "fr"
    page = logged_in_client.get(reverse("accounts:profile"))
    assert page["Content-Language"] == "fr"
    assert "Mon compte" in page.content.decode()
    unsafe = logged_in_client.post(
        reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert unsafe["Location"] == "/"


def test_createadmin_makes_an_owner_with_organisation_and_workspace():
    out = io.StringIO()
    call_command(
        "createadmin",
        "--email",
        "Owner@Example.org",
        "--password",
        "Tarte aux pralines!",
        "--organisation",
        "Agence Lumen",
        "--workspace",
        "Boulangerie Paul",
        "--no-input",
        stdout=out,
    )
    user = User.objects.get(email="owner@example.org")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER
    assert membership.workspace.organisation.name == "Agence Lumen"
    assert membership.workspace.time_zone == "Europe/Paris"
    assert "owns Agence Lumen" in out.getvalue()


def test_createadmin_says_what_is_wrong():
    factories.make_user("taken@example.org")
    common = ["--organisation", "O", "--workspace", "W", "--no-input"]
    with pytest.raises(CommandError, match="already has an account"):
        call_command(
            "createadmin", "--email", "taken@example.org", "--password", "Long enough 123", *common
        )
    with pytest.raises(CommandError, match="Weak password"):
        call_command("createadmin", "--email", "new@example.org", "--password", "123", *common)
    with pytest.raises(CommandError, match="not an email"):
        call_command("createadmin", "--email", "nope", "--password", "Long enough 123", *common)
    assert not User.objects.filter(email="new@example.org").exists()
