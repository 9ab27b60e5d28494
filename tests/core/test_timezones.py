from __future__ import annotations

from datetime import UTC, datetime

from parvis.core.timezones import all_time_zones, is_valid_time_zone, local_to_utc, to_local


def test_zone_list_has_the_iana_names_people_pick():
    zones = all_time_zones()
    assert "Europe/Paris" in zones and "America/Montreal" in zones and "UTC" in zones
    assert is_valid_time_zone("Europe/Paris")
    assert not is_valid_time_zone("Mars/Olympus")


def test_wall_clock_to_utc_follows_daylight_saving_time():
    # 9:00 in Paris is 8:00 UTC in winter and 7:00 UTC in summer.
    assert local_to_utc(datetime(2026, 1, 15, 9, 0), "Europe/Paris").hour == 8
    assert local_to_utc(datetime(2026, 7, 15, 9, 0), "Europe/Paris").hour == 7
    # The night the clocks go forward (29 March 2026), 03:30 is already summer time.
    assert local_to_utc(datetime(2026, 3, 29, 3, 30), "Europe/Paris") == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_utc_to_local():
    moment = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert to_local(moment, "Europe/Paris").hour == 13
    assert to_local(moment, "America/Montreal").hour == 7
