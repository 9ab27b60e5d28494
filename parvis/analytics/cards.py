"""A dashboard's figures as cards for people: grouped, labelled, explained, compared.

Pages and reports (CSV, PDF) show the same cards: each has its definition (label and
explanation), its value and the previous period's, and texts already formatted in the
active language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parvis.analytics.dashboards import Dashboard, Totals
from parvis.analytics.definitions import Definition, definition
from parvis.inbox.responsiveness import NO_FIGURE, duration_text, rate_text

COUNT, RATE, DURATION, RATIO = "count", "rate", "duration", "ratio"


@dataclass(frozen=True)
class Card:
    definition: Definition
    kind: str  # COUNT, RATE, DURATION or RATIO
    value: float | None
    previous: float | None
    lower_is_better: bool = False

    @property
    def text(self) -> str:
        return figure_text(self.value, self.kind)

    @property
    def previous_text(self) -> str:
        return figure_text(self.previous, self.kind)

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def percent(self) -> float | None:
        """The change as a share of the previous value (None when it was 0 or unknown)."""
        if self.delta is None or not self.previous:
            return None
        return self.delta / abs(self.previous)

    @property
    def delta_text(self) -> str:
        """The change since the previous period: "+12 (+4.0 %)", a minus sign for less."""
        if self.delta is None:
            return NO_FIGURE
        sign = "+" if self.delta > 0 else "\u2212" if self.delta < 0 else "\u00b1"
        if self.kind == DURATION:
            amount = duration_text(abs(self.delta))
        elif self.kind == RATE:
            points = number_format(abs(self.delta) * 100, decimal_pos=1)
            amount = _("%(points)s pts") % {"points": points}
        else:
            amount = figure_text(abs(self.delta), self.kind)
        if self.percent is None or self.kind == RATE:
            return f"{sign}{amount}"
        share = number_format(abs(self.percent) * 100, decimal_pos=1)
        return f"{sign}{amount} ({sign}{share}\u00a0%)"

    @property
    def trend(self) -> str:
        """ "up", "down" or "flat", as good or bad news: "good", "bad", "flat"."""
        if not self.delta:
            return "flat"
        better = self.delta < 0 if self.lower_is_better else self.delta > 0
        return "good" if better else "bad"


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    cards: tuple[Card, ...]


def figure_text(value: float | None, kind: str) -> str:
    if value is None:
        return NO_FIGURE
    if kind == RATE:
        return rate_text(value)
    if kind == DURATION:
        return duration_text(value)
    if kind == RATIO:
        return number_format(value, decimal_pos=2)
    return number_format(round(value), force_grouping=True)


SECTIONS: tuple[tuple[str, str | Promise, tuple[tuple[str, str], ...]], ...] = (
    (
        "awareness",
        gettext_lazy("Awareness"),
        (
            ("followers", COUNT),
            ("follower_growth", COUNT),
            ("follower_growth_rate", RATE),
            ("reach", COUNT),
            ("views", COUNT),
            ("views_per_reach", RATIO),
        ),
    ),
    (
        "engagement",
        gettext_lazy("Engagement"),
        (
            ("engagements", COUNT),
            ("engagement_rate_reach", RATE),
            ("engagement_rate_followers", RATE),
        ),
    ),
    (
        "traffic",
        gettext_lazy("Traffic"),
        (
            ("clicks", COUNT),
            ("click_through_rate", RATE),
            ("short_link_clicks", COUNT),
            ("short_link_click_through_rate", RATE),
        ),
    ),
    (
        "responsiveness",
        gettext_lazy("Responsiveness"),
        (("response_rate", RATE), ("response_time", DURATION)),
    ),
)


def sections(board: Dashboard) -> list[Section]:
    """The dashboard's cards by section; figures that do not apply to the scope are left
    out (followers of a single post's campaign still show; responsiveness does not)."""
    found = []
    for key, title, names in SECTIONS:
        cards = tuple(
            Card(
                definition=definition(name),
                kind=kind,
                value=board.current.value(name),
                previous=board.previous.value(name),
                lower_is_better=name == "response_time",
            )
            for name, kind in names
            if _applies(name, board.current)
        )
        if cards:
            found.append(Section(key, title, cards))
    return found


def _applies(name: str, totals: Totals) -> bool:
    if name in ("short_link_clicks", "short_link_click_through_rate"):
        return totals.short_link_clicks is not None
    if name in ("response_rate", "response_time"):
        return totals.response is not None
    return True
