"""The roster as the trainers' pages see it: members with their attendance,
course progress and certificate, loaded in a fixed number of queries whatever
the number of learners (members, sessions, marks, enrolments with progress,
passed quizzes, certificates).

Part 2 (dashboards) builds on ``load`` and ``LearnerRow``.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.certificates.models import Certificate
from app.certificates.services import current_for_enrolment
from app.cohorts import attendance, content, feedback, pretest
from app.cohorts.access import load_cohort
from app.cohorts.eligibility import reasons as eligibility_reasons
from app.cohorts.models import Attendance, Cohort, CohortMember, CohortSession
from app.cohorts.services import course_of, members, trainer_names
from app.core.db import utcnow
from app.courses import progress
from app.courses.catalogue import catalogue
from app.courses.loader import Course
from app.courses.models import Enrolment
from app.courses.services import get_enrolment, learner_status, passed_quizzes
from app.extensions import db


@dataclass
class LearnerRow:
    member: CohortMember
    marks: dict[int, str]                  # session id -> mark
    rate: attendance.Rate
    enrolment: Enrolment | None
    status: progress.Status | None
    certificate: Certificate | None
    reasons: list[str] = field(default_factory=list)   # why not eligible (empty: eligible)

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def completed(self) -> bool:
        return bool(self.enrolment and self.enrolment.completed_at)


@dataclass
class Roster:
    cohort: Cohort
    course: Course
    sessions: list[CohortSession]
    held_ids: list[int]
    rows: list[LearnerRow]
    session_rates: dict[int, attendance.Rate]

    @property
    def held(self) -> list[CohortSession]:
        held = set(self.held_ids)
        return [s for s in self.sessions if s.id in held]

    def overall_rate(self) -> attendance.Rate:
        return attendance.Rate(sum(r.rate.present for r in self.rows),
                               sum(r.rate.absent for r in self.rows),
                               sum(r.rate.excused for r in self.rows))


def sessions_of(cohort_id: int) -> list[CohortSession]:
    return list(db.session.scalars(select(CohortSession).where(
        CohortSession.cohort_id == cohort_id).order_by(CohortSession.starts_at,
                                                       CohortSession.id)))


def marks_of(cohort_id: int, member_ids: list[int] | None = None) -> dict[int, dict[int, str]]:
    """member id -> {session id -> mark}, one query."""
    stmt = select(Attendance.member_id, Attendance.session_id, Attendance.status).join(
        CohortSession, CohortSession.id == Attendance.session_id).where(
        CohortSession.cohort_id == cohort_id)
    if member_ids is not None:
        stmt = stmt.where(Attendance.member_id.in_(member_ids))
    found: dict[int, dict[int, str]] = {}
    for member_id, session_id, status in db.session.execute(stmt):
        found.setdefault(member_id, {})[session_id] = status
    return found


def load(cohort: Cohort, *, statuses=("active",), language: str | None = None,
         now: datetime | None = None) -> Roster:
    now = now or utcnow()
    course = course_of(cohort)
    people = members(cohort.id, statuses)
    sessions = sessions_of(cohort.id)
    held_ids = attendance.held(((s.id, s.starts_at) for s in sessions), now)
    marks = marks_of(cohort.id)
    user_ids = [m.user_id for m in people if m.user_id]
    enrolments = {e.user_id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.user_id.in_(user_ids),
                                Enrolment.course_slug == cohort.course_slug)
        .options(selectinload(Enrolment.progress)))} if user_ids else {}
    enrolment_ids = [e.id for e in enrolments.values()]
    passed = passed_quizzes(enrolment_ids) if enrolment_ids else {}
    certificates = {c.current_for: c for c in db.session.scalars(
        select(Certificate).where(Certificate.current_for.in_(enrolment_ids)))
    } if enrolment_ids else {}
    rows = []
    for member in people:
        member_marks = marks.get(member.id, {})
        rate = attendance.learner_rate(held_ids, member_marks)
        enrolment = enrolments.get(member.user_id) if member.user_id else None
        status = (progress.status(course, enrolment.done_keys, passed[enrolment.id])
                  if enrolment else None)
        rows.append(LearnerRow(
            member=member, marks=member_marks, rate=rate, enrolment=enrolment, status=status,
            certificate=certificates.get(enrolment.id) if enrolment else None,
            reasons=eligibility_reasons(course, status, rate, cohort.min_attendance,
                                        completed=bool(enrolment and enrolment.completed_at),
                                        language=language)))
    active_ids = [r.member.id for r in rows if r.member.status == "active"]
    session_rates = {}
    for session in sessions:
        if session.id in held_ids:
            session_rates[session.id] = attendance.session_rate(
                active_ids, {mid: marks.get(mid, {}).get(session.id) for mid in active_ids})
    return Roster(cohort, course, sessions, held_ids, rows, session_rates)


@dataclass
class CohortPage:
    """What the cohort page shows: the same page for learners (with their own
    attendance and progress) and trainers (without)."""

    access: object
    course: Course | None
    sessions: list[CohortSession]
    trainers: str
    announcements: list
    materials: list
    now: datetime
    language: str
    marks: dict[int, str] = field(default_factory=dict)
    rate: attendance.Rate | None = None
    enrolment: Enrolment | None = None
    status: progress.Status | None = None
    certificate: Certificate | None = None
    pretest: object = None          # pretest.PretestState, for a member of a cohort asking one
    survey: object = None           # feedback.SurveyState, for a member

    @property
    def edition(self):
        return self.course.edition(self.language) if self.course else None


def cohort_page(user, cohort_id: int, language: str) -> CohortPage:
    access = load_cohort(user, cohort_id)
    cohort = access.cohort
    now = utcnow()
    view = CohortPage(access=access, course=catalogue().get(cohort.course_slug),
                      sessions=sessions_of(cohort.id), trainers=trainer_names(cohort),
                      announcements=content.announcements(cohort.id),
                      materials=content.materials(cohort.id), now=now, language=language)
    if access.is_member:
        view.marks = marks_of(cohort.id, [access.member.id]).get(access.member.id, {})
        view.rate = attendance.learner_rate(
            attendance.held(((s.id, s.starts_at) for s in view.sessions), now), view.marks)
        view.enrolment = get_enrolment(user, cohort.course_slug)
        if view.enrolment is not None and view.course is not None:
            view.status = learner_status(view.enrolment, view.course)
            view.certificate = current_for_enrolment(view.enrolment.id)
            view.pretest = pretest.state_for(cohort, view.course, view.enrolment.id, language)
        view.survey = feedback.survey_state(
            cohort, access.member.id, bool(view.enrolment and view.enrolment.completed_at))
    return view
