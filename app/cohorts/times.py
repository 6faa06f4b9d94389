"""Time zones: sessions are stored in UTC and entered and shown in the cohort's
IANA time zone. Pure functions (zoneinfo only)."""

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones


class BadLocalTime(ValueError):
    """A local time that does not exist (skipped by a daylight-saving change)."""


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA name, sorted (for a suggestion list)."""
    return tuple(sorted(n for n in available_timezones()
                        if "/" in n and not n.startswith(("Etc/", "SystemV/", "US/")))) + (
        "UTC",)


def canonical_zone(name: str | None) -> str | None:
    """The IANA name as spelled in the database ("europe/paris" -> "Europe/Paris"),
    or None when unknown."""
    return _zones().get((name or "").strip().casefold())


def to_utc(day: date, at: time, zone: str) -> datetime:
    """A wall-clock time in ``zone`` as an aware UTC datetime. Raises BadLocalTime
    for a time skipped by a daylight-saving change; an ambiguous time (repeated
    when clocks go back) is read as its first occurrence."""
    tz = ZoneInfo(zone)
    local = datetime.combine(day, at.replace(tzinfo=None)).replace(tzinfo=tz, fold=0)
    as_utc = local.astimezone(UTC)
    if as_utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise BadLocalTime(f"{local:%Y-%m-%d %H:%M} does not exist in {zone}")
    return as_utc


def to_local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def utc_offset_label(moment: datetime, zone: str) -> str:
    """"UTC+02:00" for display next to local times."""
    offset = to_local(moment, zone).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "−"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
