"""Cohort dashboard figures for `make bench` (run by bench/run.py in its own instance,
like bench/certificates.py): ``python -m bench.dashboard``.

Builds a 300-learner cohort on the biggest real course (the most lessons) with
lesson progress, pre-tests and post-tests with every answer, knowledge checks,
attendance and survey answers, then renders the trainer dashboard through the
test client, signed in as the cohort's trainer.

Prints one JSON object: dashboard_queries_300 (SQL statements for one render)
and dashboard_ms_300 (median render time in milliseconds), plus the course's
lesson count for context.

``build_cohort`` is also used by tests/integration/test_cohorts_dashboard_queries.py.
"""

import json
import random
import secrets
import statistics
import time
from datetime import timedelta

from sqlalchemy import event, insert, select

from app.auth.models import User
from app.cohorts.models import (
    Attendance,
    Cohort,
    CohortFeedback,
    CohortMember,
    CohortSession,
    CohortTrainer,
)
from app.core.db import utcnow
from app.courses.models import Enrolment, LessonProgress
from app.extensions import db
from app.quizzes.models import AttemptAnswer, QuizAttempt

LEARNERS = 300
RUNS = 15
PASSWORD = "bench-password-not-used"  # noqa: S105  (a throw-away bench account)
COUNTRIES = ("SN", "GH", "KE", "MA", "NG", "ET", "ZA", "RW", "ML", "DZ")


def build_cohort(trainer_id: int, course, learners: int, *, prefix: str = "bulk",
                 seed: int = 7) -> int:
    """A cohort of ``learners`` active members in bulk inserts (no password hashing,
    no per-row flush); returns its id. Commits."""
    rng = random.Random(seed)
    now = utcnow()
    edition = course.default
    cohort = Cohort(course_slug=course.slug, name=f"Bench workshop {prefix}",
                    starts_on=(now - timedelta(days=20)).date(),
                    ends_on=(now + timedelta(days=5)).date(), mode="blended",
                    timezone="UTC", capacity=max(30, learners), min_attendance=75,
                    join_code=secrets.token_hex(4).upper()[:8], pretest_quiz="final"
                    if edition.final is not None else None, created_by_id=trainer_id)
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer_id, role="lead"))
    sessions = [CohortSession(cohort_id=cohort.id, topic=f"Session {i + 1}",
                              starts_at=now + timedelta(days=7 * i - 14),
                              ends_at=now + timedelta(days=7 * i - 14, hours=3))
                for i in range(4)]
    db.session.add_all(sessions)
    db.session.flush()
    db.session.execute(insert(User), [
        {"email": f"{prefix}{i}@bench.example.org", "full_name": f"Learner {prefix} {i:03d}",
         "password_hash": "!", "role": "learner", "locale": "en",
         "country": COUNTRIES[i % len(COUNTRIES)], "organisation": f"Office {i % 12}"}
        for i in range(learners)])
    users = db.session.execute(select(User.id, User.email).where(
        User.email.like(f"{prefix}%@bench.example.org")).order_by(User.id)).all()
    db.session.execute(insert(CohortMember), [
        {"cohort_id": cohort.id, "user_id": uid, "email": email, "status": "active",
         "source": "code", "joined_at": now - timedelta(days=19),
         "country": COUNTRIES[i % len(COUNTRIES)]}
        for i, (uid, email) in enumerate(users)])
    db.session.execute(insert(Enrolment), [
        {"user_id": uid, "course_slug": course.slug, "enrolled_at": now - timedelta(days=19),
         "last_activity_at": now - timedelta(days=rng.randint(0, 12))}
        for uid, _email in users])
    enrolments = [e for (e,) in db.session.execute(
        select(Enrolment.id).join(User, User.id == Enrolment.user_id)
        .where(User.email.like(f"{prefix}%@bench.example.org")).order_by(Enrolment.id))]
    keys = list(course.lesson_keys)
    db.session.execute(insert(LessonProgress), [
        {"enrolment_id": eid, "lesson_key": key, "done_at": now - timedelta(days=3)}
        for i, eid in enumerate(enrolments) for key in keys[:i % (len(keys) + 1)]] or [
        {"enrolment_id": enrolments[0], "lesson_key": keys[0], "done_at": now}])
    attempts, answers = [], []

    def attempt(eid, quiz, ability, *, pretest=False, attempt_no=1):
        credits = {q.id: 1.0 if rng.random() < ability else 0.0 for q in quiz.questions}
        score = round(100 * sum(credits.values()) / len(credits), 1)
        token = secrets.token_urlsafe(12)
        attempts.append({"enrolment_id": eid, "course_slug": course.slug,
                         "quiz_slug": quiz.slug, "content_hash": quiz.content_hash,
                         "language": "en", "token": token,
                         "attempt_no": None if pretest else attempt_no,
                         "is_pretest": pretest, "started_at": now, "submitted_at": now,
                         "score": score, "passed": not pretest and score >= quiz.pass_mark})
        answers.append((token, [(q.id, i, q.objective, credits[q.id])
                                for i, q in enumerate(quiz.questions)]))

    for i, eid in enumerate(enrolments):
        ability = 0.2 + 0.6 * rng.random()
        done = set(keys[:i % (len(keys) + 1)])
        if edition.final is not None:
            attempt(eid, edition.final, ability * 0.6, pretest=True)
        for n, module in enumerate(edition.modules):
            if module.quiz is None:
                continue
            if all(lesson.key in done for lesson in module.lessons):
                attempt(eid, module.quiz, min(1.0, ability + 0.3))
            elif n == 0 and i % 7 == 3:          # stuck: failed the first check twice
                attempt(eid, module.quiz, 0.0, attempt_no=1)
                attempt(eid, module.quiz, 0.0, attempt_no=2)
        if edition.final is not None and i % 2 == 0:
            attempt(eid, edition.final, min(1.0, ability + 0.25))
    unique = attempts
    db.session.execute(insert(QuizAttempt), unique)
    ids = dict(db.session.execute(select(QuizAttempt.token, QuizAttempt.id).where(
        QuizAttempt.token.in_([r["token"] for r in unique]))).all())
    db.session.execute(insert(AttemptAnswer), [
        {"attempt_id": ids[token], "question_id": qid, "position": pos, "objective": obj,
         "credit": credit, "response": None}
        for token, rows in answers if token in ids for qid, pos, obj, credit in rows])
    members = [m for (m,) in db.session.execute(select(CohortMember.id).where(
        CohortMember.cohort_id == cohort.id).order_by(CohortMember.id))]
    db.session.execute(insert(Attendance), [
        {"session_id": s.id, "member_id": mid,
         "status": ("present", "present", "absent", "excused")[(mid + s.id) % 4],
         "method": "trainer", "marked_at": now}
        for s in sessions[:2] for mid in members])
    db.session.execute(insert(CohortFeedback), [
        {"cohort_id": cohort.id, "member_id": mid, "relevance": 3 + mid % 3,
         "content": 2 + mid % 4, "trainer": 4 + mid % 2, "pace": 1 + mid % 5,
         "apply": 3 + mid % 3, "comment": f"Comment {mid}" if mid % 4 == 0 else None,
         "created_at": now, "updated_at": now}
        for mid in members[::3]])
    db.session.commit()
    return cohort.id


