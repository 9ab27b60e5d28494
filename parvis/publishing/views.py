"""The composer, a post's page (review, history, deliveries) and its edits."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.publishing import actions, selectors
from parvis.publishing.forms import ComposeForm, ReviewForm
from parvis.publishing.models import Post, PostStatus


def _scheduled_message(count: int) -> str:
    return ngettext(
        "Post scheduled on %(count)d channel.", "Post scheduled on %(count)d channels.", count
    ) % {"count": count}


def _composer_context(request: HttpRequest, form: ComposeForm, post: Post | None = None) -> dict:
    return {
        "active_nav": "compose",
        "form": form,
        "post": post,
        "needs_review": actions.needs_review(membership=request.membership),
    }


@workspace_view("post.draft")
def compose(request: HttpRequest) -> HttpResponse:
    form = ComposeForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "draft")
        if action == "schedule" and actions.needs_review(membership=request.membership):
            raise PermissionDenied(_("Your posts are approved before they are scheduled."))
        channels = list(form.cleaned_data["channels"])
        if action != "draft" and not channels:
            form.add_error("channels", _("Choose at least one channel."))
        else:
            post = actions.post_draft(
                workspace=request.workspace,
                text=form.cleaned_data["text"],
                channels=channels,
                acting_user=request.user,
                scheduled_at=form.proposed_at(),
            )
            return _after_compose(request, post, action, form)
    return render(
        request,
        "publishing/compose.html",
        _composer_context(request, form),
        status=400 if request.method == "POST" else 200,
    )


def _after_compose(request: HttpRequest, post: Post, action: str, form: ComposeForm):
    if action == "submit":
        actions.post_submit(post=post, acting_user=request.user)
        messages.success(request, _("Post submitted for review."))
    elif action == "schedule":
        channels = list(post.channels.all())
        actions.post_schedule(
            post=post, at=form.schedule_at(), channels=channels, acting_user=request.user
        )
        messages.success(request, _scheduled_message(len(channels)))
    else:
        messages.success(request, _("Draft saved."))
    return redirect(post.get_absolute_url())


@workspace_view("post.draft")
def compose_check(request: HttpRequest) -> HttpResponse:
    """htmx: the counters and problems for each chosen channel, as the person types."""
    form = ComposeForm(request.POST, workspace=request.workspace)
    form.is_valid()
    return render(request, "publishing/_checks.html", {"measures": form.measures()})


def _post_or_404(request: HttpRequest, post_id: int) -> Post:
    return get_object_or_404(
        Post.objects.in_workspace(request.workspace).select_related("created_by"), pk=post_id
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
    post = _post_or_404(request, post_id)
    membership = request.membership
    reviewable = post.status == PostStatus.IN_REVIEW and membership.can("post.approve")
    return render(
        request,
        "publishing/post.html",
        {
            "active_nav": "calendar",
            "post": post,
            "deliveries": selectors.deliveries_of(post=post),
            "history": selectors.post_history(post=post),
            "reviews": post.reviews.select_related("reviewer"),
            "review_form": ReviewForm(post=post) if reviewable else None,
            "can_edit": can_edit(request, post),
            "can_submit": post.status in (PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED)
            and membership.can("post.submit")
            and (post.created_by_id == request.user.pk or membership.can("post.schedule")),
            "can_unschedule": post.status == PostStatus.SCHEDULED
            and post.is_editable
            and membership.can("post.schedule"),
        },
    )


@workspace_view("post.draft")
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    if not can_edit(request, post):
        messages.error(request, _("This post can no longer be changed by you."))
        return redirect(post.get_absolute_url())
    form = ComposeForm(request.POST or None, workspace=request.workspace, post=post)
    if request.method == "POST" and form.is_valid():
        at = form.proposed_at()
        if at is None and post.status == PostStatus.SCHEDULED:
            at = timezone.now()  # "publish now" on a scheduled post
        try:
            actions.post_update(
                post=post,
                text=form.cleaned_data["text"],
                channels=list(form.cleaned_data["channels"]),
                scheduled_at=at,
                acting=request.membership,
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
    post = _post_or_404(request, post_id)
    if post.created_by_id != request.user.pk and not request.membership.can("post.schedule"):
        raise PermissionDenied(_("Only its author or an editor can submit this post."))
    return _submit(request, post)


@workspace_view("post.approve")
@require_POST
def post_review(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
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
    post = _post_or_404(request, post_id)
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
