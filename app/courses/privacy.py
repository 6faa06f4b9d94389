"""Enrolments and lesson progress in the personal-data registry."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from app.core import privacy
from app.courses.models import Enrolment
from app.extensions import db


def _iso(value):
    return value.isoformat() if value else None


def export_enrolments(user) -> list[dict]:
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id)
                                    .options(selectinload(Enrolment.progress)))
    return [{
        "course": e.course_slug, "enrolled_at": _iso(e.enrolled_at),
        "completed_at": _iso(e.completed_at), "final_score": e.final_score,
        "last_lesson": e.last_lesson_key, "last_activity_at": _iso(e.last_activity_at),
        "lessons_done": [{"lesson": p.lesson_key, "at": _iso(p.done_at)} for p in e.progress],
    } for e in enrolments]


def erase_enrolments(user) -> None:
    db.session.execute(delete(Enrolment).where(Enrolment.user_id == user.id))


privacy.register(
    "enrolments",
    description=_l("Your courses: when you enrolled, the lessons you marked as done, "
                   "where you left off, and when you completed a course."),
    export=export_enrolments, erase=erase_enrolments, order=300)
