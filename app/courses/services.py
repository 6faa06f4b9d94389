"""Enrolment, lesson progress and completion. Services flush; the view commits."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.core.db import utcnow
from app.core.errors import NotFound, ValidationError
from app.courses import progress
from app.courses.loader import Course
from app.courses.models import CourseVersion, Enrolment, LessonProgress
from app.extensions import db
from app.quizzes.models import QuizAttempt

# Opening the same lesson again within this time does not rewrite the resume pointer.
_TOUCH_EVERY = timedelta(minutes=5)


def record_version(course: Course) -> bool:
    """Record an imported course version; False if it was already recorded."""
    exists = db.session.scalar(select(CourseVersion.id).where(
        CourseVersion.course_slug == course.slug,
        CourseVersion.content_hash == course.content_hash))
    if exists:
        return False
    db.session.add(CourseVersion(
        course_slug=course.slug, content_hash=course.content_hash,
        version_label=course.version or None, title=course.default.title[:300],
        lessons=len(course.lesson_keys),
        questions=sum(len(q.questions) for q in course.default.quizzes)))
    db.session.flush()
    return True


def get_enrolment(user, course_slug: str, *, with_progress: bool = True) -> Enrolment | None:
    stmt = select(Enrolment).where(Enrolment.user_id == user.id,
                                   Enrolment.course_slug == course_slug)
    if with_progress:
        stmt = stmt.options(joinedload(Enrolment.progress))
    return db.session.execute(stmt).unique().scalar_one_or_none()


def lesson_state(user, course_slug: str, lesson_key: str) -> tuple[Enrolment | None, bool]:
    """The enrolment and whether this lesson is done, in one light query (the
    lesson page is the hottest page of the platform)."""
    done = select(LessonProgress.id).where(LessonProgress.enrolment_id == Enrolment.id,
                                           LessonProgress.lesson_key == lesson_key).exists()
    row = db.session.execute(select(Enrolment, done).where(
        Enrolment.user_id == user.id, Enrolment.course_slug == course_slug)).first()
    return (row[0], bool(row[1])) if row else (None, False)


def require_enrolment(user, course: Course) -> Enrolment:
    enrolment = get_enrolment(user, course.slug)
    if enrolment is None:
        raise ValidationError(_l("Enrol in this course first."))
    return enrolment


def enrol(user, course: Course) -> Enrolment:
    """Enrol ``user``; enrolling twice (double click, two tabs) returns the same row."""
    existing = get_enrolment(user, course.slug, with_progress=False)
    if existing:
        return existing
    try:
        with db.session.begin_nested():
            enrolment = Enrolment(user_id=user.id, course_slug=course.slug,
                                  last_activity_at=utcnow())
            db.session.add(enrolment)
    except IntegrityError:
        return get_enrolment(user, course.slug, with_progress=False)
    return enrolment


def open_lesson(enrolment: Enrolment, lesson_key: str) -> bool:
    """Remember the lesson for "resume where you left off" (at most one write
    per lesson every few minutes, so reading stays a read). True if changed."""
    now = utcnow()
    if enrolment.last_lesson_key != lesson_key or not enrolment.last_activity_at or (
            now - enrolment.last_activity_at > _TOUCH_EVERY):
        enrolment.last_lesson_key = lesson_key
        enrolment.last_activity_at = now
        return True
    return False


def mark_done(user, course: Course, lesson_key: str) -> tuple[Enrolment, bool]:
    """Mark a lesson as done; returns (enrolment, True if this completed the course)."""
    if lesson_key not in course.lesson_keys:
        raise NotFound()
    enrolment = require_enrolment(user, course)
    if lesson_key not in enrolment.done_keys:
        try:
            with db.session.begin_nested():
                db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_key=lesson_key))
        except IntegrityError:
            pass    # marked done by a parallel request: the same result
        db.session.expire(enrolment, ["progress"])
    enrolment.last_lesson_key = lesson_key
    enrolment.last_activity_at = utcnow()
    return enrolment, check_completion(enrolment, course)


def passed_quizzes(enrolment_ids: list[int]) -> dict[int, set[str]]:
    """Quizzes passed at least once (pre-tests excluded), per enrolment, in one query."""
    rows = db.session.execute(
        select(QuizAttempt.enrolment_id, QuizAttempt.quiz_slug).where(
            QuizAttempt.enrolment_id.in_(enrolment_ids), QuizAttempt.passed.is_(True),
            QuizAttempt.is_pretest.is_(False)).distinct())
    result: dict[int, set[str]] = {i: set() for i in enrolment_ids}
    for enrolment_id, slug in rows:
        result[enrolment_id].add(slug)
    return result


def best_final_score(enrolment_id: int) -> float | None:
    return db.session.scalar(select(func.max(QuizAttempt.score)).where(
        QuizAttempt.enrolment_id == enrolment_id, QuizAttempt.quiz_slug == "final",
        QuizAttempt.is_pretest.is_(False)))


def learner_status(enrolment: Enrolment, course: Course) -> progress.Status:
    return progress.status(course, enrolment.done_keys,
                           passed_quizzes([enrolment.id])[enrolment.id])


def check_completion(enrolment: Enrolment, course: Course) -> bool:
    """The single completion service: all lessons done, every knowledge check
    passed and the final exam at or above the pass mark -> completed, with a
    timestamp and the final score. Returns True when it completes now."""
    if enrolment.completed_at is not None:
        return False
    if not learner_status(enrolment, course).complete:
        return False
    enrolment.completed_at = utcnow()
    enrolment.final_score = best_final_score(enrolment.id)
    enrolment.completed_version = course.content_hash
    db.session.flush()
    _on_completed(enrolment, course)
    return True


def _on_completed(enrolment: Enrolment, course: Course) -> None:
    """What completion sets off: the certificate (if the learner is eligible)."""
    from app.certificates import services as certificates

    certificates.issue_after_completion(enrolment, course)


def my_learning(user, catalogue) -> list[dict]:
    """The learner's enrolments with progress, most recent activity first (2 queries)."""
    enrolments = db.session.execute(
        select(Enrolment).where(Enrolment.user_id == user.id)
        .options(joinedload(Enrolment.progress))
        .order_by(Enrolment.last_activity_at.desc().nulls_last(), Enrolment.id.desc())
    ).unique().scalars().all()
    passed = passed_quizzes([e.id for e in enrolments]) if enrolments else {}
    rows = []
    for enrolment in enrolments:
        course = catalogue.get(enrolment.course_slug)
        if course is None:      # a course withdrawn from the catalogue
            continue
        rows.append({"course": course, "enrolment": enrolment,
                     "status": progress.status(course, enrolment.done_keys,
                                               passed[enrolment.id])})
    return rows


def enrolled_slugs(user) -> set[str]:
    return set(db.session.scalars(select(Enrolment.course_slug).where(
        Enrolment.user_id == user.id)))
