"""Content pillar pages: the pillars with their mix month by month, the form, archiving."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.strategy import actions, selectors
from parvis.strategy.editing import form_page
from parvis.strategy.forms import PillarForm
from parvis.strategy.models import Pillar

MONTHS_SHOWN = 6  # the last five months, this one and the next


def _pillars_url(request: HttpRequest) -> str:
    return reverse("strategy:pillars", kwargs={"workspace": request.workspace.slug})


@workspace_view()
def pillar_list(request: HttpRequest) -> HttpResponse:
    pillars = list(selectors.pillars_of(workspace=request.workspace))
    this_month = timezone.localdate().replace(day=1)
    first = selectors.add_months(this_month, -(MONTHS_SHOWN - 2))
    return render(
        request,
        "strategy/pillars.html",
        {
            "active_nav": "pillars",
            "pillars": pillars,
            "target_total": sum(p.target_share for p in pillars if not p.archived),
            "months": selectors.pillar_mix_by_month(
                workspace=request.workspace, first=first, months=MONTHS_SHOWN
            ),
            "this_month": this_month,
            "can_manage": request.membership.can("strategy.manage"),
        },
    )


def _form_page(request: HttpRequest, pillar: Pillar | None) -> HttpResponse:
    def save(data: dict) -> Pillar:
        if pillar is None:
            return actions.pillar_create(workspace=request.workspace, **data)
        return actions.pillar_update(pillar=pillar, **data)

    return form_page(
        request,
        form=PillarForm(request.POST or None, pillar=pillar),
        save=save,
        saved_message=_("Pillar saved."),
        next_url=lambda _saved: _pillars_url(request),
        template="strategy/pillar_form.html",
        context={"active_nav": "pillars", "pillar": pillar},
    )


@workspace_view("strategy.manage")
def pillar_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@workspace_view("strategy.manage")
def pillar_edit(request: HttpRequest, pillar_id: int) -> HttpResponse:
    pillar = selectors.pillar_of_or_404(workspace=request.workspace, pillar_id=pillar_id)
    return _form_page(request, pillar)


@workspace_view("strategy.manage")
@require_POST
def pillar_archive(request: HttpRequest, pillar_id: int) -> HttpResponse:
    pillar = selectors.pillar_of_or_404(workspace=request.workspace, pillar_id=pillar_id)
    archived = request.POST.get("archived", "1") != "0"
    try:
        actions.pillar_archive(pillar=pillar, archived=archived, acting_user=request.user)
    except actions.StrategyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Pillar archived.") if archived else _("Pillar back in use."))
    return redirect(_pillars_url(request))
