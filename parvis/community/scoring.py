"""The engagement score: how much a person takes part in the brand's conversations, 0 to 100.

    score = 40 x recency + 40 x frequency + 20 x dialogue, rounded

- recency   = 1 on the day the person last wrote, falling in a straight line to 0
              after RECENCY_DAYS (90) days;
- frequency = messages written in the last RECENCY_DAYS days, counted up to
              FREQUENCY_CAP (10), divided by FREQUENCY_CAP;
- dialogue  = the person's messages the brand answered (the positive interactions
              Parvis can see today: an exchange, not a shout), up to DIALOGUE_CAP (5),
              divided by DIALOGUE_CAP.

Someone who wrote ten times this quarter, yesterday, and was answered five times
scores close to 100; someone seen once, four months ago, scores 0. The caps stop one
very talkative account from flattening everyone else.
"""

from __future__ import annotations

from datetime import datetime, timedelta

RECENCY_DAYS = 90
FREQUENCY_CAP = 10
DIALOGUE_CAP = 5
WEIGHTS = {"recency": 40, "frequency": 40, "dialogue": 20}


def engagement_score(
    *, last_seen_at: datetime | None, recent_messages: int, answered: int, now: datetime
) -> int:
    if last_seen_at is None:
        return 0
    days = max((now - last_seen_at) / timedelta(days=1), 0.0)
    recency = max(0.0, 1 - days / RECENCY_DAYS)
    frequency = min(recent_messages, FREQUENCY_CAP) / FREQUENCY_CAP
    dialogue = min(answered, DIALOGUE_CAP) / DIALOGUE_CAP
    return round(
        WEIGHTS["recency"] * recency
        + WEIGHTS["frequency"] * frequency
        + WEIGHTS["dialogue"] * dialogue
    )
