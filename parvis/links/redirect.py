"""The short-link redirect: ``/l/<code>`` answers 302 to the destination.

Why it is lean (every click of every post comes here, ``bench/links.py`` measures it):

- It is a middleware placed right after Django's SecurityMiddleware, so a short
  path never reaches the session, locale, CSRF, authentication, messages or CSP
  middleware, nor the URL resolver. Nothing about the visitor is looked up.
- Codes are kept in a small per-process cache (code -> link id, workspace id,
  destination) for ``PARVIS_SHORT_LINK_CACHE_SECONDS``: a popular link costs no
  query at all; a changed destination is followed within that time.
- The click (link, time, the referring site's host, robot or not) is handed to
  ``clicks.record``, which writes clicks in batches (see its crash window).
  No IP address, user agent or cookie is stored or logged.
- 302, never 301, and ``Cache-Control: no-store``: browsers do not remember the
  redirect, so every click reaches Parvis and is counted.

An unknown code answers a 404 page that says so, in the visitor's language.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.template.loader import render_to_string
from django.utils import timezone, translation

from parvis.links import clicks
from parvis.links.models import ShortLink

PREFIX = "/l/"
CODE = re.compile(r"^[0-9A-Za-z]{1,16}$")
# Link-preview fetchers, crawlers and scripts: their visits are not people's clicks.
ROBOT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|facebot|embedly|whatsapp|"
    r"telegram|skypeuri|vkshare|pinterest|quora link|bitlybot|curl|wget|python-|"
    r"httpclient|okhttp|go-http|headless|lighthouse|monitor",
)
CACHE_LIMIT = 10_000

_cache: dict[str, tuple[int, int, str, float]] = {}


def is_robot(*, user_agent: str, method: str) -> bool:
    """A visit that is probably not a person: no user agent, a HEAD request (link
    checkers), or a user agent naming a preview fetcher or crawler."""
    return method == "HEAD" or not user_agent.strip() or bool(ROBOT.search(user_agent.lower()))


def referrer_host(referrer: str) -> str:
    """Only the referring site's host name (never its path: it may hold personal data)."""
    try:
        return (urlsplit(referrer).hostname or "")[:200]
    except ValueError:
        return ""


def forget_cached() -> None:
    _cache.clear()


def _target(code: str) -> tuple[int, int, str] | None:
    now = time.monotonic()
    cached = _cache.get(code)
    if cached is not None and cached[3] > now:
        return cached[:3]
    row = (
        ShortLink.objects.filter(code=code).values_list("pk", "workspace_id", "destination").first()
    )
    if row is None:
        _cache.pop(code, None)
        return None
    if len(_cache) >= CACHE_LIMIT:
        _cache.clear()
    _cache[code] = (*row, now + settings.PARVIS_SHORT_LINK_CACHE_SECONDS)
    return row


def _unknown(request: HttpRequest) -> HttpResponse:
    with translation.override(translation.get_language_from_request(request)):
        page = render_to_string("links/unknown.html", {"base_url": settings.PARVIS_BASE_URL})
    return HttpResponseNotFound(page)


def redirect(request: HttpRequest, code: str) -> HttpResponse:
    target = _target(code) if CODE.match(code) else None
    if target is None:
        return _unknown(request)
    link_id, workspace_id, destination = target
    meta = request.META
    clicks.record(
        (
            link_id,
            workspace_id,
            timezone.now(),
            referrer_host(meta.get("HTTP_REFERER", "")),
            is_robot(user_agent=meta.get("HTTP_USER_AGENT", ""), method=request.method),
        )
    )
    response = HttpResponse(status=302)
    response["Location"] = destination
    response["Cache-Control"] = "no-store"
    return response


class ShortLinkMiddleware:
    """Answers ``/l/<code>`` before the rest of the middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(PREFIX) and request.method in ("GET", "HEAD"):
            return redirect(request, path[len(PREFIX) :].rstrip("/"))
        return self.get_response(request)
