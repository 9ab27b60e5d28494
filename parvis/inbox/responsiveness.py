"""How fast and how often the team answers: first response time and response rate.

Definitions (the usual ones of social customer care, kept to conversations):

- A conversation is cut into *stretches*. A stretch starts with a message received
  while the conversation is not already waiting for the brand: the first message
  received, or the first one received after an answer. Messages received before an
  answer arrives belong to the same stretch (three comments in a row need one answer,
  not three). The stretch ends with the brand's first answer after it: that answer
  *responds* to the stretch; later answers to the same stretch do not count again.
- *First response time* of a stretch: from its first message received to that first
  answer, in elapsed (calendar) time, nights and weekends included. Shown as the
  median and the 90th percentile (linear interpolation between the two nearest
  ranks, like PostgreSQL's ``percentile_cont``).
- A stretch *needs an answer* unless nobody answered it and the team marked the
  conversation done: that is the team deciding no answer was needed (thanks, spam).
- *Response rate*: answered stretches / stretches needing an answer.
- A stretch belongs to the period in which its first message arrived (periods are
  whole days in the workspace's time zone), even when answered after the period.
- Per channel: the conversation's channel. Per member: the response times of the
  answers that member sent (a member who left keeps their answers); their response
  rate is over the conversations assigned to them now. Answers with no member
  (the account was deleted) are counted under "Outside Parvis".

Everything is aggregated in the database with window functions, which SQLite and
PostgreSQL both have; only one row per group comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import DateTimeField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from parvis.accounts.models import Workspace
from parvis.inbox.threads import Conversation, ConversationStatus, Direction, Message

DEFAULT_DAYS = 30
PERCENTILES = (50, 90)
EVERYONE = "everyone"  # the group key of the whole workspace
NO_FIGURE = "\u2013"  # an en dash: nothing to measure


@dataclass(frozen=True)
class Period:
    """Whole days, first and last included, in the workspace's time zone."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        start = datetime.combine(self.first, time.min, tzinfo=zone)
        end = datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=zone)
        return start, end


def period_of(
    *, workspace: Workspace, first: date | None = None, last: date | None = None
) -> Period:
    """The asked period; by default the last 30 days, today included."""
    today = timezone.localdate(timezone=ZoneInfo(workspace.time_zone))
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        first, last = last, first
    return Period(first, last)


@dataclass(frozen=True)
class Figures:
    """One group's figures (a member, a channel, everyone) over one period."""

    needing: int = 0  # stretches needing an answer
    answered: int = 0  # of those, answered
    answers: int = 0  # first answers timed in this group (per member: the ones they sent)
    median_seconds: float | None = None
    p90_seconds: float | None = None

    @property
    def rate(self) -> float | None:
        """The response rate, from 0 to 1; None when nothing needed an answer."""
        return self.answered / self.needing if self.needing else None


