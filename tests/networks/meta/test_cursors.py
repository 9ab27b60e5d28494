"""The Graph comments cursor: two comments in one second are both read, each once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from parvis.networks.base import Interaction, InteractionKind
from parvis.networks.meta.cursors import is_new, make_cursor, read_cursor

SECOND = datetime(2026, 12, 7, 17, 0, 0, tzinfo=UTC)


def comment(remote_id: str, at: datetime) -> Interaction:
    return Interaction(
        remote_id=remote_id,
        kind=InteractionKind.COMMENT,
        author_id="1",
        author_name="Léa",
        author_handle="@lea",
        text="Miam",
        created_at=at,
    )


def poll(available: list[Interaction], cursor: str) -> tuple[list[str], str]:
    since, seen = read_cursor(cursor)
    fresh = [i for i in available if is_new(i, since, seen)]
    return [i.remote_id for i in fresh], make_cursor(since, seen, fresh)


def test_a_comment_in_the_cursor_second_is_read_once_and_the_next_one_too():
    first, second = comment("a", SECOND), comment("b", SECOND)
    found, cursor = poll([first], "")
    assert found == ["a"]
    found, cursor = poll([first, second], cursor)
    assert found == ["b"]
    found, cursor = poll([first, second], cursor)
    assert found == []
    later = comment("c", SECOND + timedelta(seconds=1))
    found, cursor = poll([first, second, later], cursor)
    assert found == ["c"] and cursor.startswith(f"{int(later.created_at.timestamp())}:")


def test_an_empty_or_unreadable_cursor_reads_everything():
    assert read_cursor("") == (0, set())
    assert read_cursor("2026-12-07T17:00:00+00:00")[0] == 0  # an older format: read again
    assert make_cursor(0, set(), []) == ""
