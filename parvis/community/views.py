"""The Community pages: people with filters and segments, a profile, merging, GDPR."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.community import people, privacy, selectors
from parvis.community.exports import people_csv
from parvis.community.models import Handle, Person, Segment
from parvis.core.exports import wants_csv
from parvis.networks import registry

MOST_SHOWN = 1000


def _number(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def _filters(query) -> selectors.PeopleFilters:
    sort = query.get("sort", "score")
    return selectors.PeopleFilters(
        q=query.get("q", "").strip()[:100],
        network=query.get("network", ""),
        tag=query.get("tag", ""),
        min_score=_number(query.get("min_score")),
        seen_days=_number(query.get("seen_days")),
        sort=sort if sort in selectors.SORTS else "score",
    )


def _network_name(key: str) -> str:
    try:
        return str(registry.get(key).name)
    except registry.UnknownNetwork:
        return key


def _list_url(request: HttpRequest) -> str:
    return reverse("community:list", kwargs={"workspace": request.workspace.slug})


def _person_url(request: HttpRequest, person: Person) -> str:
    return reverse(
        "community:person", kwargs={"workspace": request.workspace.slug, "person_id": person.pk}
    )


@workspace_view()
def community(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    people.community_freshen(workspace=workspace)
    segment = None
    query = request.GET
    if (segment_id := _number(query.get("segment"))) is not None:
        segment = Segment.objects.in_workspace(workspace).filter(pk=segment_id).first()
        if segment is not None:
            query = segment.query
    filters = _filters(query)
    rows = selectors.people_of(workspace=workspace, filters=filters)
    if wants_csv(request):
        return people_csv(workspace=workspace, rows=rows)
    shown = min(_number(request.GET.get("shown")) or selectors.PAGE, MOST_SHOWN)
    total = rows.count()
    networks = sorted(
        set(Handle.objects.in_workspace(workspace).values_list("author__network", flat=True))
    )
    return render(
        request,
        "community/list.html",
        {
            "active_nav": "community",
            "people": rows[:shown],
            "total": total,
            "shown": shown,
            "more": shown + selectors.PAGE if shown < min(total, MOST_SHOWN) else None,
            "filters": filters,
            "filters_query": filters.as_query(),
            "segment": segment,
            "segments": selectors.segments_of(workspace=workspace),
            "tags": selectors.person_tags_of(workspace=workspace),
            "networks": [(key, _network_name(key)) for key in networks],
            "sorts": [
                ("score", _("Engagement score (top fans)")),
                ("recent", _("Last seen")),
                ("first", _("First seen")),
                ("messages", _("Messages")),
                ("name", _("Name")),
            ],
            "can_edit": request.membership.can("community.edit"),
        },
    )


@workspace_view()
def author_profile(request: HttpRequest, author_id: int) -> HttpResponse:
    """From the inbox: the profile of the person behind one author."""
    person = people.person_of_author(workspace=request.workspace, author_id=author_id)
    if person is None:
        raise Http404(_("No such person."))
    return redirect(_person_url(request, person))


def _person_or_404(request: HttpRequest, person_id: int) -> Person:
    person = selectors.person_in(workspace=request.workspace, person_id=person_id)
    if person is None:
        raise Http404(_("No such person."))
    return person


@workspace_view()
def person_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    people.people_refresh(workspace=request.workspace, person_ids=[person.pk])
    person.refresh_from_db()
    handles = selectors.person_handles(person=person)
    return render(
        request,
        "community/person.html",
        {
            "active_nav": "community",
            "person": person,
            "handles": [(h, _network_name(h.author.network)) for h in handles],
            "history": selectors.person_history(person=person),
            "notes": person.notes.select_related("author"),
            "tags_value": ", ".join(t.name for t in person.tags.all()),
            "suggested_tags": people.SUGGESTED_TAGS,
            "can_edit": request.membership.can("community.edit"),
            "can_privacy": request.membership.can("community.privacy"),
        },
    )


@workspace_view("community.edit")
@require_POST
def person_update(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    try:
        if "tags" in request.POST:
            people.person_set_tags(
                person=person, raw=request.POST["tags"], acting_user=request.user
            )
            messages.success(request, _("Tags saved."))
        if "note" in request.POST:
            people.person_note_add(
                person=person, text=request.POST["note"], acting_user=request.user
            )
            messages.success(request, _("Note added."))
    except people.CommunityError as error:
        messages.error(request, str(error))
    return redirect(_person_url(request, person))


@workspace_view("community.edit")
@require_POST
def people_merge(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    found = {p.pk: p for p in Person.objects.in_workspace(request.workspace).filter(pk__in=ids)}
    chosen = [found[i] for i in ids if i in found]
    try:
        kept = people.people_merge(
            workspace=request.workspace, people=chosen, acting_user=request.user
        )
    except people.CommunityError as error:
        messages.error(request, str(error))
        return redirect(_list_url(request))
    messages.success(request, _("%(name)s is now one person.") % {"name": kept})
    return redirect(_person_url(request, kept))


@workspace_view("community.edit")
@require_POST
def handle_separate(request: HttpRequest, person_id: int, handle_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    handle = person.handles.filter(pk=handle_id).first()
    if handle is None:
        raise Http404(_("No such handle."))
    try:
        alone = people.handle_separate(handle=handle, acting_user=request.user)
    except people.CommunityError as error:
        messages.error(request, str(error))
        return redirect(_person_url(request, person))
    messages.success(request, _("%(name)s is a separate person again.") % {"name": alone})
    return redirect(_person_url(request, person))


@workspace_view("community.edit")
@require_POST
def segment_save(request: HttpRequest) -> HttpResponse:
    filters = _filters(request.POST)
    try:
        segment = people.segment_save(
            workspace=request.workspace,
            name=request.POST.get("name", ""),
            query=filters.as_query(),
            acting_user=request.user,
        )
    except people.CommunityError as error:
        messages.error(request, str(error))
        return redirect(_list_url(request))
    return redirect(f"{_list_url(request)}?segment={segment.pk}")


@workspace_view("community.edit")
@require_POST
def segment_delete(request: HttpRequest, segment_id: int) -> HttpResponse:
    segment = Segment.objects.in_workspace(request.workspace).filter(pk=segment_id).first()
    if segment is None:
        raise Http404(_("No such segment."))
    people.segment_delete(segment=segment, acting_user=request.user)
    messages.success(request, _("Segment deleted."))
    return redirect(_list_url(request))


@workspace_view("community.privacy")
def person_export(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    data = privacy.person_export(person=person, acting_user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    name = slugify(person.name) or f"person-{person.pk}"
    response["Content-Disposition"] = f'attachment; filename="parvis-{name}.json"'
    return response


@workspace_view("community.privacy")
def person_erase(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    if request.method == "POST" and request.POST.get("confirm") == "erase":
        erasure = privacy.person_erase(person=person, acting_user=request.user)
        messages.success(
            request,
            _(
                "Everything held about this person is erased: %(handles)s handles and "
                "%(messages)s messages."
            )
            % {"handles": erasure.handles, "messages": erasure.messages},
        )
        return redirect(_list_url(request))
    if request.method == "POST":
        messages.error(request, _("Tick the confirmation box to erase this person."))
    return render(
        request,
        "community/erase.html",
        {
            "active_nav": "community",
            "person": person,
            "handles": selectors.person_handles(person=person),
        },
    )
