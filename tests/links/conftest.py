from __future__ import annotations

from collections.abc import Iterator

import pytest

from parvis.links import redirect


@pytest.fixture(autouse=True)
def _fresh_code_cache() -> Iterator[None]:
    """Each test starts with no code remembered by the redirect."""
    redirect.forget_cached()
    yield
    redirect.forget_cached()
