"""What an uploaded file really is: read from its content, never from its name.

Images are opened with Pillow (decompression bombs refused), videos (MP4, MOV, WebM)
with PyAV, which reads the container and stream headers with FFmpeg's libraries.
Anything else, or a file either cannot read, is refused with a reason people can act on.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

import av
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from parvis.publishing.media import MediaRejected
from parvis.publishing.media_models import MediaKind

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
IMAGE_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
VIDEO_EXTENSIONS = {"video/mp4": ".mp4", "video/quicktime": ".mov", "video/webm": ".webm"}
WEBM_CODECS = {"vp8", "vp9", "av1"}
THUMBNAIL_SIZE = (480, 480)


@dataclass(frozen=True)
class Probe:
    mime_type: str
    kind: str
    width: int
    height: int
    extension: str
    duration_s: float | None = None
    codec: str = ""
    thumbnail: bytes = b""  # a JPEG, or empty if none could be made


def max_bytes() -> int:
    return settings.PARVIS_MEDIA_MAX_MB * 1024 * 1024


def _unreadable() -> MediaRejected:
    return MediaRejected(
        _(
            "Parvis cannot read this file as an image or a video. It takes JPEG, PNG, GIF "
            "and WebP images, and MP4, MOV and WebM videos."
        )
    )


def _thumbnail(image: Image.Image) -> bytes:
    image = image.copy()
    image.thumbnail(THUMBNAIL_SIZE)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def _probe_image(file: IO[bytes]) -> Probe | None:
    """The image's facts, or None if Pillow does not recognise the content at all."""
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(file)
        except UnidentifiedImageError:
            return None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise MediaRejected(
                _("This image has too many pixels to be handled safely: resize it, then retry.")
            ) from error
        except OSError as error:
            raise _unreadable() from error
        mime_type = IMAGE_FORMATS.get(image.format or "")
        if mime_type is None:
            raise MediaRejected(
                _(
                    "This is a %(format)s image; Parvis takes JPEG, PNG, GIF and WebP. "
                    "Convert it, then retry."
                )
                % {"format": image.format or "?"}
            )
        try:
            image.load()
            thumbnail = _thumbnail(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise MediaRejected(
                _("This image has too many pixels to be handled safely: resize it, then retry.")
            ) from error
        except (OSError, ValueError, SyntaxError) as error:
            raise MediaRejected(
                _("This image is damaged or incomplete: export it again, then retry.")
            ) from error
    animated = getattr(image, "is_animated", False) and getattr(image, "n_frames", 1) > 1
    kind = MediaKind.GIF if animated and mime_type == "image/gif" else MediaKind.IMAGE
    return Probe(
        mime_type=mime_type,
        kind=kind,
        width=image.width,
        height=image.height,
        extension=IMAGE_EXTENSIONS[mime_type],
        thumbnail=thumbnail,
    )


def _video_mime(container: av.container.InputContainer, head: bytes, codec: str) -> str | None:
    names = set(container.format.name.split(","))
    if "mp4" in names or "mov" in names:
        # The ftyp box's brand tells QuickTime files from MP4 ones.
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    if "webm" in names and codec in WEBM_CODECS:
        return "video/webm"
    return None


def _video_thumbnail(container: av.container.InputContainer) -> bytes:
    try:
        for frame in container.decode(video=0):
            return _thumbnail(frame.to_image())
    except (av.error.FFmpegError, ValueError):
        return b""
    return b""


def _probe_video(file: IO[bytes]) -> Probe:
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    try:
        container = av.open(file, mode="r")
    except (av.error.FFmpegError, ValueError, UnicodeDecodeError) as error:
        raise _unreadable() from error
    with container:
        stream = next(iter(container.streams.video), None)
        if stream is None:
            raise MediaRejected(_("This file has no picture: choose a video or an image."))
        context = stream.codec_context
        codec = context.name or ""
        mime_type = _video_mime(container, head, codec)
        if mime_type is None and "matroska" not in container.format.name:
            raise _unreadable()  # FFmpeg reads many things (even text) as "video"
        if mime_type is None:
            raise MediaRejected(
                _("Parvis takes MP4, MOV and WebM videos: convert this one, then retry.")
            )
        if not context.width or not context.height:
            raise MediaRejected(
                _("This video's picture size cannot be read: export it again, then retry.")
            )
        duration = None
        if container.duration:
            duration = container.duration / av.time_base
        elif stream.duration and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        return Probe(
            mime_type=mime_type,
            kind=MediaKind.VIDEO,
            width=context.width,
            height=context.height,
            extension=VIDEO_EXTENSIONS[mime_type],
            duration_s=round(duration, 3) if duration is not None else None,
            codec=codec,
            thumbnail=_video_thumbnail(container),
        )


def probe(file: IO[bytes], *, size: int) -> Probe:
    """Read what ``file`` is. Raises MediaRejected with the reason when it cannot be taken."""
    if size > max_bytes():
        raise MediaRejected(
            _("This file weighs %(size)s; the media library takes files up to %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes())}
        )
    if size == 0:
        raise MediaRejected(_("This file is empty."))
    return _probe_image(file) or _probe_video(file)
