"""The one outbound HTTP seam: every call to a network goes through here.

It sets timeouts and the user agent, retries connection errors only (never a
request the server may have received), and logs without tokens. Tests point a
network at a local server by its base URL; nothing here is patched.
"""

from __future__ import annotations

import logging
import re
import ssl
from functools import cache

import httpx

from parvis import __version__

logger = logging.getLogger("parvis.http")

USER_AGENT = f"Parvis/{__version__} (+self-hosted community management)"
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
_SECRET_QUERY = re.compile(r"(access_token|token|client_secret|code|refresh_token)=[^&\s]+", re.I)


def redact(text: str) -> str:
    """Remove token-like values from a URL or message before it is logged."""
    return _SECRET_QUERY.sub(r"\1=***", text)


def _log_response(response: httpx.Response) -> None:
    request = response.request
    logger.info("%s %s -> %s", request.method, redact(str(request.url)), response.status_code)


def client(*, base_url: str = "", timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> httpx.Client:
    """A synchronous client; use it as a context manager."""
    return httpx.Client(
        base_url=base_url,
        timeout=timeout,
        headers={"User-Agent": USER_AGENT},
        transport=httpx.HTTPTransport(retries=2, verify=tls_context()),
        event_hooks={"response": [_log_response]},
        follow_redirects=False,
    )


@cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every client: loading the CA bundle takes ~20 ms each time."""
    return httpx.create_ssl_context()


async def _alog_response(response: httpx.Response) -> None:
    _log_response(response)


def async_client(
    *, base_url: str = "", timeout: httpx.Timeout = DEFAULT_TIMEOUT, max_connections: int = 100
) -> httpx.AsyncClient:
    """An asynchronous client for the publishing runner's concurrent calls."""
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=timeout,
        headers={"User-Agent": USER_AGENT},
        transport=httpx.AsyncHTTPTransport(
            retries=2,
            limits=httpx.Limits(max_connections=max_connections),
            verify=tls_context(),
        ),
        event_hooks={"response": [_alog_response]},
        follow_redirects=False,
    )
