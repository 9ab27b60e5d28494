"""Lazy translated messages with values: translated when shown, in the reader's language."""

from __future__ import annotations

from django.utils.functional import Promise, lazy


def _fill(message: str | Promise, values: dict[str, object]) -> str:
    return str(message) % values


_lazy_fill = lazy(_fill, str)


def with_values(message: str | Promise, **values: object) -> Promise:
    """A lazy translation whose ``%(name)s`` placeholders are filled when rendered."""
    return _lazy_fill(message, values)
