"""What a valid answer is. Pure code shared by the web form and the offline
workbook, so both accept and refuse exactly the same things.

An answer is a choice ("0".."4", "dont_know", "not_applicable" or "" for not
answered yet), evidence links (http or https only), a short evidence note, a
comment, and an optional target level and year.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from app.assessments.constants import DONT_KNOW, LEVEL, LEVELS, NOT_APPLICABLE

MAX_TEXT = 2000             # evidence note, comment, consensus justification
MAX_LINKS = 10
MAX_LINK_LENGTH = 500
YEAR_MIN, YEAR_MAX = 2000, 2100
CHOICES = tuple(str(level) for level in LEVELS) + (DONT_KNOW, NOT_APPLICABLE)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class AnswerValues:
    response: str | None = None         # LEVEL, DONT_KNOW, NOT_APPLICABLE or None
    level: int | None = None
    links: tuple[str, ...] = ()
    note: str = ""
    comment: str = ""
    target_level: int | None = None
    target_year: int | None = None

    @property
    def choice(self) -> str:
        if self.response == LEVEL:
            return str(self.level)
        return self.response or ""

    @property
    def answered(self) -> bool:
        return self.response is not None

    @property
    def empty(self) -> bool:
        return self == AnswerValues()

    @property
    def scored_level(self) -> int | None:
        """The level that counts in scores (None for don't know / not applicable)."""
        return self.level if self.response == LEVEL else None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["links"] = list(self.links)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "AnswerValues":
        return cls(**{**data, "links": tuple(data.get("links") or ())})

    def fingerprint(self) -> str:
        """A short digest of the values, to tell "changed since loaded" apart."""
        raw = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass
class RawAnswer:
    """What a form or a workbook row gave, as text, before checking."""

    choice: str = ""
    links: str = ""
    note: str = ""
    comment: str = ""
    target_level: str = ""
    target_year: str = ""
    errors: dict = field(default_factory=dict)


def parse_choice(choice: str) -> tuple[str | None, int | None]:
    """"3" -> (LEVEL, 3); "dont_know" -> (DONT_KNOW, None); "" -> (None, None).
    Raises ValueError for anything else, e.g. "5"."""
    choice = (choice or "").strip()
    if not choice:
        return None, None
    if choice in (DONT_KNOW, NOT_APPLICABLE):
        return choice, None
    if choice.isdigit() and int(choice) in LEVELS:
        return LEVEL, int(choice)
    raise ValueError(choice)


def clean_text(value: str | None) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()


def split_links(text: str) -> list[str]:
    return [part for part in re.split(r"[\s;,]+", text or "") if part]


def is_web_link(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(
        c.isspace() or ord(c) < 32 for c in url)


def clean(raw: RawAnswer) -> tuple[AnswerValues | None, dict[str, str]]:
    """Check every field; return (values, {}) or (None, {field: message})."""
    errors: dict[str, str] = {}
    try:
        response, level = parse_choice(raw.choice)
    except ValueError:
        errors["choice"] = str(_l("Choose a level from 0 to 4, “Don't know” or “Not "
                                  "applicable”."))
        response = level = None
    links = []
    for link in split_links(raw.links):
        if len(link) > MAX_LINK_LENGTH:
            errors["links"] = str(_l("A link is longer than %(max)d characters.",
                                     max=MAX_LINK_LENGTH))
        elif not is_web_link(link):
            errors["links"] = str(_l("“%(link)s” is not a web link: links must start with "
                                     "http:// or https://.", link=link[:80]))
        elif link not in links:
            links.append(link)
    if len(links) > MAX_LINKS:
        errors["links"] = str(_l("Give at most %(max)d links.", max=MAX_LINKS))
    texts = {}
    for name in ("note", "comment"):
        texts[name] = clean_text(getattr(raw, name))
        if len(texts[name]) > MAX_TEXT:
            errors[name] = str(_l("Use at most %(max)d characters (this has %(n)d).",
                                  max=MAX_TEXT, n=len(texts[name])))
    target_level = None
    target = str(raw.target_level or "").strip()
    if target:
        if target.isdigit() and int(target) in LEVELS:
            target_level = int(target)
        else:
            errors["target_level"] = str(_l("The target level must be a level from 0 to 4."))
    target_year = None
    year = str(raw.target_year or "").strip()
    if year:
        if year.endswith(".0"):
            year = year[:-2]
        if year.isdigit() and YEAR_MIN <= int(year) <= YEAR_MAX:
            target_year = int(year)
        else:
            errors["target_year"] = str(_l("The target year must be a year between %(min)d and "
                                           "%(max)d.", min=YEAR_MIN, max=YEAR_MAX))
    if errors:
        return None, errors
    return AnswerValues(response=response, level=level, links=tuple(links), note=texts["note"],
                        comment=texts["comment"], target_level=target_level,
                        target_year=target_year), {}


def check_justification(text: str | None, *, required: bool) -> tuple[str, str | None]:
    """A consensus justification: (cleaned text, error message or None)."""
    value = clean_text(text)
    if len(value) > MAX_TEXT:
        return value, str(_l("Use at most %(max)d characters (this has %(n)d).", max=MAX_TEXT,
                             n=len(value)))
    if required and not value:
        return value, str(_l("The answers differ by 2 levels or more: explain the agreed "
                             "level."))
    return value, None


# --- concurrent edits --------------------------------------------------------------------

SKIP, WRITE, CONFLICT = "skip", "write", "conflict"


def merge_decision(*, submitted_fp: str, submitted_version: int, base_fp: str,
                   current_fp: str, current_version: int, resolution: str | None = None) -> str:
    """What to do with one submitted answer (optimistic concurrency).

    ``submitted_version`` and ``base_fp`` describe the answer when the person
    loaded it (version 0: no answer yet); ``current_*`` the answer now.

    - the same values as now, or "keep theirs" chosen: SKIP;
    - nobody saved in between: WRITE;
    - someone saved in between, but this person did not edit it: SKIP (theirs stays);
    - both changed it: CONFLICT (nothing is overwritten without a deliberate choice).
    """
    if submitted_fp == current_fp or resolution == "theirs":
        return SKIP
    if submitted_version == current_version:
        return WRITE
    if submitted_fp == base_fp:
        return SKIP
    return CONFLICT
