"""Pre-tests asked by workshops.

A cohort may ask its learners for a pre-test (``Cohort.pretest_quiz``: the
course's final exam, or one module's knowledge check). The learner takes the
same quiz in pre-test mode (app/quizzes: ``?pretest=1``) once, before any
counted attempt at it; it never counts towards attempts or completion, and its
result shows the score without the correct answers.

Reading the course is not blocked: the pre-test is offered first on the
cohort page and on the quiz's own page, but a learner who arrives late or
offline can still read the lessons. Once they submit a counted attempt at the
quiz the pre-test is closed (it would measure nothing).

The post-test is the learner's *first counted attempt at the same quiz*: the
final exam when the pre-test is the final exam. The first attempt (not the best
of several) is used because later attempts come after the result page has
shown the correct answers.
"""

from dataclasses import dataclass

from sqlalchemy import select

from app.cohorts.models import Cohort, CohortMember
from app.courses.loader import Course, Quiz
from app.extensions import db
from app.quizzes import services as quizzes
from app.quizzes.models import QuizAttempt


def quiz_of(course: Course | None, slug: str | None, language: str | None = None) -> Quiz | None:
    """The quiz a cohort's pre-test setting names, or None."""
    if course is None or not slug:
        return None
    return course.edition(language).quiz(slug)


def asked_pretests(user, course: Course) -> set[str]:
    """Quiz slugs the learner's active cohorts on this course ask as a pre-test
    (registered in app.quizzes.services.PRETEST_SOURCES). One query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(
        select(Cohort.pretest_quiz).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id, CohortMember.status == "active",
               Cohort.course_slug == course.slug, Cohort.pretest_quiz.is_not(None))))


def register() -> None:
    if asked_pretests not in quizzes.PRETEST_SOURCES:
        quizzes.PRETEST_SOURCES.append(asked_pretests)


@dataclass(frozen=True)
class PretestState:
    """What the cohort page shows a learner about the pre-test."""

    quiz: Quiz
    attempt: QuizAttempt | None       # the pre-test taken, if any
    closed: bool                      # not taken, and a counted attempt exists

    @property
    def open(self) -> bool:
        return self.attempt is None and not self.closed


def state_for(cohort: Cohort, course: Course | None, enrolment_id: int | None,
              language: str | None = None) -> PretestState | None:
    quiz = quiz_of(course, cohort.pretest_quiz, language)
    if quiz is None or enrolment_id is None:
        return None
    attempt = quizzes.pretest_attempt(enrolment_id, quiz.slug)
    closed = attempt is None and quizzes.counted_attempts(enrolment_id, quiz.slug) > 0
    return PretestState(quiz, attempt, closed)
