"""The report's "Goals" section: a seam, because analytics may not import strategy.

Goals live in ``parvis.strategy``, which sits above analytics. Strategy registers the
function that gives a period's goal lines (``register``, from its AppConfig.ready), and
the report shows whatever the registered functions give: plain ``GoalLine`` rows,
already worded in the report's language. Without strategy installed, the report has
no goals section.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from parvis.accounts.models import Workspace
from parvis.inbox.responsiveness import Period


@dataclass(frozen=True)
class GoalLine:
    """One goal as the report shows it, where it stood at the end of the period."""

    name: str
    kpi: str  # the KPI's label
    value_text: str
    target_text: str
    reached_percent: float | None  # may pass 100
    status: str  # a key: on_track, behind, reached, missed, no_data, upcoming
    status_label: str
    explanation: str
    deadline: date

    @property
    def bar_percent(self) -> float:
        return min(100.0, max(0.0, self.reached_percent or 0.0))


GoalSource = Callable[[Workspace, Period], Sequence[GoalLine]]
_sources: list[GoalSource] = []


def register(source: GoalSource) -> None:
    """Add a source of goal lines (registering the same function twice adds it once)."""
    if source not in _sources:
        _sources.append(source)


def goal_lines(*, workspace: Workspace, period: Period) -> tuple[GoalLine, ...]:
    """The goals of ``period`` from every registered source, in the active language."""
    return tuple(line for source in _sources for line in source(workspace, period))