def biggest_course(catalogue):
    return max(catalogue, key=lambda c: (len(c.lesson_keys), c.slug))


def main() -> dict:
    from app import create_app
    from app.auth.services import create_user
    from app.courses.catalogue import catalogue

    app = create_app()
    app.config.update(PASSWORD_HASH_METHOD="scrypt:1024:8:1",  # noqa: S106  (a method name)
                      WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    with app.app_context():
        course = biggest_course(catalogue())
        trainer = create_user(email=f"bench-trainer-{secrets.token_hex(3)}@bench.example.org",
                              full_name="Bench Trainer", password=PASSWORD, role="trainer",
                              check_password=False)
        db.session.commit()
        trainer_id, trainer_email = trainer.id, trainer.email
        cohort_id = build_cohort(trainer_id, course, LEARNERS,
                                 prefix=f"b{secrets.token_hex(3)}")
        lessons = len(course.lesson_keys)
    client = app.test_client()
    response = client.post("/auth/login", data={"email": trainer_email, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError("could not sign in the bench trainer")
    url = f"/cohorts/{cohort_id}/dashboard"
    assert client.get(url).status_code == 200            # warm-up (templates, catalogue)
    statements = []
    with app.app_context():
        engine = db.engine

    def count(*_args, **_kwargs):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    if response.status_code != 200 or b"Learner" not in response.data:
        raise RuntimeError(f"dashboard answered {response.status_code}")
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return {"dashboard_queries_300": len(statements),
            "dashboard_ms_300": round(1000 * statistics.median(times), 1),
            "dashboard_lessons_300": lessons}


if __name__ == "__main__":
    print(json.dumps(main()))
