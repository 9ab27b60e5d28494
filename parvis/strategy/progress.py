"""Where a goal stands: its current value, the share of the target reached, the pace
expected by today, and a status, each said in words.

- The value is measured from the start (00:00, workspace's zone) to now, or to the
  end of the deadline's day once it has passed.
- Reached: value / target for "at least" KPIs; for "at most" ones (a response time),
  100 % when the value is at or under the target, else target / value.
- Expected by today: for figures that add up (posts, clicks, growth), the share of
  the period gone by (halfway through, half the target); for levels (a rate, a
  time), the whole target, all along.
- Status: before the start, upcoming; without a figure, no data yet; after the
  deadline, reached or missed; before it, reached (a figure that adds up is there
  already), on track (at or ahead of the pace; a level meeting the target) or
  behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parvis.accounts.models import Workspace
from parvis.strategy.kpis import Direction, Kpi, Pace, Scope, kpi_of
from parvis.strategy.models import Goal
from parvis.strategy.selectors import goals_in_progress


class Status(StrEnum):
    UPCOMING = "upcoming"
    NO_DATA = "no_data"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    REACHED = "reached"
    MISSED = "missed"


STATUS_LABELS = {
    Status.UPCOMING: gettext_lazy("Not started"),
    Status.NO_DATA: gettext_lazy("No figure yet"),
    Status.ON_TRACK: gettext_lazy("On track"),
    Status.BEHIND: gettext_lazy("Behind"),
    Status.REACHED: gettext_lazy("Reached"),
    Status.MISSED: gettext_lazy("Missed"),
}
# Bootstrap colours for the badge and the bar.
STATUS_COLOURS = {
    Status.UPCOMING: "secondary",
    Status.NO_DATA: "secondary",
    Status.ON_TRACK: "primary",
    Status.BEHIND: "warning",
    Status.REACHED: "success",
    Status.MISSED: "danger",
}


@dataclass(frozen=True)
class Progress:
    goal: Goal
    kpi: Kpi | None
    value: float | None
    reached_percent: float | None  # may pass 100
    expected_percent: float | None
    status: Status
    explanation: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def bar_percent(self) -> float:
        return min(100.0, max(0.0, self.reached_percent or 0.0))

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.kpi.unit if self.kpi else "")

    @property
    def target_text(self) -> str:
        return format_value(self.goal.target, self.kpi.unit if self.kpi else "")


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "min":
        minutes = round(value)
        if minutes >= 60:
            return _("%(hours)d h %(minutes)02d min") % {
                "hours": minutes // 60,
                "minutes": minutes % 60,
            }
        return _("%(minutes)d min") % {"minutes": minutes}
    if unit == "%":
        return _("%(value)s %%") % {"value": formats.number_format(round(value, 1), 1)}
    return formats.number_format(round(value), 0, force_grouping=True)


def goal_bounds(goal: Goal) -> tuple[datetime, datetime]:
    """From the start's first moment to the end of the deadline's day."""
    zone = ZoneInfo(goal.workspace.time_zone)
    start = datetime.combine(goal.starts_on, time.min, tzinfo=zone)
    end = datetime.combine(goal.deadline + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _reached(kpi: Kpi, value: float, target: float) -> float:
    if kpi.direction == Direction.AT_MOST:
        if value <= target:
            return 100.0
        return target / value * 100 if value else 100.0
    return value / target * 100 if target else 100.0


def _meets(kpi: Kpi, value: float, target: float) -> bool:
    return value <= target if kpi.direction == Direction.AT_MOST else value >= target


def goal_progress(goal: Goal, *, now: datetime | None = None) -> Progress:
    now = now or timezone.now()
    kpi = kpi_of(goal.kpi)
    start, end = goal_bounds(goal)
    if kpi is None:
        explanation = _("This goal's KPI (%(key)s) is no longer measured by Parvis.") % {
            "key": goal.kpi
        }
        return Progress(goal, None, None, None, None, Status.NO_DATA, explanation)
    if now < start:
        explanation = _("The goal starts on %(date)s.") % {
            "date": formats.date_format(goal.starts_on, "DATE_FORMAT")
        }
        return Progress(goal, kpi, None, None, None, Status.UPCOMING, explanation)
    scope = Scope(channel_id=goal.channel_id, campaign_id=goal.campaign_id)
    value = kpi.measure(goal.workspace, start, min(now, end), scope)
    elapsed = min(1.0, (now - start) / (end - start))
    expected = elapsed * 100 if kpi.pace == Pace.CUMULATIVE else 100.0
    if value is None:
        explanation = _(
            "No figure for this period yet: it appears once Parvis has collected one "
            "(published posts, the networks' figures or the inbox's answers)."
        )
        return Progress(goal, kpi, None, None, expected, Status.NO_DATA, explanation)
    reached = _reached(kpi, value, goal.target)
    meets = _meets(kpi, value, goal.target)
    over = now >= end
    if over:
        status = Status.REACHED if meets else Status.MISSED
    elif meets and kpi.pace == Pace.CUMULATIVE:
        status = Status.REACHED
    elif meets or (kpi.pace == Pace.CUMULATIVE and reached >= expected):
        status = Status.ON_TRACK
    else:
        status = Status.BEHIND
    progress = Progress(goal, kpi, value, reached, expected, status, "")
    return Progress(
        goal, kpi, value, reached, expected, status, _explain(progress, elapsed=elapsed, over=over)
    )


def _explain(progress: Progress, *, elapsed: float, over: bool) -> str:
    kpi, status = progress.kpi, progress.status
    words = {
        "value": progress.value_text,
        "target": progress.target_text,
        "reached": formats.number_format(round(progress.reached_percent or 0), 0),
        "elapsed": formats.number_format(round(elapsed * 100), 0),
        "deadline": formats.date_format(progress.goal.deadline, "DATE_FORMAT"),
    }
    if kpi.direction == Direction.AT_MOST:
        now_text = _("Now %(value)s, for a target of %(target)s or less.") % words
    else:
        now_text = _("Now %(value)s, %(reached)s %% of the target of %(target)s.") % words
    if over:
        verdict = (
            _("The deadline (%(deadline)s) has passed and the target was reached.")
            if status == Status.REACHED
            else _("The deadline (%(deadline)s) has passed without reaching the target.")
        )
    elif status == Status.REACHED:
        verdict = _("Target reached before the deadline (%(deadline)s).")
    elif kpi.pace == Pace.CUMULATIVE:
        verdict = (
            _("%(elapsed)s %% of the time has passed: ahead of or at the pace needed.")
            if status == Status.ON_TRACK
            else _(
                "%(elapsed)s %% of the time has passed, so about as much of the target "
                "was expected by now: behind the pace."
            )
        )
    else:
        verdict = (
            _("The figure meets the target; keep it there until %(deadline)s.")
            if status == Status.ON_TRACK
            else _("The figure must meet the target by %(deadline)s and does not yet.")
        )
    return f"{now_text} {verdict % words}"


def progress_of_goals(goals: list[Goal], *, now: datetime | None = None) -> list[Progress]:
    return [goal_progress(goal, now=now) for goal in goals]


SUMMARY_SIZE = 4


def goals_summary(*, workspace: Workspace, today: date) -> tuple[list[Progress], bool]:
    """The first goals in progress (nearest deadline first) for the workspace's home,
    and whether there are more."""
    goals = list(goals_in_progress(workspace=workspace, today=today)[: SUMMARY_SIZE + 1])
    return progress_of_goals(goals[:SUMMARY_SIZE]), len(goals) > SUMMARY_SIZE
