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


def plain_text(html_text: str, limit: int | None = None) -> str:
    """The text of a small piece of sanitised HTML (a question's prompt), on one line."""
    import html
    import re

    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text or "")).split())
    if limit and len(text) > limit:
        text = text[:limit - 1].rstrip() + "…"
    return text


def number(value, digits: int = 1) -> str:
    """"12.5", "−0.25" or "—" for None (figures on pages and in the report)."""
    if value is None:
        return "—"
    if abs(value) < 0.5 * 10 ** -digits:
        value = 0.0                     # no "−0.0"
    text = f"{value:.{digits}f}"
    return text.replace("-", "−") if text.startswith("-") else text


def percent(share, digits: int = 0) -> str:
    """A share (0–1) as "45%"; "—" for None."""
    if share is None:
        return "—"
    return f"{100 * share:.{digits}f}%"
