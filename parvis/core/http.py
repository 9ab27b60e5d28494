"""The one outbound HTTP seam: every call to a network goes through here.

It sets timeouts and the user agent, retries connection errors only (never a
request the server may have received), and logs without tokens. Tests point a
network at a local server by its base URL; nothing here is patched.

Inside ``shared_connections()`` (the publishing runner opens it around a wave
of concurrent calls), ``async_session`` lends kept-alive connections from small
pools instead of opening one connection per call.
"""

from __future__ import annotations

import logging
import re
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from functools import cache

import httpx

from parvis import __version__

logger = logging.getLogger("parvis.http")

USER_AGENT = f"Parvis/{__version__} (+self-hosted community management)"
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
# Failures where the request never left: nothing can have been applied.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
_SECRET_QUERY = re.compile(
    r"(access_token|token|client_secret|code|refresh_token|appsecret_proof)=[^&\s]+", re.I
)


def redact(text: str) -> str:
    """Remove token-like values from a URL or message before it is logged."""
    return _SECRET_QUERY.sub(r"\1=***", text)


def _log_response(response: httpx.Response) -> None:
    request = response.request
    # Every call at DEBUG (a worker makes thousands); refusals and errors at INFO.
    level = logging.INFO if response.status_code >= 400 else logging.DEBUG
    if logger.isEnabledFor(level):
        url = redact(str(request.url))
        logger.log(level, "%s %s -> %s", request.method, url, response.status_code)


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


# Small pools: httpx spends more CPU per request the more connections one pool
# holds, so a wave's calls to one host are spread over several of them.
POOL_CONNECTIONS = 8
POOL_SHARDS = 16

_shared: ContextVar[dict[str, list] | None] = ContextVar("parvis_http_shared", default=None)


@asynccontextmanager
async def shared_connections() -> AsyncIterator[None]:
    """Within this block (and the tasks it starts), ``async_session`` reuses
    connections per base URL; they are closed when the block ends."""
    pools: dict[str, list] = {}
    token = _shared.set(pools)
    try:
        yield
    finally:
        _shared.reset(token)
        for clients, _turn in pools.values():
            for client in clients:
                await client.aclose()


@asynccontextmanager
async def async_session(*, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client for one call: from the shared pools if a block has opened them,
    else a client of its own, closed after the call."""
    pools = _shared.get()
    if pools is None:
        async with async_client(base_url=base_url) as client:
            yield client
        return
    entry = pools.setdefault(base_url, [[], 0])
    clients, turn = entry
    entry[1] = turn + 1
    if len(clients) < POOL_SHARDS:  # made as they are first needed, then taken in turn
        clients.append(async_client(base_url=base_url, max_connections=POOL_CONNECTIONS))
    yield clients[turn % len(clients)]
