"""Learners at risk: pure functions (no Flask, no database).

A learner who has not completed the course is flagged

- ``inactive`` when nothing happened for ``days`` days: their last activity in
  the course (a lesson opened or done, a quiz submitted), or, if they never
  did anything, the day they joined, is more than ``days`` days ago
  (config ``COHORT_AT_RISK_DAYS``, default 7; 0 turns the flag off);
- ``failed_twice`` when a knowledge check (or the final exam) has two failed
  counted attempts and no pass: they are stuck. Pre-test attempts never count.

A learner who completed the course is never at risk.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

INACTIVE, FAILED_TWICE = "inactive", "failed_twice"


def failed_twice(attempts: Iterable[tuple[str, bool, bool]]) -> list[str]:
    """Quiz slugs with at least two failed counted attempts and no pass, from
    (quiz slug, passed, is_pretest) triples; sorted."""
    failed: dict[str, int] = {}
    passed: set[str] = set()
    for slug, ok, pretest in attempts:
        if pretest:
            continue
        if ok:
            passed.add(slug)
        else:
            failed[slug] = failed.get(slug, 0) + 1
    return sorted(slug for slug, count in failed.items() if count >= 2 and slug not in passed)


def inactive(last_activity: datetime | None, joined_at: datetime | None, now: datetime,
             days: int) -> bool:
    reference = last_activity or joined_at
    if days <= 0 or reference is None:
        return False
    return now - reference > timedelta(days=days)


def risks(*, completed: bool, last_activity: datetime | None, joined_at: datetime | None,
          now: datetime, days: int, stuck_quizzes: Iterable[str] = ()) -> tuple[str, ...]:
    """The learner's flags, in a fixed order (empty: not at risk)."""
    if completed:
        return ()
    found = []
    if inactive(last_activity, joined_at, now, days):
        found.append(INACTIVE)
    if list(stuck_quizzes):
        found.append(FAILED_TWICE)
    return tuple(found)
