"""The composer, a post's page (review, history, deliveries) and its edits."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.channels.models import Channel
from parvis.channels.selectors import channel_label
from parvis.links.selectors import post_links
from parvis.publishing import actions, media, queue, recurrence, selectors, snippets
from parvis.publishing.forms import ComposeForm, QueueSlotForm, ReviewForm
from parvis.publishing.link_tracking import post_set_link_tracking
from parvis.publishing.media_views import media_panel_context
from parvis.publishing.models import Post, PostStatus, QueueSlot, SnippetKind


def _scheduled_message(count: int) -> str:
    return ngettext(
        "Post scheduled on %(count)d channel.", "Post scheduled on %(count)d channels.", count
    ) % {"count": count}


def _moment(at) -> dict[str, str]:
    """A moment as the workspace reads it (its zone is active in workspace views)."""
    local = timezone.localtime(at)
    return {"moment": formats.date_format(local, "DATETIME_FORMAT"), "zone": str(local.tzinfo)}


def _composer_context(request: HttpRequest, form: ComposeForm, post: Post | None = None) -> dict:
    saved = snippets.snippets_of(workspace=request.workspace)
    return {
        "active_nav": "compose",
        "form": form,
        "post": post,
        "needs_review": actions.needs_review(membership=request.membership),
        "hashtag_groups": [s for s in saved if s.kind == SnippetKind.HASHTAGS],
        "text_snippets": [s for s in saved if s.kind == SnippetKind.TEXT],
        **media_panel_context(request, form),
    }


def _save_alts(request: HttpRequest, form: ComposeForm) -> None:
    media.media_set_alts(workspace=request.workspace, alts=form.alts(), acting_user=request.user)


@workspace_view("post.draft")
def compose(request: HttpRequest) -> HttpResponse:
    form = ComposeForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "draft")
        if action == "schedule" and actions.needs_review(membership=request.membership):
            raise PermissionDenied(_("Your posts are approved before they are scheduled."))
        channels = list(form.cleaned_data["channels"])
        draft = selectors.own_draft_or_none(
            workspace=request.workspace, user=request.user, draft_id=request.POST.get("draft")
        )
        if action != "draft" and not channels:
            form.add_error("channels", _("Choose at least one channel."))
        else:
            try:
                post = _compose_save(request, form, draft, channels)
            except actions.PublishingError as error:  # e.g. the campaign was just archived
                field = "pillar" if isinstance(error, actions.PillarRefused) else "campaign"
                form.add_error(field, str(error))
            else:
                return _after_compose(request, post, action, form)
    return render(
        request,
        "publishing/compose.html",
        _composer_context(request, form),
        status=400 if request.method == "POST" else 200,
    )


def _compose_save(request: HttpRequest, form: ComposeForm, draft: Post | None, channels) -> Post:
    written = {
        "text": form.cleaned_data["text"],
        "channels": channels,
        "scheduled_at": form.proposed_at(),
        "variants": form.variants(),
        "thread_parts": form.thread_parts(),
        "first_comment": form.cleaned_data["first_comment"],
        "link": form.cleaned_data["link"],
        "campaign": form.cleaned_data["campaign"],
        "pillar": form.cleaned_data["pillar"],
        "media": form.media_choice(),
    }
    _save_alts(request, form)
    if draft is not None:  # autosaved while being written: that draft becomes the post
        post = actions.post_update(post=draft, acting=request.membership, **written)
    else:
        post = actions.post_draft(
            workspace=request.workspace,
            acting_user=request.user,
            repeat_every_days=form.cleaned_data["repeat"],
            repeat_until=form.cleaned_data["repeat_until"],
            **written,
        )
    _set_link_tracking(request, form, post)
    return post


def _set_link_tracking(request: HttpRequest, form: ComposeForm, post: Post) -> None:
    tracking = form.link_tracking()
    if tracking is not None:
        post_set_link_tracking(post=post, tracking=tracking, acting_user=request.user)


def _after_compose(request: HttpRequest, post: Post, action: str, form: ComposeForm):
    queued = form.cleaned_data["when"] == "queue"
    if action == "submit":
        actions.post_submit(post=post, acting_user=request.user)
        if queued:
            messages.success(
                request,
                _("Post submitted for review, proposed for the queue's %(moment)s (%(zone)s).")
                % _moment(post.scheduled_at),
            )
        else:
            messages.success(request, _("Post submitted for review."))
    elif action == "schedule":
        channels = list(post.channels.all())
        actions.post_schedule(
            post=post, at=form.schedule_at(), channels=channels, acting_user=request.user
        )
        if queued:
            messages.success(
                request,
                _("Added to the queue: %(moment)s (%(zone)s).") % _moment(post.scheduled_at),
            )
        else:
            messages.success(request, _scheduled_message(len(channels)))
    else:
        messages.success(request, _("Draft saved."))
    return redirect(post.get_absolute_url())


@workspace_view("post.draft")
@require_POST
def compose_autosave(request: HttpRequest) -> HttpResponse:
    """htmx: keep what is being written as a draft, a moment after the person stops typing."""
    form = ComposeForm(request.POST, workspace=request.workspace)
    form.is_valid()
    draft = selectors.own_draft_or_none(
        workspace=request.workspace, user=request.user, draft_id=request.POST.get("draft")
    )
    _save_alts(request, form)
    draft = actions.post_autosave(
        workspace=request.workspace,
        draft=draft,
        text=request.POST.get("text", ""),
        channels=form.cleaned_data.get("channels", []) if hasattr(form, "cleaned_data") else [],
        acting_user=request.user,
        thread_parts=form.thread_parts(),
        first_comment=request.POST.get("first_comment", ""),
        link=request.POST.get("link", "").strip()[:2000],  # a draft keeps what was typed
        # A campaign that is not one of the choices is left as it was.
        campaign=form.cleaned_data.get("campaign", actions.KEEP),
        pillar=form.cleaned_data.get("pillar", actions.KEEP),
        media=form.media_choice(),
    )
    return render(request, "publishing/_autosave.html", {"draft": draft})


@workspace_view("post.draft")
def compose_check(request: HttpRequest) -> HttpResponse:
    """htmx: the counters and problems for each chosen channel, as the person types,
    and (out of band) each channel's preview."""
    form = ComposeForm(request.POST, workspace=request.workspace)
    form.is_valid()
    return render(
        request,
        "publishing/_live.html",
        {
            "measures": form.measures(),
            "part_checks": form.part_measures(),
            "links_left_out": form.links_left_out(),
            "previews": form.previews(),
        },
    )


