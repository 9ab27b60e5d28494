"""Adding a file to the media library: read what it is (``probing``), then keep it.

Apart from ``media.py`` so that the publishing worker, which never receives uploads,
does not load the image and video libraries.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from parvis.accounts.models import User, Workspace
from parvis.core.audit import audit
from parvis.publishing.media_models import MediaAsset
from parvis.publishing.probing import probe


@transaction.atomic
def media_upload(*, workspace: Workspace, upload: UploadedFile, acting_user: User) -> MediaAsset:
    """Add one file to the library; raises MediaRejected (with the reason) if it cannot be."""
    facts = probe(upload, size=upload.size or 0)
    upload.seek(0)
    asset = MediaAsset(
        workspace=workspace,
        original_name=(upload.name or "")[:255],
        mime_type=facts.mime_type,
        kind=facts.kind,
        size_bytes=upload.size or 0,
        width=facts.width,
        height=facts.height,
        duration_s=facts.duration_s,
        codec=facts.codec,
        uploaded_by=acting_user,
    )
    asset.file.save(f"upload{facts.extension}", upload, save=False)
    if facts.thumbnail:
        asset.thumbnail.save("thumbnail.jpg", ContentFile(facts.thumbnail), save=False)
    asset.save()
    audit(
        verb="media.uploaded",
        workspace=workspace,
        actor=acting_user,
        target=asset,
        name=asset.original_name,
        size=asset.size_bytes,
    )
    return asset
