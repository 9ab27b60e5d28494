"""Realistic network conditions for the Sandbox: latency, hiccups, rate limits.

Rates come from settings (PARVIS_SANDBOX_*), so the demo feels like a real
network and tests can turn each condition on or off.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.networks.base import RateLimited, TransientError

RATE_LIMIT_WAIT_S = 60


@dataclass(frozen=True)
class Conditions:
    latency_ms: tuple[int, int]
    failure_rate: float
    rate_limit_rate: float
    lost_response_rate: float


def current() -> Conditions:
    low, high = settings.PARVIS_SANDBOX_LATENCY_MS
    return Conditions(
        latency_ms=(low, high),
        failure_rate=settings.PARVIS_SANDBOX_FAILURE_RATE,
        rate_limit_rate=settings.PARVIS_SANDBOX_RATE_LIMIT_RATE,
        lost_response_rate=settings.PARVIS_SANDBOX_LOST_RESPONSE_RATE,
    )


_random = random.Random()


def seed(value: object) -> None:
    """Make the conditions repeatable (tests, demos)."""
    _random.seed(value)


async def _half_round_trip() -> None:
    low, high = current().latency_ms
    if high > 0:
        await asyncio.sleep(_random.uniform(low, high) / 2000)


async def before_call() -> None:
    """The request's way there; sometimes the network refuses it before doing anything."""
    conditions = current()
    await _half_round_trip()
    roll = _random.random()
    if roll < conditions.rate_limit_rate:
        raise RateLimited(
            _("The Sandbox network asks to slow down (simulated rate limit)."),
            retry_at=timezone.now() + timedelta(seconds=RATE_LIMIT_WAIT_S),
            scope="app",
            detail="HTTP 429 (simulated)",
        )
    if roll < conditions.rate_limit_rate + conditions.failure_rate:
        raise TransientError(
            _("The Sandbox network is temporarily unavailable (simulated error)."),
            detail="HTTP 503 (simulated)",
        )


async def answer_trip() -> None:
    """The answer's way back: the write is done on the network, the caller does not know yet."""
    await _half_round_trip()


def response_lost() -> bool:
    """After a write was applied: was the answer lost on the way back?"""
    return _random.random() < current().lost_response_rate
