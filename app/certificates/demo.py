"""Demo certificates: every completed demo enrolment has its certificate."""

from sqlalchemy import select

from app.certificates import services
from app.courses.catalogue import catalogue
from app.courses.models import Enrolment
from app.extensions import db


def seed(users) -> None:
    completed = db.session.scalars(select(Enrolment).where(
        Enrolment.user_id == users["learner"].id, Enrolment.completed_at.is_not(None)))
    for enrolment in completed:
        course = catalogue().get(enrolment.course_slug)
        if course is not None:
            services.issue(enrolment, course)
