"""The trainer dashboard of a cohort: who learned what, who is stuck, which
questions do not work, and what the learners thought.

Everything is loaded in a fixed number of SQL statements whatever the number
of learners (test_cohorts_dashboard_queries.py holds it to at most 20 and the
same for 10 and 300 learners):

    roster.load      members with accounts, sessions, marks, enrolments,
                     lesson progress, passed quizzes, certificates
    _attempts        every attempt of the members at the course's quizzes
    _answers         the answers of their pre-tests and first counted attempts
    feedback.rows_of the survey answers of the cohort

and then computed by the pure functions of gain.py, items.py, risk.py and
aggregates.py. The workshop report (report.py) and the exports (exports.py)
use the same ``load``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import or_, select

from app.cohorts import aggregates, gain, items, risk, roster
from app.cohorts import feedback as survey
from app.cohorts.access import load_cohort
from app.cohorts.models import Cohort
from app.cohorts.pretest import quiz_of
from app.core.db import utcnow
from app.courses import progress
from app.courses.loader import Course, Edition, Quiz
from app.extensions import db
from app.quizzes.models import AttemptAnswer, QuizAttempt

DONE, IN_PROGRESS, NOT_STARTED = "done", "in_progress", "not_started"


@dataclass(frozen=True)
class Attempt:
    id: int
    enrolment_id: int
    quiz_slug: str
    attempt_no: int | None
    is_pretest: bool
    score: float
    passed: bool
    submitted_at: datetime


@dataclass(frozen=True)
class QuizScore:
    """A learner's counted attempts at one quiz."""

    first: float | None = None        # the first counted attempt (the post-test)
    best: float | None = None
    attempts: int = 0
    passed: bool = False


@dataclass
class LearnerView:
    row: roster.LearnerRow
    modules: list[str]                          # DONE / IN_PROGRESS / NOT_STARTED per module
    scores: dict[str, QuizScore]                # quiz slug -> counted attempts
    pre: float | None
    post: float | None
    pre_objectives: dict[str, float] | None
    post_objectives: dict[str, float] | None
    last_activity: datetime | None
    risks: tuple[str, ...]
    stuck: list[str]                            # quizzes failed twice without a pass

    @property
    def member(self):
        return self.row.member

    @property
    def name(self) -> str:
        return self.row.member.display_name

    @property
    def gain(self) -> gain.LearnerGain:
        return gain.LearnerGain(self.pre, self.post)

    @property
    def percent(self) -> int:
        return self.row.status.percent if self.row.status else 0


@dataclass(frozen=True)
class ObjectiveGain:
    id: str
    text: str
    figures: gain.CohortGain


@dataclass(frozen=True)
class QuizItems:
    quiz: Quiz
    attempts: int                               # first counted attempts analysed
    rows: list[tuple[object, items.ItemStats]]  # (Question, stats), in quiz order

    @property
    def flagged(self) -> int:
        return sum(1 for _q, s in self.rows
                   if items.NOBODY_CORRECT in s.flags or items.STRONG_MISS in s.flags)


@dataclass
class Dashboard:
    cohort: Cohort
    course: Course
    edition: Edition
    roster: roster.Roster
    learners: list[LearnerView]
    pretest_quiz: Quiz | None
    gain: gain.CohortGain
    objectives: list[ObjectiveGain]
    items: list[QuizItems]
    feedback: aggregates.FeedbackSummary
    at_risk_days: int
    now: datetime
    access: object = None

    @property
    def active(self) -> int:
        return len(self.learners)

    @property
    def completed(self) -> int:
        return sum(1 for v in self.learners if v.row.completed)

    @property
    def completion_share(self) -> float | None:
        return self.completed / self.active if self.active else None

    @property
    def certificates_issued(self) -> int:
        return sum(1 for v in self.learners
                   if v.row.certificate is not None and v.row.certificate.revoked_at is None)

    @property
    def at_risk(self) -> list[LearnerView]:
        return [v for v in self.learners if v.risks]

    @property
    def attendance(self):
        return self.roster.overall_rate()

    @property
    def modules(self):
        return self.edition.modules

    def gain_rows(self) -> list[LearnerView]:
        """Learners with at least one of the two scores."""
        return [v for v in self.learners if v.pre is not None or v.post is not None]


# --- loading ---------------------------------------------------------------------------

def _attempts(enrolment_ids: Sequence[int], course_slug: str) -> list[Attempt]:
    if not enrolment_ids:
        return []
    rows = db.session.execute(
        select(QuizAttempt.id, QuizAttempt.enrolment_id, QuizAttempt.quiz_slug,
               QuizAttempt.attempt_no, QuizAttempt.is_pretest, QuizAttempt.score,
               QuizAttempt.passed, QuizAttempt.submitted_at)
        .where(QuizAttempt.enrolment_id.in_(enrolment_ids),
               QuizAttempt.course_slug == course_slug)
        .order_by(QuizAttempt.id))
    return [Attempt(*row) for row in rows]


def _answers(enrolment_ids: Sequence[int], course_slug: str) -> dict[int, list[tuple]]:
    """attempt id -> [(question id, objective, credit)] for pre-tests and first
    counted attempts only (the ones the statistics use)."""
    found: dict[int, list[tuple]] = {}
    if not enrolment_ids:
        return found
    rows = db.session.execute(
        select(AttemptAnswer.attempt_id, AttemptAnswer.question_id, AttemptAnswer.objective,
               AttemptAnswer.credit)
        .join(QuizAttempt, QuizAttempt.id == AttemptAnswer.attempt_id)
        .where(QuizAttempt.enrolment_id.in_(enrolment_ids),
               QuizAttempt.course_slug == course_slug,
               or_(QuizAttempt.attempt_no == 1, QuizAttempt.is_pretest.is_(True))))
    for attempt_id, question_id, objective, credit in rows:
        found.setdefault(attempt_id, []).append((question_id, objective, float(credit)))
    return found