@workspace_view("post.draft")
def compose_thread_part(request: HttpRequest) -> HttpResponse:
    """htmx: one more empty box for the thread (the list it joins numbers it)."""
    return render(
        request,
        "publishing/_thread_part.html",
        {"key": secrets.token_hex(4), "number": "", "value": ""},
    )


def can_edit(request: HttpRequest, post: Post) -> bool:
    if not post.is_editable:
        return False
    if request.membership.can("post.schedule"):
        return True
    own = post.created_by_id == request.user.pk
    return (
        request.membership.can("post.draft")
        and own
        and post.status in (PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED)
    )


@workspace_view()
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_of_or_404(workspace=request.workspace, post_id=post_id)
    membership = request.membership
    reviewable = post.status == PostStatus.IN_REVIEW and membership.can("post.approve")
    previous, following = recurrence.occurrences_of(post=post)
    return render(
        request,
        "publishing/post.html",
        {
            "active_nav": "calendar",
            "post": post,
            "deliveries": selectors.deliveries_of(post=post),
            "variants": [
                (f"{v.channel.name} · {channel_label(v.channel)}", v.text)
                for v in post.variants.select_related("channel")
            ],
            "media": media.post_media_choice(post=post),
            "own_media": media.post_own_media(post=post),
            "history": selectors.post_history(post=post),
            "reviews": post.reviews.select_related("reviewer"),
            "review_form": ReviewForm(post=post) if reviewable else None,
            "can_edit": can_edit(request, post),
            "can_submit": post.status in (PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED)
            and membership.can("post.submit")
            and (post.created_by_id == request.user.pk or membership.can("post.schedule")),
            "previous_occurrence": previous,
            "next_occurrence": following,
            "short_links": post_links(workspace=request.workspace, post_id=post.pk),
            "can_stop_repeating": bool(post.repeat_every_days) and membership.can("post.schedule"),
            "can_unschedule": post.status == PostStatus.SCHEDULED
            and post.is_editable
            and membership.can("post.schedule"),
        },
    )


@workspace_view("post.draft")
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_of_or_404(workspace=request.workspace, post_id=post_id)
    if not can_edit(request, post):
        messages.error(request, _("This post can no longer be changed by you."))
        return redirect(post.get_absolute_url())
    form = ComposeForm(request.POST or None, workspace=request.workspace, post=post)
    if request.method == "POST" and form.is_valid():
        at = form.proposed_at()
        if at is None and post.status == PostStatus.SCHEDULED:
            at = timezone.now()  # "publish now" on a scheduled post
        try:
            _save_alts(request, form)
            _set_link_tracking(request, form, post)
            actions.post_update(
                post=post,
                text=form.cleaned_data["text"],
                channels=list(form.cleaned_data["channels"]),
                scheduled_at=at,
                acting=request.membership,
                variants=form.variants(),
                thread_parts=form.thread_parts(),
                first_comment=form.cleaned_data["first_comment"],
                link=form.cleaned_data["link"],
                campaign=form.cleaned_data["campaign"],
                pillar=form.cleaned_data["pillar"],
                media=form.media_choice(),
            )
            recurrence.post_set_repeat(
                post=post,
                every_days=form.cleaned_data["repeat"],
                until=form.cleaned_data["repeat_until"],
                acting_user=request.user,
            )
        except actions.PublishingError as error:
            messages.error(request, str(error))
        else:
            post.refresh_from_db()
            if post.status == PostStatus.IN_REVIEW and request.POST.get("action") != "submit":
                messages.info(request, _("Changes saved; the post goes back to review."))
            else:
                messages.success(request, _("Changes saved."))
            if request.POST.get("action") == "submit" and post.status != PostStatus.IN_REVIEW:
                return _submit(request, post)
            return redirect(post.get_absolute_url())
    return render(
        request,
        "publishing/compose.html",
        _composer_context(request, form, post),
        status=400 if request.method == "POST" else 200,
    )


