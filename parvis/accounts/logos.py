"""The workspace's logo: checked with Pillow, kept as a small PNG.

The uploaded file is read for what it is (its content, never its name), refused with a
reason people can act on, and re-encoded as a PNG of at most ``LOGO_MAX_SIDE`` pixels a
side, so the layout and the PDF reports always get a small, clean, known image.
"""

from __future__ import annotations

import io
import secrets
import warnings
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 2 * 1024 * 1024  # the upload
LOGO_MIN_SIDE = 32  # pixels: smaller would be a blur on the report's cover
LOGO_MAX_PIXELS = 40_000_000  # refused beyond: decoding it could exhaust memory
LOGO_MAX_SIDE = 512  # the stored PNG
LOGO_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")


class LogoRejected(ValueError):
    """The upload cannot be a logo; the message says why and what to do."""


def logo_path(workspace, filename: str) -> str:
    return f"workspaces/{workspace.pk}/logo-{secrets.token_hex(8)}.png"


def logo_normalise(file: IO[bytes], *, size: int) -> bytes:
    """The logo as PNG bytes, or LogoRejected with the reason."""
    if size > LOGO_MAX_BYTES:
        raise LogoRejected(
            _("This file weighs %(size)s; a logo may weigh %(limit)s at most.")
            % {"size": filesizeformat(size), "limit": filesizeformat(LOGO_MAX_BYTES)}
        )
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(file)
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            image.load()
        except UnidentifiedImageError as error:
            raise LogoRejected(
                _("Parvis cannot read this file as an image. Use a PNG, JPEG, GIF or WebP logo.")
            ) from error
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise LogoRejected(
                _("This image has too many pixels to be handled safely: resize it, then retry.")
            ) from error
        except (OSError, ValueError, SyntaxError) as error:
            raise LogoRejected(
                _("This image is damaged or incomplete: export it again, then retry.")
            ) from error
    if image.format not in LOGO_FORMATS:
        raise LogoRejected(
            _("This is a %(format)s image; use a PNG, JPEG, GIF or WebP logo.")
            % {"format": image.format or "?"}
        )
    if min(image.size) < LOGO_MIN_SIDE:
        raise LogoRejected(
            _(
                "This image is %(width)s by %(height)s pixels; a logo needs at least "
                "%(least)s pixels a side to stay sharp."
            )
            % {"width": image.width, "height": image.height, "least": LOGO_MIN_SIDE}
        )
    image = image.convert("RGBA")
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
