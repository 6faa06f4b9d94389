"""The cohort certificate rule, in words: a pure function over a course (from the
in-memory catalogue), the learner's progress status and attendance rate.

    eligible = course completed AND attendance rate >= the cohort's minimum

``course_reasons`` says what is missing from the course ("module ‘Data
sources’ not passed"); ``attendance_reason`` what is missing in attendance
("attendance 60% < 75%"). The certificate rule registered with the
certificates feature (app/cohorts/certificates.py) and the cohort's
certificates page both use them, so they never disagree.
"""

from flask_babel import lazy_gettext as _l

from app.cohorts.attendance import Rate, meets_minimum
from app.courses.loader import Course
from app.courses.progress import Status

#: Up to this many missing modules are named; beyond, they are counted.
MAX_NAMED = 3


def course_reasons(course: Course, status: Status | None, *, completed: bool,
                   language: str | None = None) -> list[str]:
    """Why the course does not count as completed (empty when it does)."""
    if completed:
        return []
    if status is None or (status.lessons_done == 0 and status.quizzes_passed == 0):
        return [str(_l("has not started the course"))]
    edition = course.edition(language)
    missing_lessons, missing_quizzes = set(status.missing_lessons), set(status.missing_quizzes)
    modules = []
    for module in edition.modules:
        lesson_missing = any(lesson.key in missing_lessons for lesson in module.lessons)
        quiz_missing = module.quiz is not None and module.quiz.slug in missing_quizzes
        if lesson_missing or quiz_missing:
            modules.append(module.title)
    reasons = []
    if len(modules) == 1:
        reasons.append(str(_l("module ‘%(title)s’ not passed", title=modules[0])))
    elif 1 < len(modules) <= MAX_NAMED:
        reasons.append(str(_l("modules not passed: %(titles)s",
                              titles=", ".join(f"‘{t}’" for t in modules))))
    elif modules:
        reasons.append(str(_l("%(n)d of %(total)d modules not passed", n=len(modules),
                              total=len(edition.modules))))
    if edition.final is not None and edition.final.slug in missing_quizzes:
        reasons.append(str(_l("final exam not passed")))
    if not reasons:
        # Every step is done but completion was not recorded (e.g. content changed).
        reasons.append(str(_l("the course is not completed")))
    return reasons


def attendance_reason(rate: Rate, minimum: int) -> str | None:
    """Why attendance is not enough (None when it is)."""
    if meets_minimum(rate, minimum):
        return None
    if rate.percent is None:
        return str(_l("no attendance recorded yet (%(min)d%% needed)", min=minimum))
    return str(_l("attendance %(rate)d%% < %(min)d%%", rate=rate.percent, min=minimum))


def reasons(course: Course, status: Status | None, rate: Rate, minimum: int, *,
            completed: bool, language: str | None = None) -> list[str]:
    """Every reason the learner cannot get the cohort's certificate yet."""
    found = course_reasons(course, status, completed=completed, language=language)
    attendance = attendance_reason(rate, minimum)
    return found + ([attendance] if attendance else [])
