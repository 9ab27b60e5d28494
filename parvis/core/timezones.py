"""Time zones: UTC in the database, the workspace's IANA zone at the edges."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.utils import timezone


@cache
def all_time_zones() -> list[str]:
    """Every IANA zone name, sorted, for pickers (tzdata ships them)."""
    zones = sorted(
        zone
        for zone in available_timezones()
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/"))
    )
    return [*zones, "UTC"]


def is_valid_time_zone(name: str) -> bool:
    return name in set(all_time_zones())


def to_local(moment: datetime, zone_name: str) -> datetime:
    return timezone.localtime(moment, ZoneInfo(zone_name))


def local_to_utc(naive: datetime, zone_name: str) -> datetime:
    """A wall-clock time in the zone, to an aware UTC moment (DST-correct)."""
    aware = naive.replace(tzinfo=ZoneInfo(zone_name))
    return aware.astimezone(ZoneInfo("UTC"))


def dst_gap_or_overlap(moment: datetime) -> str | None:
    """ "skipped" or "repeated" when the aware moment's wall-clock time does not
    exist or happens twice in its zone (a DST change), else None."""
    if moment.tzinfo is None:
        raise ValueError("dst_gap_or_overlap needs an aware datetime.")
    first, second = moment.replace(fold=0), moment.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    # In a gap the wall-clock time does not survive a round trip through UTC.
    back = first.astimezone(UTC).astimezone(moment.tzinfo)
    return "skipped" if back.replace(tzinfo=None) != first.replace(tzinfo=None) else "repeated"
