"""Attendance rules: pure functions over plain data (no Flask, no database).

The one definition of the attendance rate, reused by the cohort pages, the
cohort certificate rule and (part 2) the dashboards:

    rate = present / (sessions held so far - sessions excused)

A session is *held* once it has started. A held session without a mark counts
as absent; a session not held yet does not count, whatever its mark. When
nothing counts (no session held, or every held session excused) the rate is
undefined (None).

The QR check-in window is here too: a session can be checked into from
``start - grace`` to ``end + grace``.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

PRESENT, ABSENT, EXCUSED = "present", "absent", "excused"
MARKS = (PRESENT, ABSENT, EXCUSED)


@dataclass(frozen=True)
class Rate:
    present: int
    absent: int          # marked absent, or held and not marked
    excused: int

    @property
    def counted(self) -> int:
        """The denominator: held sessions that were not excused."""
        return self.present + self.absent

    @property
    def value(self) -> float | None:
        """Between 0 and 1, or None when no session counts."""
        return self.present / self.counted if self.counted else None

    @property
    def percent(self) -> int | None:
        """Whole percent, rounded down, so that a rate shown as 75% is never
        below 75% (74.6% shows as 74%)."""
        return (100 * self.present) // self.counted if self.counted else None


def held(sessions: Iterable[tuple[int, datetime]], now: datetime) -> list[int]:
    """Ids of the sessions held so far, from (id, starts_at) pairs."""
    return [session_id for session_id, starts_at in sessions if starts_at <= now]


def learner_rate(held_ids: Iterable[int], marks: Mapping[int, str]) -> Rate:
    """One learner over the held sessions; ``marks`` maps session id -> mark."""
    present = absent = excused = 0
    for session_id in held_ids:
        mark = marks.get(session_id)
        if mark == PRESENT:
            present += 1
        elif mark == EXCUSED:
            excused += 1
        else:
            absent += 1
    return Rate(present, absent, excused)


def session_rate(member_ids: Iterable[int], marks: Mapping[int, str]) -> Rate:
    """One held session over the learners; ``marks`` maps member id -> mark."""
    return learner_rate(member_ids, marks)


def meets_minimum(rate: Rate, minimum_percent: int) -> bool:
    """Exact comparison (no rounding). With a minimum of 0 anyone qualifies;
    otherwise an undefined rate (nothing counted yet) does not."""
    if minimum_percent <= 0:
        return True
    return rate.counted > 0 and 100 * rate.present >= minimum_percent * rate.counted


# --- QR check-in window --------------------------------------------------------------

OPEN, TOO_EARLY, TOO_LATE = "open", "too_early", "too_late"


def checkin_window(starts_at: datetime, ends_at: datetime,
                   grace: timedelta) -> tuple[datetime, datetime]:
    return starts_at - grace, ends_at + grace


def checkin_state(now: datetime, starts_at: datetime, ends_at: datetime,
                  grace: timedelta) -> str:
    """OPEN from start - grace to end + grace, both ends included."""
    opens, closes = checkin_window(starts_at, ends_at, grace)
    if now < opens:
        return TOO_EARLY
    if now > closes:
        return TOO_LATE
    return OPEN
