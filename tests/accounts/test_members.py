from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.models import Invitation, Membership, User
from parvis.accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, workspace, **kwargs):
    return reverse(f"accounts:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def invite(client, workspace, email="nina@example.org", role=Role.EDITOR):
    return client.post(url("invite", workspace), {"email": email, "role": role})


def token_from_last_email() -> str:
    body = mail.outbox[-1].body
    return body.split("/accounts/invitations/")[1].split("/")[0]


def test_an_invitation_is_emailed_with_a_working_link(
    logged_in_client, workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(logged_in_client, workspace)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.is_pending) == (
        "nina@example.org",
        "editor",
        True,
    )
    assert mail.outbox[-1].to == ["nina@example.org"]
    assert "Boulangerie Test" in mail.outbox[-1].subject  # the workspace's language: French
    assert token_from_last_email() == invitation.token


def test_a_new_person_joins_by_choosing_a_name_and_password(client, workspace):
    invitation = Invitation.objects.create(
        workspace=workspace, email="nina@example.org", role="editor"
    )
    link = reverse("accounts:invitation", args=[invitation.token])
    weak = client.post(link, {"full_name": "Nina", "password1": "123", "password2": "123"})
    assert weak.status_code == 400 and "Nina" in weak.content.decode()  # kept
    response = client.post(
        link,
        {
            "full_name": "Nina Petit",
            "password1": "Une baguette dorée!",
            "password2": "Une baguette dorée!",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nina@example.org")
    assert Membership.objects.get(user=user, workspace=workspace).role == "editor"
    assert (
        client.get(reverse("web:calendar", kwargs={"workspace": workspace.slug})).status_code == 200
    )
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(link).status_code == 410  # used once


def test_an_existing_person_logs_in_first_then_joins(client, workspace):
    person = factories.make_user("karim@example.org")
    invitation = Invitation.objects.create(workspace=workspace, email=person.email, role="viewer")
    link = reverse("accounts:invitation", args=[invitation.token])
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(person)
    client.get(link)
    assert Membership.objects.get(user=person, workspace=workspace).role == "viewer"


def test_someone_else_cannot_use_the_invitation(client, workspace):
    invitation = Invitation.objects.create(workspace=workspace, email="nina@example.org")
    client.force_login(factories.make_user("other@example.org"))
    response = client.get(reverse("accounts:invitation", args=[invitation.token]))
    assert response.status_code == 403
    assert "nina@example.org" in response.content.decode()
    assert not Membership.objects.filter(user__email="other@example.org").exists()


def test_expired_and_revoked_invitations_say_so(client, workspace):
    expired = Invitation.objects.create(
        workspace=workspace, email="a@example.org", expires_at=timezone.now() - timedelta(days=1)
    )
    response = client.get(reverse("accounts:invitation", args=[expired.token]))
    assert response.status_code == 410 and b"expired" in response.content
    assert client.get(reverse("accounts:invitation", args=["nonsense"])).status_code == 410


def test_re_inviting_updates_the_pending_invitation_and_members_are_refused(
    logged_in_client, workspace
):
    invite(logged_in_client, workspace, role=Role.VIEWER)
    invite(logged_in_client, workspace, role=Role.EDITOR)
    assert Invitation.objects.count() == 1 and Invitation.objects.get().role == "editor"
    member = factories.make_member(workspace, Role.EDITOR)
    response = invite(logged_in_client, workspace, email=member.user.email)
    assert response.status_code == 400 and b"already a member" in response.content


def test_revoke_and_resend(logged_in_client, workspace, django_capture_on_commit_callbacks):
    invite(logged_in_client, workspace)
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_client.post(url("invitation_resend", workspace, invitation_id=invitation.pk))
    assert len(mail.outbox) == 1
    logged_in_client.post(url("invitation_revoke", workspace, invitation_id=invitation.pk))
    invitation.refresh_from_db()
    assert not invitation.is_pending


def test_an_admin_cannot_make_owners_and_nobody_removes_the_last_owner(client, workspace, user):
    admin = factories.make_member(workspace, Role.ADMIN)
    client.force_login(admin.user)
    editor = factories.make_member(workspace, Role.EDITOR)
    response = client.post(
        url("member_role", workspace, membership_id=editor.pk), {"role": "owner"}, follow=True
    )
    assert "Only an owner" in response.content.decode()
    assert invite(client, workspace, role=Role.OWNER).status_code == 400
    owner = Membership.objects.get(user=user, workspace=workspace)
    client.post(url("member_remove", workspace, membership_id=owner.pk))
    assert Membership.objects.filter(pk=owner.pk).exists()
    client.force_login(user)
    response = client.post(url("leave", workspace), follow=True)
    assert "at least one owner" in response.content.decode()
    client.post(url("member_role", workspace, membership_id=editor.pk), {"role": "admin"})
    editor.refresh_from_db()
    assert editor.role == "admin"


@pytest.mark.parametrize("role", [Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER])
def test_members_without_member_manage_see_but_cannot_change(client, workspace, role):
    member = factories.make_member(workspace, role)
    client.force_login(member.user)
    page = client.get(url("members", workspace))
    assert page.status_code == 200 and b"Send the invitation" not in page.content
    assert invite(client, workspace).status_code == 403
    assert client.post(url("member_remove", workspace, membership_id=member.pk)).status_code == 403
