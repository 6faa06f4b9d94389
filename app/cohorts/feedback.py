"""The end-of-workshop survey (one CohortFeedback per member).

When: a learner can answer once they have completed the course or the
workshop's last day has come, whichever is first, and can change their
answers until ``COHORT_FEEDBACK_DAYS`` (default 30) days after the last day;
then the survey closes. Every question may be skipped.

Who sees what: the learner sees their own answers; trainers and admins see
only aggregates (app/cohorts/aggregates.py), and only from 5 answers on;
comments are listed without names, alphabetically, never linked to a member.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.cohorts import aggregates
from app.cohorts.access import load_cohort
from app.cohorts.models import FEEDBACK_COMMENT_MAX, Cohort, CohortFeedback
from app.core import audit
from app.core.db import utcnow
from app.core.errors import Forbidden, ValidationError
from app.courses.services import get_enrolment
from app.extensions import db

LABELS = {
    "relevance": _l("Relevance to the job"),
    "content": _l("Quality of the content"),
    "trainer": _l("Quality of the training"),
    "pace": _l("Pace (1 too slow, 3 about right, 5 too fast)"),
    "apply": _l("Intention to apply what was learnt"),
}


def closes_on(cohort: Cohort) -> date:
    return cohort.ends_on + timedelta(days=current_app.config["COHORT_FEEDBACK_DAYS"])


@dataclass(frozen=True)
class SurveyState:
    state: str                  # "open", "not_yet", "closed"
    closes_on: date
    feedback: CohortFeedback | None

    @property
    def open(self) -> bool:
        return self.state == "open"


def survey_state(cohort: Cohort, member_id: int, completed: bool,
                 today: date | None = None) -> SurveyState:
    today = today or utcnow().date()
    closes = closes_on(cohort)
    found = db.session.scalar(select(CohortFeedback).where(
        CohortFeedback.member_id == member_id))
    if today > closes:
        return SurveyState("closed", closes, found)
    if completed or today >= cohort.ends_on:
        return SurveyState("open", closes, found)
    return SurveyState("not_yet", closes, found)


def _rating(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_l("Choose an answer from 1 to 5.")) from exc
    if not 1 <= number <= 5:
        raise ValidationError(_l("Choose an answer from 1 to 5."))
    return number


def save(user, cohort_id: int, answers: dict) -> CohortFeedback:
    """Store or replace the learner's answers (``answers`` holds the QUESTIONS
    keys, 1–5 or empty, and ``comment``)."""
    access = load_cohort(user, cohort_id)
    if not access.is_member:
        raise Forbidden()
    cohort = access.cohort
    enrolment = get_enrolment(user, cohort.course_slug, with_progress=False)
    state = survey_state(cohort, access.member.id,
                         bool(enrolment and enrolment.completed_at))
    if state.state == "closed":
        raise ValidationError(_l("The survey of this workshop is closed."))
    if state.state == "not_yet":
        raise ValidationError(_l("The survey opens when you complete the course or on the "
                                 "workshop's last day."))
    values = {key: _rating(answers.get(key)) for key in aggregates.QUESTIONS}
    comment = (answers.get("comment") or "").strip()
    if len(comment) > FEEDBACK_COMMENT_MAX:
        raise ValidationError(_l("Use at most %(max)d characters.", max=FEEDBACK_COMMENT_MAX),
                              field="comment")
    if all(v is None for v in values.values()) and not comment:
        raise ValidationError(_l("Answer at least one question."))
    row = state.feedback
    now = utcnow()
    if row is None:
        row = CohortFeedback(cohort_id=cohort.id, member_id=access.member.id, created_at=now)
        db.session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.comment = comment or None
    row.updated_at = now
    db.session.flush()
    audit.record("cohorts.feedback_saved", actor=user, subject=f"cohort:{cohort.id}")
    return row


def rows_of(cohort_ids: list[int]) -> dict[int, list[dict]]:
    """Cohort id -> the answers (dicts with ``member_id``), one query."""
    found: dict[int, list[dict]] = {i: [] for i in cohort_ids}
    if not cohort_ids:
        return found
    for row in db.session.scalars(select(CohortFeedback).where(
            CohortFeedback.cohort_id.in_(cohort_ids))):
        found[row.cohort_id].append({**row.answers(), "member_id": row.member_id})
    return found
