"""A published Sandbox post, as the simulated network shows it."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from parvis.networks.sandbox.models import SandboxPost


def _post(network: str, remote_id: str) -> SandboxPost:
    post = get_object_or_404(
        SandboxPost.objects.select_related("account"),
        remote_id=remote_id,
        account__network_key=network,
    )
    if post.deleted_at is not None:
        raise Http404("This Sandbox post was deleted.")
    return post


def post_page(request: HttpRequest, network: str, remote_id: str) -> HttpResponse:
    post = _post(network, remote_id)
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
            "media": post.media.all(),
        },
    )


def media_file(request: HttpRequest, network: str, remote_id: str, position: int) -> FileResponse:
    """The network's copy of a post's image or video, seen by whoever sees the post."""
    media = get_object_or_404(_post(network, remote_id).media, position=position)
    try:
        response = FileResponse(media.file.open("rb"))
    except FileNotFoundError as error:
        raise Http404("This Sandbox file is gone.") from error
    response["Content-Type"] = media.mime_type
    return response
