"""What the Meta test server keeps of Facebook Pages' content: posts, photos, videos,
comments and insights figures (in ``State.content["fb"]``)."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.servers.meta.state import State

# Insights metrics the server knows (the current names); others answer error 100.
PAGE_INSIGHTS = (
    "page_follows",
    "page_media_view",
    "page_total_media_view_unique",
    "page_post_engagements",
    "page_daily_follows_unique",
)
POST_INSIGHTS = (
    "post_media_view",
    "post_total_media_view_unique",
    "post_reactions_by_type_total",
    "post_clicks",
    "post_clicks_by_type",
)


def graph_time(epoch: float) -> str:
    """Graph API times: ISO 8601, seconds, +0000."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class Post:
    id: str
    page_id: str
    message: str
    created: float
    link: str = ""
    photo_ids: list[str] = field(default_factory=list)
    video_id: str = ""
    shares: int = 0
    deleted: bool = False


@dataclass
class Media:
    id: str
    page_id: str
    kind: str  # "photo" or "video"
    source: str  # "upload:<bytes>" or the URL it was read from
    published: bool
    caption: str = ""
    alt_text: str = ""
    post_id: str = ""
    created: float = field(default_factory=time.time)
    deleted: bool = False


@dataclass
class Comment:
    id: str
    post_id: str
    message: str
    author_id: str
    author_name: str
    created: float
    parent_id: str = ""  # a reply's comment
    hidden: bool = False
    liked: bool = False  # by the Page
    deleted: bool = False


@dataclass
class PageContent:
    posts: dict[str, Post] = field(default_factory=dict)
    media: dict[str, Media] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)
    # Insights figures a test set: (object id, metric) -> value.
    insights: dict[tuple[str, str], Any] = field(default_factory=dict)
    subscriptions: dict[str, list[str]] = field(default_factory=dict)  # Page -> webhook fields
    clock: float = 0.0  # > 0: the time every new object gets (tests move it)
    _serial: itertools.count = field(default_factory=lambda: itertools.count(1))

    def now(self) -> float:
        return self.clock or time.time()

    def serial(self) -> str:
        return str(next(self._serial))

    def post(self, page_id: str, message: str, **extra: Any) -> Post:
        post = Post(
            f"{page_id}_{10_000 + int(self.serial())}", page_id, message, self.now(), **extra
        )
        self.posts[post.id] = post
        return post

    def comment(
        self, post: Post, message: str, author: tuple[str, str], parent_id: str = ""
    ) -> Comment:
        tail = post.id.split("_")[-1]
        comment = Comment(
            f"{tail}_{20_000 + int(self.serial())}",
            post.id,
            message,
            *author,
            self.now(),
            parent_id,
        )
        self.comments[comment.id] = comment
        return comment

    def page_posts(self, page_id: str) -> list[Post]:
        posts = [p for p in self.posts.values() if p.page_id == page_id and not p.deleted]
        return sorted(posts, key=lambda p: (p.created, p.id), reverse=True)

    def comments_of(self, object_id: str) -> list[Comment]:
        """A post's top-level comments, or a comment's replies."""
        if object_id in self.comments:
            found = [c for c in self.comments.values() if c.parent_id == object_id]
        else:
            found = [
                c for c in self.comments.values() if c.post_id == object_id and not c.parent_id
            ]
        return sorted((c for c in found if not c.deleted), key=lambda c: (c.created, c.id))

    def stream_of(self, post_id: str) -> list[Comment]:
        """Every comment and reply of a post (``filter=stream``)."""
        found = [c for c in self.comments.values() if c.post_id == post_id and not c.deleted]
        return sorted(found, key=lambda c: (c.created, c.id))


def content(state: State) -> PageContent:
    return state.content.setdefault("fb", PageContent())