def _seconds(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def _timed_sql() -> str:
    """One row per stretch that started in the period, with its answer if any."""
    message, conversation = Message._meta.db_table, Conversation._meta.db_table
    out, done = Direction.OUT.value, ConversationStatus.DONE.value
    return f"""
    WITH numbered AS (
        SELECT m.conversation_id, m.direction, m.created_at, m.sent_by_id,
            SUM(CASE WHEN m.direction = '{out}' THEN 1 ELSE 0 END) OVER (
                PARTITION BY m.conversation_id ORDER BY m.created_at, m.id
                ROWS UNBOUNDED PRECEDING
            ) AS outs
        FROM {message} m JOIN {conversation} c ON c.id = m.conversation_id
        -- Scoped by the conversation's workspace: a message is in its conversation's.
        -- (Filtering on m.workspace_id too lets the planner AND two indexes per row.)
        WHERE c.workspace_id = %(workspace)s AND c.last_message_at >= %(start)s
    ),
    stretches AS (
        -- A stretch and its answer share a number: messages received after the n-th
        -- answer, and the answer numbered n + 1. One pass, no self-join.
        SELECT conversation_id,
            MIN(CASE WHEN direction <> '{out}' THEN created_at END) AS asked_at,
            MIN(CASE WHEN direction = '{out}' THEN created_at END) AS answered_at,
            MAX(CASE WHEN direction = '{out}' THEN sent_by_id END) AS sent_by_id
        FROM numbered
        GROUP BY conversation_id,
            CASE WHEN direction = '{out}' THEN outs - 1 ELSE outs END
    ),
    timed AS (
        SELECT c.channel_id, c.assignee_id, s.sent_by_id, s.answered_at,
            ROUND({_seconds("s.answered_at", "s.asked_at")}) AS wait
        FROM stretches s JOIN {conversation} c ON c.id = s.conversation_id
        WHERE s.asked_at >= %(start)s AND s.asked_at < %(end)s
            AND (s.answered_at IS NOT NULL OR c.status <> '{done}')
    )"""


def _percentile_columns() -> str:
    """For each percentile P, the values at the two nearest ranks and the weight between."""
    columns = []
    for p in PERCENTILES:
        low, high = f"1 + ({p} * (n - 1)) / 100", f"1 + ({p} * (n - 1) + 99) / 100"
        columns += [
            f"MAX(CASE WHEN rn = {low} THEN wait END)",
            f"MAX(CASE WHEN rn = {high} THEN wait END)",
            f"MAX(({p} * (n - 1)) %% 100)",  # %% : a modulo, not a parameter
        ]
    return ", ".join(columns)


def _key_sql(key: str) -> str:
    return "'everyone'" if key == EVERYONE else key


def _groups(*, workspace: Workspace, period: Period, rate_key: str, time_key: str) -> dict:
    """Figures per group: the rate grouped by ``rate_key``, the times by ``time_key``."""
    start, end = period.bounds(ZoneInfo(workspace.time_zone))
    params = {
        "workspace": workspace.pk,
        "start": connection.ops.adapt_datetimefield_value(start),
        "end": connection.ops.adapt_datetimefield_value(end),
    }
    timed = _timed_sql()
    rate_sql = f"""{timed}
    SELECT {_key_sql(rate_key)} AS k, COUNT(*), COUNT(answered_at) FROM timed GROUP BY 1"""
    time_sql = f"""{timed},
    ranked AS (
        SELECT {_key_sql(time_key)} AS k, wait,
            ROW_NUMBER() OVER (PARTITION BY {_key_sql(time_key)} ORDER BY wait) AS rn,
            COUNT(*) OVER (PARTITION BY {_key_sql(time_key)}) AS n
        FROM timed WHERE answered_at IS NOT NULL
    )
    SELECT k, MAX(n), {_percentile_columns()} FROM ranked GROUP BY k"""
    counts: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(rate_sql, params)
        for key, needing, answered in cursor.fetchall():
            counts[key] = {"needing": needing, "answered": answered}
        cursor.execute(time_sql, params)
        for key, answers, *values in cursor.fetchall():
            median, p90 = (_interpolated(*values[i : i + 3]) for i in (0, 3))
            counts.setdefault(key, {}).update(
                answers=answers, median_seconds=median, p90_seconds=p90
            )
    return {key: Figures(**values) for key, values in counts.items()}


def _interpolated(low: float, high: float, hundredths: int) -> float:
    return float(low) + (float(high) - float(low)) * int(hundredths) / 100


def responsiveness_total(*, workspace: Workspace, period: Period) -> Figures:
    found = _groups(workspace=workspace, period=period, rate_key=EVERYONE, time_key=EVERYONE)
    return found.get(EVERYONE, Figures())


def responsiveness_by_channel(*, workspace: Workspace, period: Period) -> dict[int, Figures]:
    """Figures per channel id."""
    return _groups(workspace=workspace, period=period, rate_key="channel_id", time_key="channel_id")


def responsiveness_by_member(*, workspace: Workspace, period: Period) -> dict[int | None, Figures]:
    """Figures per user id (None: answers sent by no member of Parvis)."""
    return _groups(
        workspace=workspace, period=period, rate_key="assignee_id", time_key="sent_by_id"
    )


# Overdue conversations: open, and waiting for the brand for longer than the target.


def with_awaiting_since(rows: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Annotate ``awaiting_since``: the first message received since the brand's last
    answer (None when the brand spoke last)."""
    last_answer = Message.objects.filter(  # the conversation's, read once (``thread_answers``)
        conversation=OuterRef(OuterRef("pk")), direction=Direction.OUT
    ).order_by("-created_at")
    waiting = (
        Message.objects.filter(conversation=OuterRef("pk"))
        .exclude(direction=Direction.OUT)
        .filter(
            created_at__gt=Coalesce(
                Subquery(last_answer.values("created_at")[:1]),
                Value(datetime(1970, 1, 1, tzinfo=UTC)),
                output_field=DateTimeField(),
            )
        )
        .order_by("created_at")
    )
    return rows.annotate(awaiting_since=Subquery(waiting.values("created_at")[:1]))


def overdue_before(*, workspace: Workspace, now: datetime | None = None) -> datetime:
    """A conversation waiting since before this moment is overdue."""
    return (now or timezone.now()) - timedelta(minutes=workspace.response_target_minutes)


def only_overdue(rows: QuerySet[Conversation], *, workspace: Workspace) -> QuerySet[Conversation]:
    """The open conversations waiting for an answer for longer than the workspace's target."""
    return with_awaiting_since(rows).filter(
        status=ConversationStatus.OPEN, awaiting_since__lt=overdue_before(workspace=workspace)
    )


def is_overdue(conversation: Conversation, *, cutoff: datetime) -> bool:
    since = getattr(conversation, "awaiting_since", None)
    return conversation.status == ConversationStatus.OPEN and since is not None and since < cutoff


def duration_text(seconds: float | None) -> str:
    """A response time for people: "45 s", "12 min", "2 h 05", "3 d 4 h"."""
    if seconds is None:
        return NO_FIGURE
    whole = round(seconds)
    if whole < 60:
        return _("%(seconds)d s") % {"seconds": whole}
    minutes = round(whole / 60)
    if minutes < 60:
        return _("%(minutes)d min") % {"minutes": minutes}
    if minutes < 24 * 60:
        return _("%(hours)d h %(minutes)02d") % {"hours": minutes // 60, "minutes": minutes % 60}
    hours = round(minutes / 60)
    return _("%(days)d d %(hours)d h") % {"days": hours // 24, "hours": hours % 24}


def rate_text(rate: float | None) -> str:
    """A share as a percentage in the user's language ("80.0%", "80,0 %")."""
    if rate is None:
        return NO_FIGURE
    return _("%(value)s%%") % {"value": number_format(rate * 100, decimal_pos=1)}
