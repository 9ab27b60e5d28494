"""The pages half of bench/inbox.py: a million messages loaded with COPY, then the pages timed.

Conversations get a long-tailed number of messages (most a handful, a few posts
thousands), spread over channels, kinds, statuses, assignees, tags and a year of
dates. The list and conversation views are timed in the server process (Django's
handler, middleware and templates included; no network), with varied filters,
pages deep in the list and conversations.

The list's count ("1 234 conversations", "More than 1,000") is a request of its own,
which the list page sends once it is shown (htmx): each list request is followed by
that count request with the same filters, timed as its own kind ("count"), so that a
slow count shows in its own p95 instead of leaving the figures.
"""

from __future__ import annotations

import gc
import json
import random
import time
from datetime import UTC, datetime, timedelta

STATIC_PLAIN = "django.contrib.staticfiles.storage.StaticFilesStorage"
KINDS = ("comments", "comments", "comments", "mention", "message")
STATUSES = ("open", "open", "pending", "done", "done", "done")
TAGS = ("customer", "question", "complaint", "ambassador", "urgent")


LANGUAGES = ("fr", "en", "fr", "other")
SENTIMENTS = ("positive", "neutral", "negative")
INTENTS = ("question", "complaint", "praise", "spam", "other")


def triage_of(n: int) -> tuple[str, str, str]:
    """Varied triage values, so the triage filters select real shares of the rows."""
    return LANGUAGES[n % 4], SENTIMENTS[n % 3], INTENTS[n % 5]


def _sizes(messages: int, rng: random.Random) -> list[int]:
    """Messages per conversation: a Pareto tail, capped, adding up to ``messages``."""
    sizes: list[int] = []
    left = messages
    while left > 0:
        size = min(left, max(1, min(3000, int(rng.paretovariate(1.2)))))
        sizes.append(size)
        left -= size
    return sizes


