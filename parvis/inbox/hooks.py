"""The public webhook endpoint: ``/hooks/<network key>/``.

GET answers the network's subscription handshake. POST checks the delivery's
signature over the raw body (the network's ``webhook_verify``, constant time),
stores it raw as an ``InboundEvent`` and answers 200 at once; the runner reads it
into messages (``events``). Anything unsigned or badly signed gets 403 and is not kept.

``WebhookMiddleware`` answers these addresses before sessions, CSRF, users,
languages and messages are set up: a network's delivery needs none of them, and
they were a third of the CPU each delivery cost.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
)
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from parvis.inbox.models import InboundEvent
from parvis.networks import registry

# Headers kept with the raw body (support reads them; nothing secret is sent in them).
KEPT_HEADERS = 40
PREFIX = "/hooks/"  # the addresses ``WebhookMiddleware`` answers


class WebhookMiddleware:
    """Answers ``/hooks/<network>/`` before the rest of the middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(PREFIX):
            return self.get_response(request)
        network = path[len(PREFIX) :].rstrip("/")
        if not network or "/" in network:
            return self.get_response(request)  # not a webhook address: the usual 404
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        return receive(request, network)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest, network: str) -> HttpResponse:
    """The same answer through the URL configuration (``inbox:webhook``)."""
    return receive(request, network)


def receive(request: HttpRequest, network: str) -> HttpResponse:
    try:
        found = registry.get(network)
    except registry.UnknownNetwork:
        return HttpResponseNotFound("unknown network")
    if not found.capabilities.webhooks:
        return HttpResponseNotFound("this network sends no webhooks")
    if request.method == "GET":
        answer = found.webhook_challenge(request.GET.dict())
        if answer is None:
            return HttpResponseForbidden("verification refused")
        return HttpResponse(answer, content_type="text/plain")
    body = request.body
    headers = {key.lower(): value for key, value in request.headers.items()}
    if not found.webhook_verify(headers, body):
        return HttpResponseForbidden("bad signature")
    kept = dict(list(headers.items())[:KEPT_HEADERS])
    kept.pop("cookie", None)
    kept.pop("authorization", None)
    InboundEvent.objects.create(network=network, headers=kept, body=body)
    return HttpResponse("ok", content_type="text/plain")
