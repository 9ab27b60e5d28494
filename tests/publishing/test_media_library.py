"""The media library's pages: upload, describe, delete, and files kept to the workspace."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parvis.core.audit import AuditEvent
from parvis.publishing import actions
from parvis.publishing.media import MediaChoice
from parvis.publishing.models import MediaAsset
from parvis.publishing.uploads import media_upload
from tests import factories
from tests.publishing.media_files import image_bytes, video_bytes

pytestmark = pytest.mark.django_db


def url(workspace, name="media", **kwargs):
    return reverse(f"publishing:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_asset(workspace, user, name="photo.jpg", data=None):
    return media_upload(
        workspace=workspace, upload=upload(name, data or image_bytes(800, 1000)), acting_user=user
    )


def test_several_files_are_uploaded_at_once_and_described(logged_in_client, workspace, user):
    response = logged_in_client.post(
        url(workspace),
        {
            "files": [
                upload("brioche-du-matin.jpg", image_bytes(1080, 1350)),
                upload("clip.mp4", video_bytes()),
            ]
        },
        follow=True,
    )
    page = response.content.decode()
    assert "2 files added." in page
    photo, clip = MediaAsset.objects.order_by("id")
    assert (photo.kind, photo.width, photo.height, photo.mime_type) == (
        "image", 1080, 1350, "image/jpeg",
    )  # fmt: skip
    assert (clip.kind, clip.width, clip.height, clip.codec) == ("video", 320, 240, "h264")
    assert clip.duration_s == pytest.approx(1.0, abs=0.15)
    # Files live per workspace under random names, never under the name they came with.
    assert photo.file.name.startswith(f"workspaces/{workspace.pk}/")
    assert "brioche-du-matin" not in photo.file.name and photo.thumbnail
    assert "1080\u00d71350 (4:5)" in page and "brioche-du-matin.jpg" in page and "clip.mp4" in page
    assert AuditEvent.objects.filter(verb="media.uploaded").count() == 2

    logged_in_client.post(
        url(workspace, "media_describe", asset_id=photo.pk), {"alt_text": "Une brioche dorée"}
    )
    photo.refresh_from_db()
    assert photo.alt_text == "Une brioche dorée"


def test_a_refused_file_says_why_and_the_others_are_kept(logged_in_client, workspace):
    response = logged_in_client.post(
        url(workspace),
        {
            "files": [
                upload("notes.jpg", b"plain text, not a picture" * 5),
                upload("ok.png", image_bytes(fmt="PNG")),
            ]
        },
        follow=True,
    )
    page = response.content.decode()
    assert "notes.jpg: Parvis cannot read this file as an image or a video" in page
    assert "1 file added." in page
    assert list(MediaAsset.objects.values_list("original_name", flat=True)) == ["ok.png"]


def test_files_are_served_to_members_only(client, logged_in_client, workspace, user):
    asset = make_asset(workspace, user)
    file_url = url(workspace, "media_file", asset_id=asset.pk)
    response = logged_in_client.get(file_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == asset.file.open("rb").read()
    thumb = logged_in_client.get(url(workspace, "media_thumbnail", asset_id=asset.pk))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    # A member of another workspace, even its owner, does not learn the file exists.
    stranger = factories.make_user()
    factories.make_workspace("Autre marque", owner=stranger)
    client.force_login(stranger)
    assert client.get(file_url).status_code == 404
    assert client.get(url(workspace, "media_thumbnail", asset_id=asset.pk)).status_code == 404
    # And the library's own page never links a public /media/ address.
    page = logged_in_client.get(url(workspace)).content.decode()
    assert "/media/workspaces/" not in page


def test_viewers_see_contributors_upload_editors_delete(client, workspace, user):
    asset = make_asset(workspace, user)
    viewer = factories.make_member(workspace, "viewer").user
    client.force_login(viewer)
    page = client.get(url(workspace))
    assert page.status_code == 200 and "photo.jpg" in page.content.decode()
    assert 'name="files"' not in page.content.decode()
    refused = client.post(url(workspace), {"files": [upload("b.jpg", image_bytes())]})
    assert refused.status_code == 403
    assert client.get(url(workspace, "media_file", asset_id=asset.pk)).status_code == 200

    contributor = factories.make_member(workspace, "contributor").user
    client.force_login(contributor)
    client.post(url(workspace), {"files": [upload("b.jpg", image_bytes())]})
    assert MediaAsset.objects.count() == 2
    assert client.post(url(workspace, "media_delete", asset_id=asset.pk)).status_code == 403

    editor = factories.make_member(workspace, "editor").user
    client.force_login(editor)
    client.post(url(workspace, "media_delete", asset_id=asset.pk))
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()


def test_a_file_used_by_a_post_not_yet_out_cannot_be_deleted(
    logged_in_client, workspace, user, django_capture_on_commit_callbacks
):
    asset = make_asset(workspace, user)
    post = actions.post_draft(
        workspace=workspace,
        text="Brioche du dimanche",
        channels=[],
        acting_user=user,
        media=MediaChoice(shared=[asset]),
    )
    response = logged_in_client.post(url(workspace, "media_delete", asset_id=asset.pk), follow=True)
    assert "1 post that has not gone out uses this file (« Brioche du dimanche »)" in (
        response.content.decode()
    )
    assert MediaAsset.objects.filter(pk=asset.pk).exists()
    # Once published, the post lets it go: the networks keep their own copies.
    post.status = "published"
    post.save(update_fields=["status"])
    stored = asset.file.path
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_client.post(url(workspace, "media_delete", asset_id=asset.pk))
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
    assert post.media.count() == 0
    assert not os.path.exists(stored)


def test_a_too_long_description_is_refused_and_nothing_changes(logged_in_client, workspace, user):
    asset = make_asset(workspace, user)
    response = logged_in_client.post(
        url(workspace, "media_describe", asset_id=asset.pk), {"alt_text": "a" * 5001}, follow=True
    )
    assert "A description has at most 5000 characters" in response.content.decode()
    asset.refresh_from_db()
    assert asset.alt_text == ""