def load(*, workspace, channels, members, messages: int, seed: int = 6) -> list[int]:
    """COPY ``messages`` messages (and their conversations, authors, tags); the conversation ids."""
    from django.db import connection

    from parvis.inbox.threads import Conversation, Tag

    rng = random.Random(seed)
    tags = Tag.objects.bulk_create(Tag(workspace=workspace, name=name) for name in TAGS)
    sizes = _sizes(messages, rng)
    now = datetime.now(UTC)
    authors = max(1, messages // 10)
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        with cursor.copy(
            "COPY inbox_author (workspace_id, network, external_id, handle, name, "
            "first_seen_at, last_seen_at) FROM STDIN"
        ) as copy:
            for n in range(authors):
                channel = channels[n % len(channels)]
                copy.write_row(
                    (workspace.pk, channel.network, f"a{n}", f"person{n}", f"Person {n}", now, now)
                )
        cursor.execute("SELECT id FROM inbox_author WHERE workspace_id = %s", [workspace.pk])
        author_ids = [row[0] for row in cursor.fetchall()]
        ends = []
        with cursor.copy(
            "COPY inbox_conversation (workspace_id, channel_id, kind, thread_key, post_remote_id, "
            "post_url, author_id, status, assignee_id, preview, message_count, last_message_at, "
            "created_at, language, sentiment, intent, priority) FROM STDIN"
        ) as copy:
            for n, size in enumerate(sizes):
                channel = channels[n % len(channels)]
                end = now - timedelta(seconds=rng.randrange(365 * 86400))
                ends.append(end)
                kind = "comments" if size > 20 else KINDS[n % len(KINDS)]
                assignee = (
                    members[n % (len(members) + 2)].pk
                    if n % (len(members) + 2) < len(members)
                    else None
                )
                copy.write_row(
                    (
                        workspace.pk,
                        channel.pk,
                        kind,
                        f"bench:{n}",
                        f"post-{n}" if kind == "comments" else "",
                        "",
                        author_ids[n % len(author_ids)],
                        STATUSES[n % len(STATUSES)],
                        assignee,
                        f"Latest message of conversation {n}",
                        size,
                        end,
                        end - timedelta(days=1),
                        *triage_of(n),
                        n % 4,  # priority flags
                    )
                )
        cursor.execute(
            "SELECT id, channel_id FROM inbox_conversation WHERE workspace_id = %s "
            "AND thread_key LIKE 'bench:%%' ORDER BY id",
            [workspace.pk],
        )
        conversations = cursor.fetchall()
        with cursor.copy(
            "COPY inbox_conversation_tags (conversation_id, tag_id) FROM STDIN"
        ) as copy:
            for n, (conversation_id, _channel) in enumerate(conversations):
                if n % 3 == 0:
                    copy.write_row((conversation_id, tags[n % len(tags)].pk))
        raw = json.dumps({"bench": True})
        number = 0
        with cursor.copy(
            "COPY inbox_message (workspace_id, conversation_id, channel_id, remote_id, kind, "
            "direction, author_id, text, created_at, in_reply_to_remote_id, url, raw, hidden, "
            "received_at, language, sentiment, intent, liked) FROM STDIN"
        ) as copy:
            for (conversation_id, channel_id), size, end in zip(
                conversations, sizes, ends, strict=True
            ):
                for position in range(size):
                    at = end - timedelta(seconds=(size - position) * 60)
                    copy.write_row(
                        (
                            workspace.pk,
                            conversation_id,
                            channel_id,
                            f"m{number}",
                            "comment",
                            "in",
                            author_ids[number % len(author_ids)],
                            f"Message {number}: do you deliver croissants on Sundays?",
                            at,
                            "",
                            "",
                            raw,
                            False,
                            at,
                            *triage_of(number),
                            False,
                        )
                    )
                    number += 1
        # As a database that grew over months stands: vacuumed (rows marked visible to
        # all, so the list's indexes answer without visiting the table) and analysed.
        # Rows just copied in are neither, and the first pages to read them would also
        # pay for marking each one committed.
        cursor.execute("VACUUM (ANALYZE)")
    return [
        conversation_id
        for conversation_id, _channel in Conversation.objects.filter(
            workspace=workspace
        ).values_list("id", "channel_id")
    ]


def _list_queries(channels, members, rng: random.Random, count: int) -> list[dict[str, str]]:
    today = datetime.now(UTC).date()
    choices = [
        lambda: {},
        lambda: {"status": "pending"},
        lambda: {"status": "done"},
        lambda: {"status": ""},
        lambda: {"channel": str(rng.choice(channels).pk)},
        lambda: {"network": rng.choice(channels).network},
        lambda: {"kind": rng.choice(("comments", "mention", "message"))},
        lambda: {"assignee": rng.choice(("me", "nobody", str(rng.choice(members).pk)))},
        lambda: {"tag": rng.choice(TAGS)},
        lambda: {"since": str(today - timedelta(days=rng.randrange(1, 60)))},
        lambda: {"until": str(today - timedelta(days=rng.randrange(30, 300)))},
        lambda: {"status": "", "tag": rng.choice(TAGS), "kind": "comments"},
        # Deep in the list: the page that starts after the first 100 ... 1,000 rows. It
        # was one page of 100 ... 1,000 rows ("Show more"); the list now pages by cursor.
        lambda: {"depth": str(rng.choice((100, 200, 500, 1000)))},
    ]
    return [rng.choice(choices)() for _ in range(count)]


def _deep_pages(workspace, user) -> dict[str, dict[str, str]]:
    """The "Older" link's query at each depth, as a person who paged down would have it."""
    from parvis.inbox import selectors

    rows = selectors.conversations_of(
        workspace=workspace, filters=selectors.InboxFilters(), user=user
    )
    return {
        str(depth): {"after": selectors.cursor_of(rows[depth - 1], "")}
        for depth in (100, 200, 500, 1000)
    }


def time_pages(*, workspace, user, channels, members, conversation_ids, requests: int) -> dict:
    """Milliseconds per request for ``requests`` list pages and as many conversation pages."""
    from django.conf import settings
    from django.test import Client, override_settings

    # A real installation runs collectstatic (hashed names); the bench has no collected files.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_PLAIN}}
    with override_settings(STORAGES=plain):
        client = Client()
        client.force_login(user)
        return _timed(client, workspace, user, channels, members, conversation_ids, requests)


def _timed(client, workspace, user, channels, members, conversation_ids, requests: int) -> dict:
    from django.urls import reverse

    rng = random.Random(7)
    list_url = reverse("inbox:list", kwargs={"workspace": workspace.slug})
    count_url = reverse("inbox:count", kwargs={"workspace": workspace.slug})
    client.get(list_url)  # warm: templates compiled, connections open
    client.get(count_url, headers={"HX-Request": "true"})
    # As config/wsgi.py does in the server: what is loaded (Django, the app, compiled
    # templates) stays out of the collector's full passes, which pause a request now and then.
    gc.collect()
    gc.freeze()
    timings: dict[str, list[float]] = {"inbox": [], "count": [], "conversation": []}
    deep = _deep_pages(workspace, user)
    for query in _list_queries(channels, members, rng, requests):
        query = deep[query["depth"]] if "depth" in query else query
        started = time.perf_counter()
        response = client.get(list_url, query)
        timings["inbox"].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        # What the page then asks for (its filters, without the page's cursor).
        filters = {key: value for key, value in query.items() if key not in ("after", "before")}
        started = time.perf_counter()
        response = client.get(count_url, filters, headers={"HX-Request": "true"})
        timings["count"].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    for _ in range(requests):
        conversation_id = rng.choice(conversation_ids)
        url = reverse(
            "inbox:conversation",
            kwargs={"workspace": workspace.slug, "conversation_id": conversation_id},
        )
        started = time.perf_counter()
        response = client.get(url)
        timings["conversation"].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    gc.unfreeze()
    return timings
