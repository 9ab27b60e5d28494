"""The demo's reports: a logo, five weeks of Sandbox figures, a weekly schedule.

The figures are what the Sandbox's simulated audience gives (followers growing each day,
each published post's reach and interactions as its comments and likes arrived), read
once a day in the evening as the worker would have read them, so the dashboards and the
PDF report have a history to show the first time the demo runs.
"""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from parvis.accounts.models import User, Workspace
from parvis.analytics.reports.models import ReportFrequency, ReportSchedule
from parvis.analytics.snapshots import MetricSnapshot
from parvis.networks.sandbox.metrics import account_metrics, post_metrics
from parvis.networks.sandbox.models import SandboxAccount

HISTORY_DAYS = 35
ACCOUNT_AGE = timedelta(days=120)  # the bakery's accounts existed before Parvis
MEASURED_AT = time(21, 0)


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


def demo_figures_history(workspace: Workspace) -> int:
    """Daily snapshots of every Sandbox channel over the last weeks (once)."""
    now = timezone.now()
    scoped = MetricSnapshot.objects.in_workspace(workspace)
    if scoped.filter(measured_at__lt=now - timedelta(days=2)).exists():
        return 0
    zone = ZoneInfo(workspace.time_zone)
    today = timezone.localdate(timezone=zone)
    rows: list[MetricSnapshot] = []
    for channel in workspace.channels.all():
        account = SandboxAccount.objects.filter(external_id=channel.external_id).first()
        if account is None:
            continue
        if account.created_at > now - ACCOUNT_AGE:
            account.created_at = now - ACCOUNT_AGE
            account.save(update_fields=["created_at"])
        posts = list(account.posts.filter(deleted_at__isnull=True, reply_to_id=""))
        for back in range(HISTORY_DAYS, 0, -1):
            moment = datetime.combine(today - timedelta(days=back), MEASURED_AT, tzinfo=zone)
            samples = account_metrics(account, moment)
            for post in posts:
                if post.published_at <= moment:
                    samples += post_metrics(post, account, moment)
            rows += [
                MetricSnapshot(
                    workspace=workspace,
                    channel=channel,
                    remote_id=sample.remote_id,
                    name=sample.name,
                    value=sample.value,
                    measured_at=moment,
                )
                for sample in samples
            ]
    MetricSnapshot.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
