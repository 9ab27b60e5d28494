"""Link pages: every short link with its clicks, one link's clicks per day, the
link-in-bio settings, and the public link-in-bio page."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.accounts.models import Workspace
from parvis.core.exports import wants_csv
from parvis.core.timezones import to_local
from parvis.links import actions, selectors
from parvis.links.exports import clicks_by_day_csv, links_csv
from parvis.links.forms import BioLinkForm
from parvis.links.models import BioLink

PERIODS = (7, 30, 90, 365)
DEFAULT_PERIOD = 30


def _period(request: HttpRequest) -> tuple[int, date, date]:
    """The chosen number of days (a known choice, else 30), ending today in the
    workspace's zone."""
    try:
        days = int(request.GET.get("days", DEFAULT_PERIOD))
    except ValueError:
        days = DEFAULT_PERIOD
    days = days if days in PERIODS else DEFAULT_PERIOD
    today = to_local(timezone.now(), request.workspace.time_zone).date()
    return days, today - timedelta(days=days - 1), today


@workspace_view()
def link_list(request: HttpRequest) -> HttpResponse:
    days, start, end = _period(request)
    links = selectors.links_with_clicks(workspace=request.workspace, start=start, end=end)
    if wants_csv(request):
        return links_csv(workspace=request.workspace, links=links)
    return render(
        request,
        "links/links.html",
        {
            "active_nav": "links",
            "links": links,
            "days": days,
            "periods": PERIODS,
            "start": start,
            "end": end,
            "period_total": selectors.clicks_total(
                workspace=request.workspace, start=start, end=end
            ),
        },
    )


@workspace_view()
def link_detail(request: HttpRequest, link_id: int) -> HttpResponse:
    link = selectors.link_of_or_404(workspace=request.workspace, link_id=link_id)
    days, start, end = _period(request)
    by_day = selectors.clicks_by_day(
        workspace=request.workspace, start=start, end=end, link_id=link.pk
    )
    if wants_csv(request):
        return clicks_by_day_csv(workspace=request.workspace, link=link, by_day=by_day)
    most = max(by_day.values(), default=0)
    return render(
        request,
        "links/link.html",
        {
            "active_nav": "links",
            "link": link,
            "days": days,
            "periods": PERIODS,
            "by_day": [
                (day, count, round(100 * count / most) if most else 0)
                for day, count in sorted(by_day.items(), reverse=True)
            ],
            "period_total": sum(by_day.values()),
            "total": selectors.clicks_total(
                workspace=request.workspace, start=None, end=None, link_id=link.pk
            ),
            "robots": selectors.robot_clicks(workspace=request.workspace, link_id=link.pk),
            "referrers": selectors.top_referrers(workspace=request.workspace, link_id=link.pk),
        },
    )


# --- Link in bio ------------------------------------------------------------


@workspace_view()
def bio_settings(request: HttpRequest) -> HttpResponse:
    can_manage = request.membership.can("link.manage")
    form = BioLinkForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Only editors and admins change the link-in-bio page."))
        if form.is_valid():
            saved = _save(request, form, None)
            if saved is not None:
                messages.success(request, _("Link added to the page."))
                return redirect("links:bio_settings", workspace=request.workspace.slug)
    return render(
        request,
        "links/bio_settings.html",
        {
            "active_nav": "settings",
            "bio_links": selectors.bio_links(workspace=request.workspace),
            "form": form,
            "can_manage": can_manage,
        },
        status=400 if request.method == "POST" else 200,
    )


def _save(request: HttpRequest, form: BioLinkForm, bio_link: BioLink | None) -> BioLink | None:
    data = form.cleaned_data
    try:
        if bio_link is None:
            return actions.bio_link_create(
                workspace=request.workspace,
                label=data["label"],
                url=data["url"],
                acting_user=request.user,
            )
        return actions.bio_link_update(
            bio_link=bio_link,
            label=data["label"],
            url=data["url"],
            hidden=data["hidden"],
            acting_user=request.user,
        )
    except actions.LinkError as error:
        form.add_error(error.field, error.message)
        return None


@workspace_view("link.manage")
def bio_edit(request: HttpRequest, bio_link_id: int) -> HttpResponse:
    bio_link = selectors.bio_link_of_or_404(workspace=request.workspace, bio_link_id=bio_link_id)
    form = BioLinkForm(request.POST or None, instance=bio_link)
    if request.method == "POST" and form.is_valid() and _save(request, form, bio_link):
        messages.success(request, _("Link saved."))
        return redirect("links:bio_settings", workspace=request.workspace.slug)
    return render(
        request,
        "links/bio_edit.html",
        {"active_nav": "settings", "form": form, "bio_link": bio_link},
        status=400 if request.method == "POST" else 200,
    )


@workspace_view("link.manage")
@require_POST
def bio_move(request: HttpRequest, bio_link_id: int) -> HttpResponse:
    bio_link = selectors.bio_link_of_or_404(workspace=request.workspace, bio_link_id=bio_link_id)
    actions.bio_link_move(
        bio_link=bio_link, up=request.POST.get("direction") == "up", acting_user=request.user
    )
    return redirect("links:bio_settings", workspace=request.workspace.slug)


@workspace_view("link.manage")
@require_POST
def bio_delete(request: HttpRequest, bio_link_id: int) -> HttpResponse:
    bio_link = selectors.bio_link_of_or_404(workspace=request.workspace, bio_link_id=bio_link_id)
    actions.bio_link_delete(bio_link=bio_link, acting_user=request.user)
    messages.success(request, _("Link removed from the page."))
    return redirect("links:bio_settings", workspace=request.workspace.slug)


@cache_control(public=True, max_age=60)
def bio_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The public link-in-bio page: no login, no JavaScript, one query for the links."""
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise Http404("No such page.")
    return render(
        request,
        "links/bio.html",
        {
            "page_workspace": workspace,
            "bio_links": selectors.bio_links(workspace=workspace, visible_only=True),
        },
    )
