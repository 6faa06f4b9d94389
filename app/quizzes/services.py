"""Taking quizzes: one-time form tokens, attempt limits, grading on the server,
and storing the answer to every question. Services flush; the view commits."""

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, NotFound, ValidationError
from app.courses import services as courses
from app.courses.loader import Course, Quiz
from app.extensions import db
from app.quizzes import grading
from app.quizzes.models import AttemptAnswer, QuizAttempt

TOKEN_MAX_AGE = 24 * 3600

#: Features that ask a learner for a pre-test (the workshop cohorts do): each is a
#: callable (user, course) -> the quiz slugs the learner is asked to take as a
#: pre-test. Without one, nobody is offered a pre-test.
PRETEST_SOURCES: list = []


class AnswersNeeded(ValidationError):
    """The form cannot be graded yet: questions unanswered or unreadable."""

    def __init__(self, missing, problems):
        super().__init__(_l("Please answer every question before submitting."))
        self.missing = set(missing)
        self.problems = problems


@dataclass(frozen=True)
class QuizForm:
    token: str
    order: dict[str, list[str]]      # question id -> option ids in display order


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="quiz-attempt")


def start(user, course: Course, quiz: Quiz, *, pretest: bool = False) -> QuizForm:
    """A fresh form: a signed one-time token and, when the quiz shuffles, an
    option order derived from it (so a reload of the same form keeps its order)."""
    nonce = secrets.token_urlsafe(16)
    token = _serializer().dumps({"u": user.id, "c": course.slug, "q": quiz.slug, "n": nonce,
                                 "p": pretest, "t": utcnow().timestamp()})
    return QuizForm(token, option_order(quiz, nonce))


def option_order(quiz: Quiz, seed: str) -> dict[str, list[str]]:
    rng = random.Random(seed)
    order = {}
    for q in quiz.questions:
        ids = [o.id for o in q.options]
        if quiz.shuffle:
            rng.shuffle(ids)
        order[q.id] = ids
    return order


def read_token(user, course: Course, quiz: Quiz, token: str) -> dict:
    try:
        data = _serializer().loads(token or "", max_age=TOKEN_MAX_AGE)
    except SignatureExpired as exc:
        raise ValidationError(_l("This quiz form has expired. Please start it again.")) from exc
    except BadSignature as exc:
        raise ValidationError(_l("This quiz form is not valid. Please start it again.")) from exc
    if (data.get("u"), data.get("c"), data.get("q")) != (user.id, course.slug, quiz.slug):
        raise ValidationError(_l("This quiz form is not valid. Please start it again."))
    return data


def counted_attempts(enrolment_id: int, quiz_slug: str) -> int:
    return db.session.scalar(select(func.count()).select_from(QuizAttempt).where(
        QuizAttempt.enrolment_id == enrolment_id, QuizAttempt.quiz_slug == quiz_slug,
        QuizAttempt.is_pretest.is_(False))) or 0


def attempts_left(enrolment_id: int, quiz: Quiz) -> int | None:
    if quiz.max_attempts is None:
        return None
    return max(0, quiz.max_attempts - counted_attempts(enrolment_id, quiz.slug))


def pretest_attempt(enrolment_id: int, quiz_slug: str) -> QuizAttempt | None:
    """The learner's pre-test at this quiz (the first, if there were ever two)."""
    return db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.enrolment_id == enrolment_id, QuizAttempt.quiz_slug == quiz_slug,
        QuizAttempt.is_pretest.is_(True)).order_by(QuizAttempt.id).limit(1))


def pretest_offered(user, course: Course, quiz: Quiz) -> bool:
    return any(quiz.slug in source(user, course) for source in PRETEST_SOURCES)


def pretest_open(user, course: Course, quiz: Quiz, enrolment_id: int) -> bool:
    """The learner is asked for this pre-test and can take it now: not taken yet,
    and no counted attempt at the quiz yet (a pre-test after the quiz measures
    nothing)."""
    return (pretest_offered(user, course, quiz)
            and pretest_attempt(enrolment_id, quiz.slug) is None
            and counted_attempts(enrolment_id, quiz.slug) == 0)


def attempt_for_token(token_nonce: str) -> QuizAttempt | None:
    return db.session.scalar(select(QuizAttempt).where(QuizAttempt.token == token_nonce))


def submit(user, course: Course, quiz: Quiz, token: str,
           form: dict[str, list[str]]) -> tuple[QuizAttempt, bool]:
    """Grade and store an attempt. Returns (attempt, created): a form submitted
    twice returns the attempt the first submission stored."""
    data = read_token(user, course, quiz, token)
    nonce, pretest = data["n"], bool(data.get("p"))
    existing = attempt_for_token(nonce)
    if existing is not None:
        return existing, False
    enrolment = courses.require_enrolment(user, course)
    if pretest and counted_attempts(enrolment.id, quiz.slug):
        raise ValidationError(_l("The pre-test must be taken before the course quizzes."))
    attempt_no = None
    if not pretest:
        used = counted_attempts(enrolment.id, quiz.slug)
        if quiz.max_attempts is not None and used >= quiz.max_attempts:
            raise Forbidden(_l("You have used all %(n)d attempts for this quiz.",
                               n=quiz.max_attempts))
        attempt_no = used + 1
    read = grading.read_responses(quiz.questions, form)
    if read.missing or read.problems:
        raise AnswersNeeded(read.missing, read.problems)
    result = grading.grade(quiz.questions, read.responses, quiz.pass_mark)
    attempt = QuizAttempt(
        enrolment_id=enrolment.id, course_slug=course.slug, quiz_slug=quiz.slug,
        content_hash=quiz.content_hash, language=quiz.language, token=nonce,
        attempt_no=attempt_no, is_pretest=pretest,
        started_at=datetime.fromtimestamp(data["t"], UTC), score=result.score,
        passed=result.passed and not pretest)
    attempt.answers = [
        AttemptAnswer(question_id=item.question_id, position=i, response=item.response,
                      credit=item.credit, objective=quiz.questions[i].objective)
        for i, item in enumerate(result.items)]
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError as exc:
        again = attempt_for_token(nonce)
        if again is not None:
            return again, False
        raise Conflict(_l("Another attempt at this quiz was submitted at the same moment. "
                          "Reload the quiz page.")) from exc
    enrolment.last_activity_at = utcnow()
    if attempt.passed:
        courses.check_completion(enrolment, course)
    return attempt, True


def get_attempt(user, course: Course, quiz: Quiz, attempt_id: int) -> QuizAttempt:
    """An attempt, for its own learner only."""
    attempt = db.session.scalar(
        select(QuizAttempt).where(QuizAttempt.id == attempt_id)
        .options(selectinload(QuizAttempt.answers)))
    if attempt is None or attempt.course_slug != course.slug or attempt.quiz_slug != quiz.slug:
        raise NotFound()
    enrolment = courses.get_enrolment(user, course.slug, with_progress=False)
    if enrolment is None or enrolment.id != attempt.enrolment_id:
        raise NotFound()      # not "forbidden": attempt ids are not to be probed
    return attempt


def history(enrolment_id: int, quiz_slug: str) -> list[QuizAttempt]:
    return list(db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.enrolment_id == enrolment_id, QuizAttempt.quiz_slug == quiz_slug)
        .order_by(QuizAttempt.submitted_at.desc())))
