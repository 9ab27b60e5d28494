"""Settings → Snippets: everyone reads them, editors and above write them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.publishing import snippets
from parvis.publishing.forms import SnippetForm
from parvis.publishing.models import Snippet, SnippetKind


def _saved(form: SnippetForm, save) -> bool:
    """Call ``save`` with the form's data; a refusal becomes the field's error."""
    if not form.is_valid():
        return False
    try:
        save(**form.cleaned_data)
    except snippets.SnippetError as error:
        form.add_error(error.field, str(error))
        return False
    return True


def _rows(workspace) -> list[tuple[Snippet, list[snippets.HashtagLimit]]]:
    return [
        (s, snippets.limits_exceeded(snippet=s)) for s in snippets.snippets_of(workspace=workspace)
    ]


@workspace_view()
def snippet_settings(request: HttpRequest) -> HttpResponse:
    can_change = request.membership.can("snippet.manage")
    form = SnippetForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("Only editors and admins change snippets."))

        def create(*, kind: str, name: str, text: str) -> None:
            snippets.snippet_create(
                workspace=request.workspace,
                kind=kind,
                name=name,
                text=text,
                acting_user=request.user,
            )

        if _saved(form, create):
            messages.success(request, _("Saved."))
            return redirect("publishing:snippet_settings", workspace=request.workspace.slug)
    rows = _rows(request.workspace)
    return render(
        request,
        "publishing/snippet_settings.html",
        {
            "active_nav": "settings",
            "form": form,
            "can_change": can_change,
            "hashtag_groups": [r for r in rows if r[0].kind == SnippetKind.HASHTAGS],
            "texts": [r for r in rows if r[0].kind == SnippetKind.TEXT],
        },
        status=400 if request.method == "POST" else 200,
    )


@workspace_view("snippet.manage")
def snippet_edit(request: HttpRequest, snippet_id: int) -> HttpResponse:
    snippet = snippets.snippet_of_or_404(workspace=request.workspace, snippet_id=snippet_id)
    form = SnippetForm(request.POST or None, snippet=snippet)
    if request.method == "POST":

        def update(*, kind: str, name: str, text: str) -> None:
            snippets.snippet_update(snippet=snippet, name=name, text=text, acting_user=request.user)

        if _saved(form, update):
            messages.success(request, _("Saved."))
            return redirect("publishing:snippet_settings", workspace=request.workspace.slug)
    return render(
        request,
        "publishing/snippet_edit.html",
        {"active_nav": "settings", "form": form, "snippet": snippet},
        status=400 if request.method == "POST" else 200,
    )


@workspace_view("snippet.manage")
@require_POST
def snippet_delete(request: HttpRequest, snippet_id: int) -> HttpResponse:
    snippet = snippets.snippet_of_or_404(workspace=request.workspace, snippet_id=snippet_id)
    snippets.snippet_delete(snippet=snippet, acting_user=request.user)
    messages.success(request, _("“%(name)s” deleted.") % {"name": snippet.name})
    return redirect("publishing:snippet_settings", workspace=request.workspace.slug)
