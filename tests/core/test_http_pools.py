"""A wave of calls shares kept-alive connections; a lone call has its own client."""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync

from parvis.core import http


async def _sessions(count: int, base_url: str) -> list:
    clients = []

    async def one() -> None:
        async with http.async_session(base_url=base_url) as client:
            clients.append(client)
            await asyncio.sleep(0)

    await asyncio.gather(*(one() for _ in range(count)))
    return clients


def test_calls_inside_a_shared_block_reuse_a_few_small_pools_then_close_them():
    async def wave():
        async with http.shared_connections():
            on_x = await _sessions(40, "http://x.test")
            elsewhere = await _sessions(3, "http://graph.test")
            assert not any(c.is_closed for c in on_x)
        return on_x, elsewhere

    on_x, elsewhere = async_to_sync(wave)()
    assert len({id(c) for c in on_x}) == http.POOL_SHARDS  # 40 calls, 16 clients
    assert {str(c.base_url) for c in on_x} == {"http://x.test"}
    assert len({id(c) for c in elsewhere}) == 3 and not {id(c) for c in elsewhere} & {
        id(c) for c in on_x
    }
    assert all(c.is_closed for c in on_x + elsewhere)


def test_a_call_outside_a_shared_block_has_a_client_of_its_own():
    clients = async_to_sync(_sessions)(3, "http://x.test")
    assert len({id(c) for c in clients}) == 3
    assert all(c.is_closed for c in clients)
