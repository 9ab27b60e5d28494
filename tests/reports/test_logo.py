"""The workspace's logo: checked with Pillow, kept as a small PNG, shown to members only."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from parvis.accounts.logos import LOGO_MAX_SIDE
from parvis.accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def _image(size: tuple[int, int], fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#cc3300").save(out, fmt)
    return out.getvalue()


def _upload(client, workspace, content: bytes, name: str = "logo.png"):
    url = reverse("accounts:workspace_logo", kwargs={"workspace": workspace.slug})
    return client.post(url, {"logo": SimpleUploadedFile(name, content)}, follow=True)


def test_a_logo_is_kept_as_a_small_png_and_shown_in_the_layout(logged_in_client, workspace):
    page = _upload(logged_in_client, workspace, _image((2000, 1000), "JPEG"), "logo.jpg")
    assert "Logo saved" in page.content.decode()
    workspace.refresh_from_db()
    with workspace.logo.open("rb") as stored:
        image = Image.open(stored)
        assert (image.format, image.size) == ("PNG", (LOGO_MAX_SIDE, LOGO_MAX_SIDE // 2))
    calendar = logged_in_client.get(reverse("web:calendar", kwargs={"workspace": workspace.slug}))
    assert 'data-testid="workspace-logo"' in calendar.content.decode()
    served = logged_in_client.get(
        reverse("accounts:workspace_logo_file", kwargs={"workspace": workspace.slug})
    )
    assert served.status_code == 200 and served["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "cannot read this file as an image"),
        (_image((20, 20)), "at least 32 pixels a side"),
        (_image((64, 64), "BMP"), "This is a BMP image"),
        (_image((64, 64))[:60], "damaged or incomplete"),
        (b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1), "a logo may weigh 2.0"),
    ],
)
def test_what_cannot_be_a_logo_is_refused_with_the_reason(
    logged_in_client, workspace, content, reason
):
    page = _upload(logged_in_client, workspace, content)
    assert reason in page.content.decode()
    workspace.refresh_from_db()
    assert not workspace.logo


def test_replacing_and_removing_the_logo_deletes_the_old_file(
    logged_in_client, workspace, django_capture_on_commit_callbacks
):
    _upload(logged_in_client, workspace, _image((100, 100)))
    workspace.refresh_from_db()
    first = workspace.logo.name
    storage = workspace.logo.storage
    with django_capture_on_commit_callbacks(execute=True):
        _upload(logged_in_client, workspace, _image((200, 100)))
    workspace.refresh_from_db()
    assert workspace.logo.name != first and not storage.exists(first)
    url = reverse("accounts:workspace_logo", kwargs={"workspace": workspace.slug})
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_client.post(url, {"remove": "1"})
    second = workspace.logo.name
    workspace.refresh_from_db()
    assert not workspace.logo and not storage.exists(second)


def test_only_settings_roles_change_the_logo_and_only_members_see_it(client, workspace):
    editor = factories.make_member(workspace, Role.EDITOR).user
    client.force_login(editor)
    refused = _upload(client, workspace, _image((100, 100)))
    assert refused.status_code == 403
    stranger = factories.make_user("stranger@example.com")
    client.force_login(stranger)
    url = reverse("accounts:workspace_logo_file", kwargs={"workspace": workspace.slug})
    assert client.get(url).status_code == 404
