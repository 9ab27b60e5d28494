"""The saved replies' settings page (the conversation page inserts them)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.inbox import saved_replies
from parvis.inbox.work import InboxError


@workspace_view()
def saved_reply_settings(request: HttpRequest) -> HttpResponse:
    can_change = request.membership.can("inbox.reply")
    form = {"name": "", "text": ""}
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("Only editors and admins change saved replies."))
        form = {"name": request.POST.get("name", ""), "text": request.POST.get("text", "")}
        try:
            saved_replies.saved_reply_save(
                workspace=request.workspace, acting_user=request.user, **form
            )
        except InboxError as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(request, _("Saved reply added."))
            return redirect("inbox:saved_replies", workspace=request.workspace.slug)
    context = {
        "active_nav": "settings",
        "saved": saved_replies.saved_replies_of(workspace=request.workspace),
        "placeholders": saved_replies.PLACEHOLDERS,
        "form": form,
        "can_change": can_change,
    }
    return render(request, "inbox/saved_replies.html", context, status=status)


@workspace_view("inbox.reply")
@require_POST
def saved_reply_delete(request: HttpRequest, saved_id: int) -> HttpResponse:
    saved = get_object_or_404(
        saved_replies.saved_replies_of(workspace=request.workspace), pk=saved_id
    )
    saved_replies.saved_reply_delete(saved=saved, acting_user=request.user)
    messages.success(request, _("Saved reply deleted."))
    return redirect("inbox:saved_replies", workspace=request.workspace.slug)
