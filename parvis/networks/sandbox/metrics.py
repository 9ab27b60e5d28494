"""The Sandbox's figures, derived from its audience's reactions so they agree.

Followers grow a little every day; a post's reach and views follow its
reactions and its age. Same inputs, same figures.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime

from parvis.networks.base import MetricSample
from parvis.networks.sandbox.audience import plan_for_post
from parvis.networks.sandbox.models import SandboxAccount, SandboxPost


def _stable_fraction(*parts: object) -> float:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def followers(account: SandboxAccount, now: datetime) -> int:
    days = max(0.0, (now - account.created_at).total_seconds() / 86400)
    daily = 4 + 10 * _stable_fraction(account.external_id, "growth")
    return account.base_followers + int(days * daily)


def account_metrics(account: SandboxAccount, now: datetime) -> list[MetricSample]:
    return [MetricSample(name="followers", value=followers(account, now), measured_at=now)]


def post_metrics(post: SandboxPost, account: SandboxAccount, now: datetime) -> list[MetricSample]:
    reactions = post.interactions.filter(created_at__lte=now)
    likes = reactions.filter(kind="reaction").count()
    comments = reactions.filter(kind="comment").count()
    return _post_samples(post, account, now, likes, comments)


def planned_post_metrics(
    post: SandboxPost, account: SandboxAccount, now: datetime
) -> list[MetricSample]:
    """The figures the post would show at ``now`` had its audience's reactions been
    written: for the demo's old history, whose comments must not flood the inbox."""
    due = [r for r in plan_for_post(post) if r.at <= now]
    likes = sum(1 for r in due if r.kind == "reaction")
    return _post_samples(post, account, now, likes, len(due) - likes)


def _post_samples(
    post: SandboxPost, account: SandboxAccount, now: datetime, likes: int, comments: int
) -> list[MetricSample]:
    hours = max(0.0, (now - post.published_at).total_seconds() / 3600)
    # Organic reach: a share of followers that saturates over the first day.
    organic = followers(account, now) * 0.08 * (1 - math.exp(-hours / 6))
    reach = int(organic + likes * 9 + comments * 25)
    views = int(reach * (1.25 + 0.3 * _stable_fraction(post.remote_id, "views")))
    shares = comments // 2 + int(likes * 0.1)
    values = {
        "views": views,
        "reach": reach,
        "likes": likes,
        "comments": comments,
        "shares": shares,
        "engagements": likes + comments + shares,
    }
    return [
        MetricSample(name=name, value=value, measured_at=now, remote_id=post.remote_id)
        for name, value in values.items()
    ]
