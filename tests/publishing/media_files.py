"""Real image and video files made on the spot for the media tests (nothing copied)."""

from __future__ import annotations

import io
from fractions import Fraction

import av
from PIL import Image


def image_bytes(width: int = 1080, height: int = 1080, fmt: str = "JPEG", **save) -> bytes:
    out = io.BytesIO()
    mode = "RGB" if fmt in ("JPEG", "BMP") else "RGBA"
    Image.new(mode, (width, height), (200, 60, 40)).save(out, fmt, **save)
    return out.getvalue()


def animated_gif_bytes(width: int = 200, height: int = 200, frames: int = 3) -> bytes:
    out = io.BytesIO()
    images = [Image.new("RGB", (width, height), (i * 60, 20, 90)) for i in range(frames)]
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return out.getvalue()


def video_bytes(
    width: int = 320,
    height: int = 240,
    seconds: float = 1.0,
    *,
    container: str = "mp4",
    codec: str = "libx264",
    fps: int = 10,
) -> bytes:
    """A real, tiny video encoded with FFmpeg's libraries (PyAV)."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as output:
        stream = output.add_stream(codec, rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        for index in range(max(1, round(seconds * fps))):
            frame = av.VideoFrame.from_image(
                Image.new("RGB", (width, height), (index * 20 % 255, 80, 160))
            )
            frame.pts = index
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    return out.getvalue()
