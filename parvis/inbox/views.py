"""The inbox pages: the list with its filters and bulk actions, and a conversation."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.accounts.models import User
from parvis.accounts.selectors import members_of
from parvis.channels.selectors import channel_label, channels_of
from parvis.core.exports import wants_csv
from parvis.inbox import saved_replies, selectors, work
from parvis.inbox.exports import conversations_csv
from parvis.inbox.list_rows import inbox_rows
from parvis.inbox.page_parts import address_start, dress_thread
from parvis.inbox.responsiveness import overdue_before
from parvis.inbox.threads import (
    Conversation,
    ConversationKind,
    ConversationStatus,
    Intent,
    Language,
    Message,
    Sentiment,
)
from parvis.networks import registry

LIST_FILTERS = (
    *("channel", "network", "kind", "status", "assignee", "tag", "since", "until"),
    *("language", "sentiment", "intent", "order", "overdue"),
)
LIST_QUERY = LIST_FILTERS  # what the pages' links keep (a page's cursor is added to it)
MOST_COUNTED = 1000  # past it the list says "more than": counting a million rows is slow


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _choice(raw: str | None, allowed) -> str:
    return raw if raw in allowed else ""


def _filters(request: HttpRequest) -> selectors.InboxFilters:
    query = request.GET
    channel = query.get("channel", "")
    status = query.get("status", ConversationStatus.OPEN)
    return selectors.InboxFilters(
        channel=int(channel) if channel.isdigit() else None,
        network=query.get("network", ""),
        kind=query.get("kind", "") if query.get("kind") in ConversationKind.values else "",
        status=status if status in ConversationStatus.values else "",
        assignee=query.get("assignee", ""),
        tag=query.get("tag", ""),
        since=_day(query.get("since")),
        until=_day(query.get("until")),
        language=_choice(query.get("language"), Language.values),
        sentiment=_choice(query.get("sentiment"), Sentiment.values),
        intent=_choice(query.get("intent"), Intent.values),
        order=_choice(query.get("order"), selectors.ORDERS),
        overdue=query.get("overdue") == "1",
    )


def _query(request: HttpRequest, **changed: object) -> str:
    kept = {k: request.GET[k] for k in LIST_QUERY if request.GET.get(k) is not None}
    return urlencode({**kept, **changed})


def _list_context(request: HttpRequest) -> dict:
    workspace = request.workspace
    filters = _filters(request)
    rows = selectors.conversations_of(workspace=workspace, filters=filters, user=request.user)
    channels = list(channels_of(workspace=workspace))
    networks = sorted({c.network for c in channels})
    at_page = {key: request.GET[key] for key in ("after", "before") if request.GET.get(key)}
    page = selectors.page_of(rows, order=filters.order, **at_page)
    overdue = overdue_before(workspace=workspace)
    return {
        "active_nav": "inbox",
        "rows": inbox_rows(
            page.conversations, workspace_slug=workspace.slug, overdue_before=overdue
        ),
        "older_query": _query(request, after=page.older) if page.older else "",
        "newer_query": _query(request, before=page.newer) if page.newer else "",
        "paged": bool(at_page),
        "filters_query": _query(request),
        "filters": filters,
        "query": _query(request, **at_page),  # this page: refreshed, and back after bulk
        "channels": [(c, channel_label(c)) for c in channels],
        "networks": [(key, _network_name(key)) for key in networks],
        "kinds": ConversationKind.choices,
        "statuses": ConversationStatus.choices,
        "triage_filters": _triage_filters(filters),
        "members": [m.user for m in members_of(workspace=workspace).select_related("user")],
        "tags": selectors.tags_of(workspace=workspace),
        "can_work": request.membership.can("inbox.reply"),
    }


def _triage_filters(filters: selectors.InboxFilters) -> list[tuple]:
    """(name, label, "all" label, choices, chosen) of each triage filter of the list."""
    return [
        ("sentiment", _("Sentiment"), _("All sentiments"), Sentiment.choices, filters.sentiment),
        ("intent", _("Intent"), _("All intents"), Intent.choices, filters.intent),
        ("language", _("Language"), _("All languages"), Language.choices, filters.language),
    ]


def _network_name(key: str) -> str:
    try:
        return str(registry.get(key).name)
    except registry.UnknownNetwork:
        return key


@workspace_view()
def inbox(request: HttpRequest) -> HttpResponse:
    if wants_csv(request):
        rows = selectors.conversations_of(
            workspace=request.workspace, filters=_filters(request), user=request.user
        )
        return conversations_csv(workspace=request.workspace, rows=rows)
    context = _list_context(request)
    if request.htmx and request.htmx.target == "inbox-rows":
        return render(request, "inbox/_rows.html", context)
    return render(request, "inbox/list.html", context)


@workspace_view()
def inbox_count(request: HttpRequest) -> HttpResponse:
    """How many conversations the list's filters select. The list asks for it once it is
    shown (htmx), so that it answers without waiting for a count: when few rows match,
    counting them reads every row of the filters' index. Without JavaScript the list
    links here and this is a page of its own."""
    total = selectors.conversations_count(
        workspace=request.workspace,
        filters=_filters(request),
        user=request.user,
        most=MOST_COUNTED + 1,
    )
    context = {
        "active_nav": "inbox",
        "total": total,
        "total_beyond": total > MOST_COUNTED,  # counted no further: "more than 1,000"
        "most_counted": MOST_COUNTED,
        "filters_query": _query(request),
    }
    if request.htmx:
        return render(request, "inbox/_total.html", context)
    return render(request, "inbox/count.html", context)


def _member(request: HttpRequest, raw: str) -> User | None:
    if not raw.isdigit():
        return None
    found = members_of(workspace=request.workspace).filter(user_id=int(raw)).first()
    if found is None:
        raise work.InboxError(_("Only a member of this workspace can be given a conversation."))
    return found.user


@workspace_view("inbox.reply")
@require_POST
def inbox_bulk(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    action = request.POST.get("action", "")
    back = reverse("inbox:list", kwargs={"workspace": request.workspace.slug})
    back += "?" + request.POST.get("query", "")
    if not ids:
        messages.warning(request, _("Select at least one conversation first."))
        return redirect(back)
    try:
        if action == "assign":
            assignee = _member(request, request.POST.get("assignee", ""))
            count = work.conversations_assign(
                workspace=request.workspace, ids=ids, assignee=assignee, acting_user=request.user
            )
        else:
            count = work.conversations_set_status(
                workspace=request.workspace, ids=ids, status=action, acting_user=request.user
            )
    except work.InboxError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(
        request,
        ngettext("%(count)d conversation updated.", "%(count)d conversations updated.", count)
        % {"count": count},
    )
    return redirect(back)


def _opened_at(request: HttpRequest) -> datetime | None:
    try:
        return datetime.fromisoformat(request.POST.get("opened_at") or request.GET["opened_at"])
    except (KeyError, ValueError):
        return None


def _neighbours(request: HttpRequest, conversation: Conversation) -> dict:
    """The conversations before and after this one in the open list (j / k)."""
    rows = (  # their ids only: the buttons link to them
        selectors.matching_conversations(
            workspace=request.workspace, filters=selectors.InboxFilters(), user=request.user
        )
        .exclude(pk=conversation.pk)
        .only("pk", "workspace_id")
    )
    at = conversation.last_message_at
    newer = rows.filter(last_message_at__gt=at).order_by("last_message_at", "id").first()
    older = rows.filter(last_message_at__lte=at).order_by(*selectors.ORDERS[""]).first()
    return {"previous_conversation": newer, "next_conversation": older}


def _conversation_context(request: HttpRequest, conversation: Conversation, **extra) -> dict:
    fresh = extra.get("opened_at") is None  # the page is opened by this request
    opened_at = extra.pop("opened_at", None) or timezone.now()
    network = work.network_of(conversation)
    whole = request.GET.get("all") == "1"  # "Show them all": every message of a long thread
    latest = None if whole else selectors.THREAD_LATEST
    thread = selectors.thread_of(conversation=conversation, latest=latest)
    received = [m for m in thread.items if isinstance(m, Message)]
    dress_thread(thread.items)
    values = saved_replies.placeholder_values(conversation=conversation, user=request.user)
    return {
        "active_nav": "inbox",
        "conversation": conversation,
        "network": network,
        "channel_name": channel_label(conversation.channel),
        "thread": thread.items,
        # Addresses that differ only by the author's or message's id (added in the page).
        "author_address": address_start(
            "community:author", last={"author_id": 0}, workspace=request.workspace.slug
        ),
        "moderate_address": address_start(
            "inbox:moderate",
            last={"message_id": 0, "action": "x"},
            workspace=request.workspace.slug,
            conversation_id=conversation.pk,
        ),
        "earlier": thread.earlier,
        "whole": whole,
        "hideable": {m.pk for m in received if work.can_hide(m)},
        "deletable": {m.pk for m in received if work.can_delete(m)},
        "likeable": {m.pk for m in received if work.can_like(m)},
        "notes": selectors.notes_of(conversation=conversation),
        "members": [m.user for m in members_of(workspace=request.workspace).select_related("user")],
        "statuses": ConversationStatus.choices,
        "tag_names": ", ".join(t.name for t in conversation.tags.all()),
        "saved_replies": [
            (saved, saved_replies.saved_reply_render(saved.text, values))
            for saved in saved_replies.saved_replies_of(workspace=request.workspace)
        ],
        "others": selectors.others_here(  # opened now: no answer can be newer yet
            conversation=conversation, user=request.user, since=None if fresh else opened_at
        ),
        "opened_at": opened_at.isoformat(),
        "can_work": request.membership.can("inbox.reply"),
        "can_note": request.membership.can("inbox.note"),
        **_neighbours(request, conversation),
        **extra,
    }


def _conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    return selectors.conversation_of_or_404(
        workspace=request.workspace, conversation_id=conversation_id
    )


@workspace_view()
def conversation_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    work.presence_touch(conversation=conversation, user=request.user)
    return render(request, "inbox/conversation.html", _conversation_context(request, conversation))


@workspace_view()
def conversation_live(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """What the open page refreshes every 15 s: the thread and who else is here."""
    conversation = _conversation(request, conversation_id)
    work.presence_touch(conversation=conversation, user=request.user)
    context = _conversation_context(request, conversation, opened_at=_opened_at(request))
    return render(request, "inbox/_live.html", context)


@workspace_view("inbox.reply")
@require_POST
def conversation_typing(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    work.presence_touch(conversation=conversation, user=request.user, typing=True)
    return HttpResponse(status=204)


def _back(conversation: Conversation) -> HttpResponse:
    return redirect(
        "inbox:conversation",
        workspace=conversation.workspace.slug,
        conversation_id=conversation.pk,
    )


@workspace_view("inbox.reply")
@require_POST
def conversation_reply(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    text = request.POST.get("text", "")
    opened_at = _opened_at(request)
    others = selectors.others_here(conversation=conversation, user=request.user, since=opened_at)
    if others.replied and not request.POST.get("confirm"):
        context = _conversation_context(
            request, conversation, opened_at=opened_at, draft=text, confirm_needed=True
        )
        return render(request, "inbox/conversation.html", context, status=409)
    to = None
    if (raw := request.POST.get("to", "")).isdigit():
        to = selectors.message_of_or_404(conversation=conversation, message_id=int(raw))
    try:
        work.reply_write(conversation=conversation, text=text, acting_user=request.user, to=to)
    except work.InboxError as error:
        context = _conversation_context(
            request, conversation, opened_at=opened_at, draft=text, reply_error=str(error)
        )
        return render(request, "inbox/conversation.html", context, status=400)
    messages.success(request, _("Your answer is on its way: it shows as sent once it is."))
    return _back(conversation)


@workspace_view("inbox.reply")
@require_POST
def conversation_update(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Status, assignee or tags (one form each on the page)."""
    conversation = _conversation(request, conversation_id)
    ids, workspace, user = [conversation.pk], request.workspace, request.user
    try:
        if "status" in request.POST:
            status = request.POST["status"]
            work.conversations_set_status(
                workspace=workspace, ids=ids, status=status, acting_user=user
            )
        elif "assignee" in request.POST:
            assignee = _member(request, request.POST["assignee"])
            work.conversations_assign(
                workspace=workspace, ids=ids, assignee=assignee, acting_user=user
            )
        elif "tags" in request.POST:
            work.conversation_set_tags(
                conversation=conversation, raw=request.POST["tags"], acting_user=user
            )
    except work.InboxError as error:
        messages.error(request, str(error))
        return _back(conversation)
    if request.POST.get("status") == ConversationStatus.DONE and request.POST.get("then_next"):
        following = _neighbours(request, conversation)["next_conversation"]
        if following is not None:
            return _back(following)
    return _back(conversation)


