"""Goal pages: the list with each goal's progress, the form, archiving."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.core.exports import wants_csv
from parvis.strategy import actions, selectors
from parvis.strategy.editing import form_page
from parvis.strategy.exports import goals_csv
from parvis.strategy.forms import GoalForm
from parvis.strategy.models import Goal
from parvis.strategy.progress import progress_of_goals


def _goals_url(request: HttpRequest) -> str:
    return reverse("strategy:goals", kwargs={"workspace": request.workspace.slug})


@workspace_view()
def goal_list(request: HttpRequest) -> HttpResponse:
    goals = list(selectors.goals_of(workspace=request.workspace))
    active = [g for g in goals if not g.archived]
    if wants_csv(request):
        return goals_csv(workspace=request.workspace, progress=progress_of_goals(goals))
    return render(
        request,
        "strategy/goals.html",
        {
            "active_nav": "goals",
            "progress": progress_of_goals(active),
            "archived": [g for g in goals if g.archived],
            "can_manage": request.membership.can("strategy.manage"),
        },
    )


def _form_page(request: HttpRequest, goal: Goal | None) -> HttpResponse:
    def save(data: dict) -> Goal:
        if goal is None:
            return actions.goal_create(workspace=request.workspace, **data)
        return actions.goal_update(goal=goal, **data)

    return form_page(
        request,
        form=GoalForm(request.POST or None, workspace=request.workspace, goal=goal),
        save=save,
        saved_message=_("Goal saved."),
        next_url=lambda _saved: _goals_url(request),
        template="strategy/goal_form.html",
        context={"active_nav": "goals", "goal": goal},
    )


@workspace_view("strategy.manage")
def goal_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@workspace_view("strategy.manage")
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.goal_of_or_404(workspace=request.workspace, goal_id=goal_id)
    return _form_page(request, goal)


@workspace_view("strategy.manage")
@require_POST
def goal_archive(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.goal_of_or_404(workspace=request.workspace, goal_id=goal_id)
    archived = request.POST.get("archived", "1") != "0"
    actions.goal_archive(goal=goal, archived=archived, acting_user=request.user)
    messages.success(request, _("Goal archived.") if archived else _("Goal back in use."))
    return redirect(_goals_url(request))
