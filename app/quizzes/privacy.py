"""Quiz attempts in the personal-data registry."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from app.core import privacy
from app.courses.models import Enrolment
from app.extensions import db
from app.quizzes.models import QuizAttempt


def _mine(user):
    return select(Enrolment.id).where(Enrolment.user_id == user.id)


def export_attempts(user) -> list[dict]:
    attempts = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.enrolment_id.in_(_mine(user)))
        .options(selectinload(QuizAttempt.answers)).order_by(QuizAttempt.submitted_at))
    return [{
        "course": a.course_slug, "quiz": a.quiz_slug, "submitted_at": a.submitted_at.isoformat(),
        "score": a.score, "passed": a.passed, "pre_test": a.is_pretest,
        "answers": [{"question": x.question_id, "response": x.response, "credit": x.credit}
                    for x in a.answers],
    } for a in attempts]


def erase_attempts(user) -> None:
    db.session.execute(delete(QuizAttempt).where(QuizAttempt.enrolment_id.in_(_mine(user))))


privacy.register(
    "quiz_attempts",
    description=_l("Your quiz attempts: the answer you gave to each question, scores and dates."),
    export=export_attempts, erase=erase_attempts, order=200)