def _scores(attempts: list[Attempt]) -> dict[str, QuizScore]:
    by_quiz: dict[str, list[Attempt]] = {}
    for a in attempts:
        if not a.is_pretest:
            by_quiz.setdefault(a.quiz_slug, []).append(a)
    scores = {}
    for slug, rows in by_quiz.items():
        first = min(rows, key=lambda a: (a.attempt_no or 0, a.id))
        scores[slug] = QuizScore(first=first.score, best=max(a.score for a in rows),
                                 attempts=len(rows), passed=any(a.passed for a in rows))
    return scores


def _latest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def load(cohort: Cohort, *, language: str | None = None, now: datetime | None = None,
         with_items: bool = True) -> Dashboard:
    now = now or utcnow()
    loaded = roster.load(cohort, language=language, now=now)
    course = loaded.course
    edition = course.edition(language)
    days = current_app.config["COHORT_AT_RISK_DAYS"]
    enrolment_ids = [r.enrolment.id for r in loaded.rows if r.enrolment is not None]
    attempts = _attempts(enrolment_ids, course.slug)
    answers = _answers(enrolment_ids, course.slug)
    by_enrolment: dict[int, list[Attempt]] = {}
    for a in attempts:
        by_enrolment.setdefault(a.enrolment_id, []).append(a)
    pretest_quiz = quiz_of(course, cohort.pretest_quiz, language)
    quiz_slugs = {q.slug for q in edition.quizzes}

    learners = []
    first_attempts: dict[str, list[dict[str, float]]] = {slug: [] for slug in quiz_slugs}
    for row in loaded.rows:
        enrolment = row.enrolment
        mine = by_enrolment.get(enrolment.id, []) if enrolment else []
        done = enrolment.done_keys if enrolment else set()
        passed = {a.quiz_slug for a in mine if a.passed and not a.is_pretest}
        modules = [progress.module_state([lesson.key for lesson in m.lessons], done,
                                         m.quiz.slug if m.quiz else None, passed)
                   for m in edition.modules]
        pre = post = pre_obj = post_obj = None
        if pretest_quiz is not None:
            pre_attempt = next((a for a in mine if a.is_pretest
                                and a.quiz_slug == pretest_quiz.slug), None)
            post_attempt = next((a for a in mine if not a.is_pretest and a.attempt_no == 1
                                 and a.quiz_slug == pretest_quiz.slug), None)
            if pre_attempt is not None:
                pre = pre_attempt.score
                pre_obj = gain.objective_scores(
                    (o, c) for _q, o, c in answers.get(pre_attempt.id, []))
            if post_attempt is not None:
                post = post_attempt.score
                post_obj = gain.objective_scores(
                    (o, c) for _q, o, c in answers.get(post_attempt.id, []))
        for a in mine:
            if not a.is_pretest and a.attempt_no == 1 and a.quiz_slug in first_attempts:
                first_attempts[a.quiz_slug].append(
                    {q: c for q, _o, c in answers.get(a.id, [])})
        stuck = risk.failed_twice((a.quiz_slug, a.passed, a.is_pretest) for a in mine)
        last = _latest(enrolment.last_activity_at if enrolment else None,
                       max((a.submitted_at for a in mine), default=None),
                       max((p.done_at for p in enrolment.progress), default=None)
                       if enrolment else None)
        flags = risk.risks(completed=row.completed, last_activity=last,
                           joined_at=row.member.joined_at, now=now, days=days,
                           stuck_quizzes=stuck)
        learners.append(LearnerView(row=row, modules=modules, scores=_scores(mine), pre=pre,
                                    post=post, pre_objectives=pre_obj, post_objectives=post_obj,
                                    last_activity=last, risks=flags, stuck=stuck))

    cohort_gain = gain.cohort_gain([(v.pre, v.post) for v in learners])
    texts = {o.id: o.text for o in edition.objectives}
    per_objective = gain.objective_gains(
        [(v.pre_objectives, v.post_objectives) for v in learners
         if v.pre_objectives is not None or v.post_objectives is not None],
        order=[o.id for o in edition.objectives])
    objectives = [ObjectiveGain(o, texts.get(o, o), figures)
                  for o, figures in per_objective.items()]
    quiz_items = []
    if with_items:
        for quiz in edition.quizzes:
            rows = first_attempts.get(quiz.slug, [])
            stats = items.analyse([q.id for q in quiz.questions], rows)
            quiz_items.append(QuizItems(quiz, len(rows), list(zip(quiz.questions, stats,
                                                                  strict=True))))
    feedback_rows = survey.rows_of([cohort.id])[cohort.id]
    return Dashboard(cohort=cohort, course=course, edition=edition, roster=loaded,
                     learners=learners, pretest_quiz=pretest_quiz, gain=cohort_gain,
                     objectives=objectives, items=quiz_items,
                     feedback=aggregates.feedback_summary(feedback_rows), at_risk_days=days,
                     now=now)


def dashboard(user, cohort_id: int, language: str | None = None) -> Dashboard:
    access = load_cohort(user, cohort_id, run=True)
    view = load(access.cohort, language=language)
    view.access = access
    return view
