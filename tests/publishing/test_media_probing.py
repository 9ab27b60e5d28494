"""What an uploaded file is, read from its content: images, videos, and refusals."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from parvis.publishing.media import MediaRejected
from parvis.publishing.probing import probe
from tests.publishing.media_files import animated_gif_bytes, image_bytes, video_bytes


def probed(data: bytes):
    return probe(io.BytesIO(data), size=len(data))


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp"), ("GIF", "image/gif")],
)
def test_images_are_recognised_by_their_content(fmt, mime):
    facts = probed(image_bytes(640, 480, fmt))
    assert (facts.mime_type, facts.kind, facts.width, facts.height) == (mime, "image", 640, 480)
    assert Image.open(io.BytesIO(facts.thumbnail)).format == "JPEG"


def test_an_animated_gif_is_a_gif_not_an_image():
    facts = probed(animated_gif_bytes(120, 90))
    assert (facts.kind, facts.width, facts.height) == ("gif", 120, 90)


@pytest.mark.parametrize(
    ("container", "codec", "mime"),
    [("mp4", "libx264", "video/mp4"), ("mov", "libx264", "video/quicktime"),
     ("webm", "libvpx-vp9", "video/webm")],
)  # fmt: skip
def test_videos_give_their_size_duration_and_codec(container, codec, mime):
    facts = probed(video_bytes(320, 240, 2.0, container=container, codec=codec))
    assert (facts.mime_type, facts.kind, facts.width, facts.height) == (mime, "video", 320, 240)
    assert facts.duration_s == pytest.approx(2.0, abs=0.15)
    assert facts.codec in ("h264", "vp9", "libvpx-vp9")
    assert facts.thumbnail  # the first frame


def test_the_name_does_not_matter_a_png_called_jpg_is_a_png():
    assert probed(image_bytes(10, 10, "PNG")).mime_type == "image/png"


def test_a_corrupt_file_is_refused_with_a_reason():
    with pytest.raises(MediaRejected, match="cannot read this file"):
        probed(b"\x00not an image at all" * 20)
    with pytest.raises(MediaRejected):
        probed(b"GIF89a? not really" + bytes(200))
    png = image_bytes(400, 400, "PNG")
    with pytest.raises(MediaRejected, match="damaged or incomplete"):
        probed(png[: len(png) // 2])


def test_formats_parvis_does_not_take_are_named():
    with pytest.raises(MediaRejected, match="This is a BMP image"):
        probed(image_bytes(10, 10, "BMP"))


def test_a_file_over_the_installation_maximum_is_refused_before_reading(settings):
    settings.PARVIS_MEDIA_MAX_MB = 1
    with pytest.raises(MediaRejected) as refused:
        probe(io.BytesIO(b""), size=2 * 1024 * 1024)
    message = str(refused.value).replace("\xa0", " ")
    assert message == "This file weighs 2.0 MB; the media library takes files up to 1.0 MB."


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(MediaRejected, match="too many pixels"):
        probed(image_bytes(100, 100, "PNG"))  # 10,000 px: over the warning threshold


def test_an_empty_file_is_refused():
    with pytest.raises(MediaRejected, match="empty"):
        probe(io.BytesIO(b""), size=0)
