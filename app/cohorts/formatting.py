"""Dates and times shown in the cohort's time zone, in the reader's language."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import dates
from flask_babel import get_locale


def _locale():
    return get_locale() or "en"


def local_date(moment: datetime, zone: str, fmt: str = "medium") -> str:
    return dates.format_date(moment.astimezone(ZoneInfo(zone)), fmt, locale=_locale())


def local_time(moment: datetime, zone: str, fmt: str = "short") -> str:
    return dates.format_time(moment, fmt, tzinfo=ZoneInfo(zone), locale=_locale())


def local_datetime(moment: datetime, zone: str, fmt: str = "medium") -> str:
    return f"{local_date(moment, zone, fmt)}, {local_time(moment, zone)}"


def session_when(starts_at: datetime, ends_at: datetime, zone: str,
                 fmt: str = "medium") -> str:
    """"29 Mar 2026, 09:00–12:30"."""
    return (f"{local_date(starts_at, zone, fmt)}, {local_time(starts_at, zone)}–"
            f"{local_time(ends_at, zone)}")


def day(value, fmt: str = "medium") -> str:
    return dates.format_date(value, fmt, locale=_locale())


def file_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
