"""Session times: entered in the cohort's time zone, stored in UTC."""

from datetime import UTC, date, datetime, time

import pytest

from app.cohorts import times


def test_local_time_is_stored_as_utc():
    assert times.to_utc(date(2026, 3, 10), time(9, 0), "Africa/Dakar") == datetime(
        2026, 3, 10, 9, 0, tzinfo=UTC)
    assert times.to_utc(date(2026, 3, 10), time(9, 0), "America/Bogota") == datetime(
        2026, 3, 10, 14, 0, tzinfo=UTC)
    assert times.to_utc(date(2026, 7, 1), time(9, 0), "Europe/Paris") == datetime(
        2026, 7, 1, 7, 0, tzinfo=UTC)
    assert times.to_utc(date(2026, 1, 1), time(9, 0), "Asia/Kathmandu") == datetime(
        2026, 1, 1, 3, 15, tzinfo=UTC)


def test_a_time_skipped_by_daylight_saving_is_refused():
    with pytest.raises(times.BadLocalTime):
        times.to_utc(date(2026, 3, 29), time(2, 30), "Europe/Paris")


def test_an_ambiguous_time_is_its_first_occurrence():
    # 02:30 happens twice in Paris on 25 October 2026; the first is still summer time.
    assert times.to_utc(date(2026, 10, 25), time(2, 30), "Europe/Paris") == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC)


def test_round_trip_and_offset_label():
    moment = datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    local = times.to_local(moment, "Europe/Paris")
    assert (local.hour, local.minute) == (9, 0)
    assert times.utc_offset_label(moment, "Europe/Paris") == "UTC+02:00"
    assert times.utc_offset_label(moment, "America/Bogota") == "UTC−05:00"


def test_zone_names_are_validated_and_spelled_canonically():
    assert times.canonical_zone("europe/paris") == "Europe/Paris"
    assert times.canonical_zone(" Africa/Dakar ") == "Africa/Dakar"
    assert times.canonical_zone("UTC") == "UTC"
    assert times.canonical_zone("Mars/Olympus") is None
    assert times.canonical_zone("") is None and times.canonical_zone(None) is None
    assert "Africa/Dakar" in times.zone_names()