def _submit(request: HttpRequest, post: Post) -> HttpResponse:
    try:
        actions.post_submit(post=post, acting_user=request.user)
    except actions.PublishingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Post submitted for review."))
    return redirect(post.get_absolute_url())


@workspace_view("post.submit")
@require_POST
def post_submit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_of_or_404(workspace=request.workspace, post_id=post_id)
    if post.created_by_id != request.user.pk and not request.membership.can("post.schedule"):
        raise PermissionDenied(_("Only its author or an editor can submit this post."))
    return _submit(request, post)


@workspace_view("post.approve")
@require_POST
def post_review(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_of_or_404(workspace=request.workspace, post_id=post_id)
    form = ReviewForm(request.POST, post=post)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                deliveries = actions.post_approve(
                    post=post,
                    acting_user=request.user,
                    at=form.cleaned_data["at"],
                    comment=form.cleaned_data["comment"],
                )
                count = len(deliveries)
                messages.success(
                    request,
                    ngettext(
                        "Approved: scheduled on %(count)d channel.",
                        "Approved: scheduled on %(count)d channels.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                actions.post_request_changes(
                    post=post, acting_user=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Changes requested; the author is told."))
        except actions.PublishingError as error:
            messages.error(request, str(error))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(post.get_absolute_url())


@workspace_view("post.schedule")
@require_POST
def post_unschedule(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_of_or_404(workspace=request.workspace, post_id=post_id)
    try:
        actions.post_unschedule(post=post, acting_user=request.user)
    except actions.PublishingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The post is a draft again; nothing was published."))
    return redirect(post.get_absolute_url())


@workspace_view()
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "publishing/review_queue.html",
        {
            "active_nav": "review",
            "posts": selectors.posts_in_review(workspace=request.workspace),
            "can_approve": request.membership.can("post.approve"),
        },
    )


@workspace_view("post.schedule")
@require_POST
def post_stop_repeating(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_of_or_404(workspace=request.workspace, post_id=post_id)
    recurrence.post_stop_repeating(post=post, acting_user=request.user)
    messages.success(request, _("The post no longer repeats."))
    return redirect(post.get_absolute_url())


@workspace_view()
def queue_settings(request: HttpRequest) -> HttpResponse:
    """Everyone reads the queue's times; people who schedule posts change them."""
    can_change = request.membership.can("post.schedule")
    form = QueueSlotForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("Only people who schedule posts change the queue."))
        if request.POST.get("action") == "suggest":
            channel = get_object_or_404(
                Channel.objects.in_workspace(request.workspace),
                pk=request.POST.get("channel") or 0,
            )
            queue.queue_slots_suggest(
                workspace=request.workspace, channel=channel, acting_user=request.user
            )
            messages.success(
                request, _("Suggested times added to %(channel)s.") % {"channel": channel.name}
            )
            return redirect("publishing:queue_settings", workspace=request.workspace.slug)
        if form.is_valid():
            queue.queue_slot_add(
                workspace=request.workspace,
                channel=form.cleaned_data["channel"],
                weekday=form.cleaned_data["weekday"],
                at=form.cleaned_data["time"],
                acting_user=request.user,
            )
            messages.success(request, _("Queue time added."))
            return redirect("publishing:queue_settings", workspace=request.workspace.slug)
    return render(
        request,
        "publishing/queue_settings.html",
        {
            "active_nav": "settings",
            "form": form,
            "channels": queue.queue_slots_by_channel(workspace=request.workspace),
            "can_change": can_change,
            "suggested": [(QueueSlot.Weekday(day).label, at) for day, at in queue.SUGGESTED_SLOTS],
        },
        status=400 if request.method == "POST" else 200,
    )


@workspace_view("post.schedule")
@require_POST
def queue_slot_remove(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = get_object_or_404(
        QueueSlot.objects.in_workspace(request.workspace).select_related("channel", "workspace"),
        pk=slot_id,
    )
    queue.queue_slot_remove(slot=slot, acting_user=request.user)
    messages.success(request, _("Queue time removed."))
    return redirect("publishing:queue_settings", workspace=request.workspace.slug)
