"""The composer: write once, check against each network, schedule or publish now."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parvis.accounts.access import workspace_view
from parvis.publishing.actions import post_draft, post_schedule
from parvis.publishing.forms import ComposeForm


@workspace_view("post.draft")
def compose(request: HttpRequest) -> HttpResponse:
    form = ComposeForm(request.POST or None, workspace=request.workspace)
    can_schedule = request.membership.can("post.schedule")
    if request.method == "POST" and form.is_valid():
        channels = list(form.cleaned_data["channels"])
        if request.POST.get("action") == "draft":
            post_draft(
                workspace=request.workspace,
                text=form.cleaned_data["text"],
                channels=channels,
                acting_user=request.user,
            )
            messages.success(request, _("Draft saved."))
            return redirect("web:calendar", workspace=request.workspace.slug)
        if not can_schedule:
            raise PermissionDenied(_("Your role can save drafts but not schedule posts."))
        if not channels:
            form.add_error("channels", _("Choose at least one channel."))
        else:
            post = post_draft(
                workspace=request.workspace,
                text=form.cleaned_data["text"],
                channels=channels,
                acting_user=request.user,
            )
            post_schedule(
                post=post, at=form.schedule_at(), channels=channels, acting_user=request.user
            )
            messages.success(
                request,
                ngettext(
                    "Post scheduled on %(count)d channel.",
                    "Post scheduled on %(count)d channels.",
                    len(channels),
                )
                % {"count": len(channels)},
            )
            return redirect("web:calendar", workspace=request.workspace.slug)
    return render(
        request,
        "publishing/compose.html",
        {"active_nav": "compose", "form": form, "can_schedule": can_schedule},
        status=400 if request.method == "POST" else 200,
    )


@workspace_view("post.draft")
def compose_check(request: HttpRequest) -> HttpResponse:
    """htmx: the counters and problems for each chosen channel, as the person types."""
    form = ComposeForm(request.POST, workspace=request.workspace)
    form.is_valid()
    return render(request, "publishing/_checks.html", {"measures": form.measures()})
