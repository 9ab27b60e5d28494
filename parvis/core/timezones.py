"""Time zones: UTC in the database, the workspace's IANA zone at the edges."""

from __future__ import annotations

from datetime import datetime
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
