"""The demo's reports: a logo and a weekly schedule (the figures the reports show come
from the demo's replayed Sandbox collections, demo_figures.py)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from parvis.accounts.models import User, Workspace
from parvis.analytics.reports.models import ReportFrequency, ReportSchedule


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:  # DejaVu (Debian's fonts-dejavu-core) has the accents of the bakery's name
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def demo_logo(workspace: Workspace) -> None:
    """A drawn logo (a golden sun and the name), as an uploaded one would be kept."""
    if workspace.logo:
        return
    image = Image.new("RGBA", (600, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 152, 152), fill="#d4a017")
    draw.ellipse((38, 38, 122, 122), fill="#fff7e0")
    draw.text((80, 80), "M", fill="#7c4a03", font=_font(56), anchor="mm")
    font = _font(40)
    draw.text((172, 80), workspace.name, fill="#7c4a03", font=font, anchor="lm")
    out = io.BytesIO()
    image.save(out, "PNG")
    workspace.logo.save("logo.png", ContentFile(out.getvalue()), save=False)
    workspace.save(update_fields=["logo"])


def demo_report_schedule(workspace: Workspace, owner: User) -> None:
    """A weekly report to the owner: the Reports page shows it, Monday's goes out."""
    if ReportSchedule.objects.in_workspace(workspace).exists():
        return
    schedule = ReportSchedule.objects.create(
        workspace=workspace, frequency=ReportFrequency.WEEKLY, language="fr", created_by=owner
    )
    schedule.members.set([owner])
