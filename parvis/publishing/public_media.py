"""Public, expiring addresses of media files, for networks that fetch media themselves.

Instagram does not take an upload: it downloads each image or video from a public
URL given when the container is made. Parvis serves a post's files at
``PARVIS_BASE_URL/media/public/<signed token>/``: the token names the asset, is signed
with the installation's secret (nothing guessable) and expires after
``PARVIS_PUBLIC_MEDIA_HOURS`` (the network fetches within minutes).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from parvis.publishing.media_models import MediaAsset

SALT = "parvis.publishing.public_media"


def public_media_token(asset: MediaAsset) -> str:
    return signing.dumps({"asset": asset.pk, "workspace": asset.workspace_id}, salt=SALT)


def public_media_url(asset: MediaAsset) -> str:
    """The absolute address a network can fetch this asset at, for a limited time."""
    path = reverse("publishing:media_public", kwargs={"token": public_media_token(asset)})
    return f"{settings.PARVIS_BASE_URL}{path}"


def asset_of_token(token: str) -> MediaAsset:
    """The asset a valid, unexpired token names; Http404 for anything else."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PARVIS_PUBLIC_MEDIA_HOURS * 3600)
    except signing.BadSignature as error:  # includes SignatureExpired
        raise Http404(_("This media address is not valid or has expired.")) from error
    asset = (
        MediaAsset.objects.filter(pk=data.get("asset"), workspace_id=data.get("workspace"))
        .only("file", "mime_type")
        .first()
    )
    if asset is None or not asset.file:
        raise Http404(_("No such file."))
    return asset


@require_safe
def media_public(request: HttpRequest, token: str) -> FileResponse:
    """The file, to anyone holding the signed address (a network fetching it)."""
    asset = asset_of_token(token)
    try:
        handle = asset.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("No such file.")) from error
    response = FileResponse(handle)
    response["Content-Type"] = asset.mime_type
    response["Cache-Control"] = "private, max-age=600"
    response["X-Robots-Tag"] = "noindex"
    return response
