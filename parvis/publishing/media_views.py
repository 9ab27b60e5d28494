"""The media library's pages, its files (served to the workspace's members only) and
the composer's media panel (htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.publishing import media, uploads
from parvis.publishing.forms import ComposeForm
from parvis.publishing.media import MediaChoice, MediaInUse, MediaRejected
from parvis.publishing.media_models import MediaAsset

PICKER_SIZE = 48  # the library's latest files offered in the composer


def _upload_all(request: HttpRequest) -> tuple[list[MediaAsset], list[str]]:
    """Each uploaded file into the library; the refused ones with their reason."""
    if not request.membership.can("media.upload"):
        raise PermissionDenied(_("Your role in this workspace does not allow adding media."))
    added, refused = [], []
    for upload in request.FILES.getlist("files"):
        try:
            added.append(
                uploads.media_upload(
                    workspace=request.workspace, upload=upload, acting_user=request.user
                )
            )
        except MediaRejected as error:
            refused.append(f"{upload.name}: {error}")
    return added, refused


@workspace_view()
def library(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        added, refused = _upload_all(request)
        if added:
            messages.success(
                request,
                ngettext("%(count)d file added.", "%(count)d files added.", len(added))
                % {"count": len(added)},
            )
        for reason in refused:
            messages.error(request, reason)
        if not added and not refused:
            messages.error(request, _("Choose one or more files to add."))
        return redirect("publishing:media", workspace=request.workspace.slug)
    return render(
        request,
        "publishing/media_library.html",
        {
            "active_nav": "media",
            "assets": media.media_of(workspace=request.workspace),
            "can_upload": request.membership.can("media.upload"),
            "can_delete": request.membership.can("media.delete"),
            "max_alt": media.MAX_ALT_TEXT,
        },
    )


@workspace_view("media.upload")
@require_POST
def describe(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = media.media_asset_or_404(workspace=request.workspace, asset_id=asset_id)
    try:
        media.media_set_alt(
            asset=asset, alt_text=request.POST.get("alt_text", ""), acting_user=request.user
        )
    except MediaRejected as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Description saved."))
    return redirect("publishing:media", workspace=request.workspace.slug)


@workspace_view("media.delete")
@require_POST
def delete(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = media.media_asset_or_404(workspace=request.workspace, asset_id=asset_id)
    try:
        media.media_delete(asset=asset, acting_user=request.user)
    except MediaInUse as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("File deleted."))
    return redirect("publishing:media", workspace=request.workspace.slug)


def _serve(field) -> FileResponse:
    if not field:
        raise Http404(_("No such file."))
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("No such file.")) from error
    return FileResponse(handle)


@workspace_view()
def file(request: HttpRequest, asset_id: int) -> FileResponse:
    """The file itself, for the workspace's members only (no public URL)."""
    asset = media.media_asset_or_404(workspace=request.workspace, asset_id=asset_id)
    response = _serve(asset.file)
    response["Content-Type"] = asset.mime_type
    response["Cache-Control"] = "private, max-age=3600"
    return response


@workspace_view()
def thumbnail(request: HttpRequest, asset_id: int) -> FileResponse:
    asset = media.media_asset_or_404(workspace=request.workspace, asset_id=asset_id)
    response = _serve(asset.thumbnail)
    response["Content-Type"] = "image/jpeg"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- The composer's media panel -------------------------------------------------------


def _apply(choice: MediaChoice, op: str, library: dict[int, MediaAsset]) -> None:
    """One change to the chosen media: add:T:ID, up:T:I, down:T:I, remove:T:I, own:C,
    shared:C, where T is "shared" or a channel id."""
    verb, _sep, rest = op.partition(":")
    target, _sep, arg = rest.partition(":")
    if verb in ("own", "shared"):
        if target.isdigit() and verb == "own":
            choice.own[int(target)] = list(choice.shared)
        elif target.isdigit():
            choice.own.pop(int(target), None)
        return
    if target == "shared":
        items = choice.shared
    elif target.isdigit() and int(target) in choice.own:
        items = choice.own[int(target)]
    else:
        return
    if not arg.isdigit():
        return
    index = int(arg)
    if verb == "add" and index in library and library[index] not in items:
        items.append(library[index])
    elif verb == "remove" and index < len(items):
        items.pop(index)
    elif verb == "up" and 0 < index < len(items):
        items[index - 1], items[index] = items[index], items[index - 1]
    elif verb == "down" and index + 1 < len(items):
        items[index + 1], items[index] = items[index], items[index + 1]


def _rows(assets: list[MediaAsset], alts: dict[int, str], seen: set[int]) -> list[dict]:
    """One row per chosen file; its description field only where it first appears."""
    rows = []
    for index, asset in enumerate(assets):
        rows.append(
            {
                "index": index,
                "asset": asset,
                "alt": alts.get(asset.pk, asset.alt_text),
                "describe": asset.pk not in seen,
            }
        )
        seen.add(asset.pk)
    return rows


def media_panel_context(request: HttpRequest, form: ComposeForm) -> dict:
    choice, alts, seen = form.media_choice(), form.alts(), set()
    shared = _rows(choice.shared, alts, seen)
    channels = [{**row, "rows": _rows(row["assets"], alts, seen)} for row in form.media_rows()]
    return {
        "shared_rows": shared,
        "channel_rows": channels,
        "library": list(media.media_of(workspace=request.workspace)[:PICKER_SIZE]),
        "can_upload": request.membership.can("media.upload"),
    }


@workspace_view("post.draft")
@require_POST
def compose_media(request: HttpRequest) -> HttpResponse:
    """htmx: change the composer's media (add, upload, reorder, remove, per channel)."""
    form = ComposeForm(request.POST, workspace=request.workspace)
    choice = form.media_choice()
    refused: list[str] = []
    op = request.POST.get("op", "")
    if op.startswith("upload:"):
        added, refused = _upload_all(request)
        target = op.partition(":")[2]
        for asset in added:
            _apply(choice, f"add:{target}:{asset.pk}", {asset.pk: asset})
    else:
        library = {a.pk: a for a in media.media_of(workspace=request.workspace)[:PICKER_SIZE]}
        if op.startswith("add:"):
            wanted = op.rpartition(":")[2]
            if wanted.isdigit() and int(wanted) not in library:
                found = media.media_by_ids(workspace=request.workspace, ids=[int(wanted)])
                library.update({a.pk: a for a in found})
        _apply(choice, op, library)
    context = media_panel_context(request, form)
    context["refused"] = refused
    response = render(request, "publishing/_media_panel.html", context)
    response["HX-Trigger-After-Settle"] = "media-changed"  # once the new panel is in
    return response
