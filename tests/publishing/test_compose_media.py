"""Media in the composer, in deliveries, and on the networks."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse
from django.utils import timezone

from parvis.channels.models import Channel
from parvis.engine.runner import run_once
from parvis.networks.base import MediaItem, PublishRequest
from parvis.networks.sandbox.models import SandboxPost
from parvis.publishing import actions
from parvis.publishing.delivering import _request
from parvis.publishing.media import MediaChoice
from parvis.publishing.models import Delivery, Post
from tests.publishing.media_files import image_bytes, video_bytes
from tests.publishing.test_delivery import sandbox_channel
from tests.publishing.test_media_library import make_asset

pytestmark = pytest.mark.django_db


def url(workspace, name="compose", **kwargs):
    return reverse(f"publishing:{name}", kwargs={"workspace": workspace.slug, **kwargs})


@pytest.fixture
def instagram(workspace):
    return sandbox_channel(workspace, "sandbox_instagram", name="Mie Insta")


@pytest.fixture
def photo(workspace, user):
    return make_asset(workspace, user, "brioche.jpg", image_bytes(1080, 1350))


def test_instagram_needs_media_live_and_the_counter_follows(
    logged_in_client, workspace, instagram, photo
):
    check = url(workspace, "compose_check")
    bare = logged_in_client.post(check, {"text": "Brioche", "channels": [instagram.pk]})
    assert "needs an image or a video" in bare.content.decode()
    with_photo = logged_in_client.post(
        check, {"text": "Brioche", "channels": [instagram.pk], "media": [photo.pk]}
    )
    assert "needs an image or a video" not in with_photo.content.decode()
    assert "text-success" in with_photo.content.decode()


def test_a_media_problem_is_shown_live_and_refuses_scheduling(
    logged_in_client, workspace, instagram, user
):
    tall = make_asset(workspace, user, "tall.jpg", image_bytes(1000, 3000))
    data = {
        "text": "Brioche",
        "channels": [instagram.pk],
        "media": [tall.pk],
        f"alt_{tall.pk}": "Une brioche très haute",
        "when": "now",
        "action": "schedule",
    }
    live = logged_in_client.post(url(workspace, "compose_check"), data).content.decode()
    assert "takes images between 4:5 and 1.91:1; the image is 1:3. Crop it" in live
    response = logged_in_client.post(url(workspace), data)
    assert response.status_code == 400 and not Post.objects.exists()
    page = response.content.decode()
    # Nothing typed or chosen is lost: the text, the media and its description are there.
    assert "takes images between 4:5 and 1.91:1" in page
    assert f'name="media" value="{tall.pk}"' in page
    assert "Une brioche très haute" in page


def test_the_media_panel_adds_reorders_removes_and_uploads(logged_in_client, workspace, user):
    first = make_asset(workspace, user, "un.jpg")
    second = make_asset(workspace, user, "deux.jpg")
    panel = url(workspace, "compose_media")
    added = logged_in_client.post(
        panel, {"text": "", "media": [first.pk], "op": f"add:shared:{second.pk}"}
    )
    assert added["HX-Trigger-After-Settle"] == "media-changed"
    body = added.content.decode()
    assert body.index(f'name="media" value="{first.pk}"') < body.index(
        f'name="media" value="{second.pk}"'
    )
    moved = logged_in_client.post(
        panel, {"media": [first.pk, second.pk], "op": "up:shared:1"}
    ).content.decode()
    assert moved.index(f'value="{second.pk}"') < moved.index(f'value="{first.pk}"')
    removed = logged_in_client.post(
        panel, {"media": [first.pk, second.pk], "op": "remove:shared:0"}
    ).content.decode()
    assert f'name="media" value="{first.pk}"' not in removed
    uploaded = logged_in_client.post(
        panel,
        {
            "media": [first.pk],
            "op": "upload:shared",
            "files": [
                _file("nouveau.png", image_bytes(fmt="PNG")),
                _file("faux.png", b"nope" * 50),
            ],
        },
    ).content.decode()
    new = workspace.media_assets.get(original_name="nouveau.png")
    assert f'name="media" value="{new.pk}"' in uploaded
    assert "faux.png: Parvis cannot read this file" in uploaded


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_another_workspace_s_media_cannot_be_chosen(logged_in_client, workspace, instagram):
    from tests import factories

    other = factories.make_workspace("Autre")
    foreign = make_asset(other, other.memberships.first().user, "secret.jpg")
    response = logged_in_client.post(
        url(workspace),
        {"text": "Brioche", "channels": [instagram.pk], "media": [foreign.pk], "action": "draft"},
    )
    assert response.status_code == 400
    assert "deleted from the library meanwhile" in response.content.decode()
    assert not Post.objects.exists()
    panel = logged_in_client.post(
        url(workspace, "compose_media"), {"op": f"add:shared:{foreign.pk}"}
    ).content.decode()
    assert "secret.jpg" not in panel


def test_a_channel_can_publish_other_media_and_each_network_gets_its_own(
    logged_in_client, workspace, instagram, photo, user
):
    facebook = sandbox_channel(workspace, "sandbox_facebook", name="Mie FB")
    clip = make_asset(workspace, user, "clip.mp4", video_bytes(320, 240, 4.0))
    response = logged_in_client.post(
        url(workspace),
        {
            "text": "Brioche du dimanche",
            "channels": [instagram.pk, facebook.pk],
            "media": [photo.pk],
            f"alt_{photo.pk}": "Une brioche dorée sur une planche",
            "media_own": [facebook.pk],
            f"media_{facebook.pk}": [clip.pk],
            "when": "now",
            "action": "schedule",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    post = Post.objects.get()
    assert post.media_for(instagram.pk) == [photo] and post.media_for(facebook.pk) == [clip]
    photo.refresh_from_db()
    assert photo.alt_text == "Une brioche dorée sur une planche"
    deliveries = {d.channel_id: d for d in Delivery.objects.all()}
    assert deliveries[instagram.pk].media == [photo.pk]
    request = _request(deliveries[facebook.pk])
    (item,) = request.media
    assert (item.mime_type, item.width, item.height, item.path) == (
        "video/mp4", 320, 240, clip.file.path,
    )  # fmt: skip
    assert item.duration_s == pytest.approx(4.0, abs=0.2)

    run_once(Delivery)
    assert set(Delivery.objects.values_list("state", flat=True)) == {"published"}
    on_instagram = SandboxPost.objects.get(account__network_key="sandbox_instagram")
    (copy,) = on_instagram.media.all()
    assert copy.alt_text == "Une brioche dorée sur une planche"
    assert copy.file.read() == photo.file.open("rb").read()
    sandbox_page = logged_in_client.get(
        reverse("sandbox:post", args=["sandbox_instagram", on_instagram.remote_id])
    ).content.decode()
    assert 'alt="Une brioche dorée sur une planche"' in sandbox_page
    served = logged_in_client.get(
        reverse("sandbox:media", args=["sandbox_instagram", on_instagram.remote_id, 0])
    )
    assert served["Content-Type"] == "image/jpeg"
    on_facebook = SandboxPost.objects.get(account__network_key="sandbox_facebook")
    assert [m.mime_type for m in on_facebook.media.all()] == ["video/mp4"]
    post_page = logged_in_client.get(post.get_absolute_url()).content.decode()
    assert "Media per channel" in post_page and "Une brioche dorée sur une planche" in post_page


def test_autosave_keeps_the_media(logged_in_client, workspace, photo, instagram):
    autosave = url(workspace, "compose_autosave")
    logged_in_client.post(autosave, {"text": "", "media": [photo.pk], "channels": [instagram.pk]})
    draft = Post.objects.get()
    assert draft.media_for(None) == [photo]
    logged_in_client.post(
        autosave,
        {
            "text": "Brioche",
            "draft": draft.pk,
            "channels": [instagram.pk],
            "media": [],
            "media_own": [instagram.pk],
            f"media_{instagram.pk}": [photo.pk],
        },
    )
    draft.refresh_from_db()
    assert draft.media_for(None) == [] and draft.media_for(instagram.pk) == [photo]
    edit = logged_in_client.get(url(workspace, "post_edit", post_id=draft.pk)).content.decode()
    assert f'name="media_{instagram.pk}" value="{photo.pk}"' in edit


def test_x_takes_the_photo_and_refuses_media_against_its_rules_before_any_call(
    workspace, photo, user, settings
):
    from parvis.networks.base import ChannelRef, PermanentError
    from parvis.networks.x.network import X

    x = X(base_url="http://127.0.0.1:9")  # nothing listens: no call may be made
    assert x.check_media([photo.as_item()]) == ()
    mixed = (photo.as_item(), MediaItem(photo.file.path, "video/mp4"))
    request = PublishRequest(text="Brioche", idempotency_key="k", media=mixed)
    with pytest.raises(PermanentError, match="does not mix images and videos"):
        async_to_sync(x.publish)(ChannelRef("1", "token"), request)


def test_a_delivery_whose_media_was_removed_fails_instead_of_publishing_text_alone(
    workspace, photo, user
):
    channel = sandbox_channel(workspace)
    post = actions.post_draft(
        workspace=workspace,
        text="Brioche",
        channels=[channel],
        acting_user=user,
        media=MediaChoice(shared=[photo]),
    )
    (delivery,) = actions.post_schedule(
        post=post, at=timezone.now(), channels=[channel], acting_user=user
    )
    Delivery.objects.filter(pk=delivery.pk).update(media=[photo.pk, 999_999])
    run_once(Delivery)
    delivery.refresh_from_db()
    assert delivery.state == "failed"
    assert "deleted from the library" in delivery.last_error
    assert not SandboxPost.objects.exists()
    assert Channel.objects.filter(pk=channel.pk).exists()
