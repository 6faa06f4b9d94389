"""Demo learning data: the demo learner has a course in progress."""

from app.courses import services
from app.courses.catalogue import catalogue

DEMO_COURSE = "migration-statistics"


def seed(users) -> None:
    courses = list(catalogue())
    if not courses:
        return
    course = catalogue().get(DEMO_COURSE) or courses[0]
    learner = users["learner"]
    enrolment = services.enrol(learner, course)
    for key in course.lesson_keys[:2]:
        services.mark_done(learner, course, key)
    if enrolment.last_lesson_key is None:
        enrolment.last_lesson_key = course.lesson_keys[min(2, len(course.lesson_keys) - 1)]
