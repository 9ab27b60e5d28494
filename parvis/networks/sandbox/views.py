"""A published Sandbox post, as the simulated network shows it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from parvis.networks.sandbox.models import SandboxPost


def post_page(request: HttpRequest, network: str, remote_id: str) -> HttpResponse:
    post = get_object_or_404(
        SandboxPost.objects.select_related("account"),
        remote_id=remote_id,
        account__network_key=network,
    )
    if post.deleted_at is not None:
        raise Http404("This Sandbox post was deleted.")
    interactions = post.interactions.exclude(kind="reaction").order_by("created_at")
    likes = post.interactions.filter(kind="reaction").count()
    # The account's own answers under it: the rest of a thread, or its first comment.
    answers = SandboxPost.objects.filter(
        account=post.account, reply_to_id=post.remote_id, deleted_at__isnull=True
    ).order_by("published_at", "id")
    answered = SandboxPost.objects.filter(remote_id=post.reply_to_id).first()
    return render(
        request,
        "sandbox/post.html",
        {
            "post": post,
            "interactions": interactions,
            "likes": likes,
            "answers": answers,
            "answered": answered,
        },
    )
