"""Facebook Pages endpoints of the Meta test server (publishing, comments, insights)."""

from __future__ import annotations

from starlette.routing import BaseRoute


def page_routes() -> list[BaseRoute]:
    return []
