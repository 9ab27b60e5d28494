"""The public webhook endpoint: ``/hooks/<network key>/``.

GET answers the network's subscription handshake. POST checks the delivery's
signature over the raw body (the network's ``webhook_verify``, constant time),
stores it raw as an ``InboundEvent`` and answers 200 at once; the runner reads it
into messages (``events``). Anything unsigned or badly signed gets 403 and is not kept.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from parvis.inbox.models import InboundEvent
from parvis.networks import registry

# Headers kept with the raw body (support reads them; nothing secret is sent in them).
KEPT_HEADERS = 40


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest, network: str) -> HttpResponse:
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