@workspace_view("inbox.note")
@require_POST
def conversation_note(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    try:
        work.note_add(
            conversation=conversation, text=request.POST.get("text", ""), acting_user=request.user
        )
    except work.InboxError as error:
        messages.error(request, str(error))
    return _back(conversation)


# What each moderation action says once the network has done it.
MODERATED = {
    "delete": gettext_lazy("The message was deleted on the network."),
    "hide": gettext_lazy("The comment is hidden on the network."),
    "show": gettext_lazy("The comment is visible again on the network."),
    "like": gettext_lazy("The message is liked on the network."),
    "unlike": gettext_lazy("The like was removed on the network."),
}


@workspace_view("inbox.reply")
@require_POST
def message_moderate(
    request: HttpRequest, conversation_id: int, message_id: int, action: str
) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    message = selectors.message_of_or_404(conversation=conversation, message_id=message_id)
    try:
        if action == "delete":
            work.message_delete(message=message, acting_user=request.user)
        elif action in ("like", "unlike"):
            work.message_like(message=message, liked=action == "like", acting_user=request.user)
        else:
            work.message_hide(message=message, hidden=action == "hide", acting_user=request.user)
        messages.success(request, MODERATED.get(action, MODERATED["show"]))
    except work.InboxError as error:
        messages.error(request, str(error))
    return _back(conversation)
