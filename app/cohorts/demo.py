"""Demo workshop for `flask --app app seed-demo`: a cohort of the migration
statistics course led by the demo trainer, with twelve demo learners at
different stages (plus the demo learner), one pending invitation, four sessions
(two past with attendance, one under way, one to come) and one learner who
completed the course and has the cohort certificate.

Part 2 (``seed_analytics``): the cohort asks for the final exam as a pre-test;
eleven learners took it, seven took the post-test (their first counted
attempt), with answers chosen so that the item analysis has something to say
(the last question of the exam is missed by everybody, the one before it is
answered right by the weaker learners and wrong by the stronger ones), one
learner scored 100 at the pre-test (g undefined), one scored lower afterwards,
one failed a knowledge check twice, two have been inactive for more than a
week, and seven answered the feedback survey. The demo learner has not taken
the pre-test, so they see it offered on the workshop page.

Idempotent: the cohort is created once; the analytics data are added once
(also to a cohort created by an earlier version of this seed).
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from app.auth.services import create_user, find_by_email
from app.certificates import services as certificates
from app.cohorts import codes
from app.cohorts.models import (
    Attendance,
    Cohort,
    CohortFeedback,
    CohortMember,
    CohortSession,
    CohortTrainer,
)
from app.core.db import utcnow
from app.courses import services as courses
from app.courses.catalogue import catalogue
from app.courses.models import Enrolment, LessonProgress
from app.extensions import db
from app.quizzes import grading
from app.quizzes.demo import correct_response, pass_quiz
from app.quizzes.models import AttemptAnswer, QuizAttempt

COURSE = "migration-statistics"
NAME = "Migration statistics workshop (demo)"
ZONE = "Africa/Dakar"        # UTC+0 all year: demo times read the same everywhere

LEARNERS = [
    # name, organisation, country, attendance at the two past sessions, lessons done
    ("Awa Ndiaye", "Agence nationale de la statistique et de la démographie", "SN",
     ("present", "present"), "all"),
    ("Kwame Mensah", "Ghana Statistical Service", "GH", ("present", "present"), 6),
    ("Fatima Zahra El Idrissi", "Haut-Commissariat au Plan", "MA", ("present", "absent"), 4),
    ("João Pereira", "Instituto Nacional de Estatística", "MZ", ("present", "excused"), 3),
    ("Grace Wanjiru", "Kenya National Bureau of Statistics", "KE", ("absent", "absent"), 1),
    ("Moussa Traoré", "Institut National de la Statistique", "ML", ("present", "present"), 2),
    ("Aisha Bello", "National Population Commission", "NG", ("present", "absent"), 5),
    ("Jean-Baptiste Habimana", "National Institute of Statistics of Rwanda", "RW",
     ("present", "present"), 0),
    ("Mariam Diop", "Ministère de l'Intérieur", "SN", ("excused", "present"), 2),
    ("Samuel Tesfaye", "Ethiopian Statistics Service", "ET", ("absent", "present"), 1),
    ("Nadia Benali", "Office National des Statistiques", "DZ", ("present", "present"), 3),
    ("Thabo Molefe", "Statistics South Africa", "ZA", ("present", None), 0),
]


def _at(day: datetime, hour: int) -> datetime:
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def seed(users) -> None:
    course = catalogue().get(COURSE) or next(iter(catalogue()), None)
    trainer = users.get("trainer")
    if course is None or trainer is None:
        return
    existing = db.session.scalar(select(Cohort).where(Cohort.name == NAME,
                                                      Cohort.course_slug == course.slug))
    if existing is not None:
        seed_analytics(existing, course)
        return
    from app.demo import demo_password

    now = utcnow()
    today = datetime(now.year, now.month, now.day, tzinfo=UTC)
    cohort = Cohort(course_slug=course.slug, name=NAME, starts_on=(today - timedelta(days=14))
                    .date(), ends_on=(today + timedelta(days=7)).date(), mode="blended",
                    venue="Centre de formation, Dakar", meeting_url="https://meet.example.org/mda",
                    timezone=ZONE, capacity=30, min_attendance=75, join_code=codes.new_code(),
                    created_by_id=trainer.id)
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id, role="lead"))
    current_hour = now.replace(minute=0, second=0, microsecond=0)
    sessions = [
        CohortSession(cohort_id=cohort.id, topic="Concepts: stocks, flows, usual residence",
                      starts_at=_at(today - timedelta(days=14), 9),
                      ends_at=_at(today - timedelta(days=14), 12)),
        CohortSession(cohort_id=cohort.id, topic="Data sources: census and surveys",
                      starts_at=_at(today - timedelta(days=7), 9),
                      ends_at=_at(today - timedelta(days=7), 12)),
        CohortSession(cohort_id=cohort.id, topic="Administrative data (under way)",
                      starts_at=current_hour - timedelta(hours=1),
                      ends_at=current_hour + timedelta(hours=2)),
        CohortSession(cohort_id=cohort.id, topic="Putting it together: a national data plan",
                      starts_at=_at(today + timedelta(days=7), 9),
                      ends_at=_at(today + timedelta(days=7), 12), place="Salle 2"),
    ]
    db.session.add_all(sessions)
    db.session.flush()
    people = []
    for i, (name, org, country, marks, lessons) in enumerate(LEARNERS, start=1):
        email = f"learner{i:02d}@demo.example.org"
        user = find_by_email(email) or create_user(
            email=email, full_name=name, password=demo_password("learner"), organisation=org,
            country=country, locale="fr" if country in ("SN", "MA", "ML", "DZ", "RW") else "en",
            verified=True, check_password=False)
        member = CohortMember(cohort_id=cohort.id, user_id=user.id, email=user.email,
                              invited_name=name, organisation=org, country=country,
                              status="active", source="csv", invited_at=now - timedelta(days=20),
                              joined_at=now - timedelta(days=18), invited_by_id=trainer.id)
        db.session.add(member)
        db.session.flush()
        for session, mark in zip(sessions[:2], marks, strict=True):
            if mark:
                db.session.add(Attendance(session_id=session.id, member_id=member.id,
                                          status=mark, method="trainer",
                                          marked_by_id=trainer.id))
        if marks == ("present", "present"):      # checked in by QR at today's session
            db.session.add(Attendance(session_id=sessions[2].id, member_id=member.id,
                                      status="present", method="qr", marked_by_id=user.id))
        people.append((user, lessons))
    learner = users.get("learner")
    if learner is not None:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=learner.id, email=learner.email,
                                    status="active", source="code", joined_at=now))
        courses.enrol(learner, course)
    db.session.add(CohortMember(cohort_id=cohort.id, email="invitee@demo.example.org",
                                invited_name="Ibrahim Sow", organisation="Ministère des Affaires "
                                "étrangères", country="SN", status="invited", source="csv",
                                nonce="demo" + codes.new_code(), invited_by_id=trainer.id,
                                invited_at=now - timedelta(days=2)))
    db.session.flush()
    for user, lessons in people:
        _progress(user, course, lessons)
    seed_analytics(cohort, course)


def _progress(user, course, lessons) -> None:
    enrolment = courses.enrol(user, course)
    if lessons == "all":
        for quiz in course.edition(user.locale).quizzes:
            if quiz.is_final:       # passed, but not every question (see _responses)
                _attempt(enrolment, quiz, _responses(quiz, 0.95, True, seed=1), pretest=False,
                         attempt_no=1, when=utcnow())
            else:
                pass_quiz(enrolment, quiz)
        keys = course.lesson_keys
    else:
        keys = course.lesson_keys[:lessons]
        done = set(keys)
        for module in course.edition(user.locale).modules:   # modules read in full: passed
            if module.quiz is not None and all(lesson.key in done for lesson in module.lessons):
                pass_quiz(enrolment, module.quiz)
    for key in keys:
        courses.mark_done(user, course, key)    # the last one completes the course
    if lessons == "all" and enrolment.completed_at is not None:
        certificates.issue(enrolment, course)   # already issued on completion, normally


# --- part 2: pre-test, post-test, activity and feedback -----------------------------------

ANALYTICS = {
    # learner number: (share of the ordinary questions right at the pre-test, at the
    # post-test (None: not taken yet), days since the last activity, survey answers
    # (relevance, content, trainer, pace, apply, comment) or None)
    1: (0.40, None, 3, (5, 5, 4, 3, 5, "Very practical: the exercises on usual residence "
                                        "are exactly what our census team needs.")),
    2: (0.35, 0.90, 1, (4, 4, 5, 3, 4, "More time on administrative registers, please.")),
    3: (0.30, 0.75, 2, (5, 4, 4, 4, 5, "")),
    4: (0.45, 0.60, 5, (3, 4, 4, 2, 3, "The pace was slow in the first session.")),
    5: (0.20, None, 12, None),
    6: (0.35, None, 4, None),
    7: (0.50, 0.85, 1, (5, 5, 5, 3, 5, "Excellent trainers; the SDG 10.7 examples were "
                                        "very useful.")),
    8: (0.15, None, 10, None),
    9: (1.00, 0.95, 6, (4, 3, 4, 4, 4, "I knew most of it already; a more advanced module "
                                        "would help.")),
    10: (0.25, None, 2, None),
    11: (0.55, 0.50, 3, (3, 3, 3, 4, 3, "")),
    12: (None, None, None, None),
}


def wrong_response(question):
    """A response that earns no credit, of the right shape for the question."""
    key = question.key
    if question.type == "single_choice":
        return next(o.id for o in question.options if o.id != key["answer"])
    if question.type == "multiple_choice":
        wrong = sorted(set(key["options"]) - set(key["answer"]))
        return wrong or None
    if question.type == "true_false":
        return not key["answer"]
    if question.type == "numeric":
        return str(Decimal(key["answer"]) + Decimal(key["tolerance"]) + 1000)
    return "not sure"


def _noise(*parts) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _responses(quiz, share: float, strong: bool, *, seed: int = 0,
               everything: bool = False) -> dict:
    """Right answers to the first ``share`` of the ordinary questions, in an order
    of difficulty shared by everybody with a little noise per learner (``seed``):
    the same learner's pre-test and post-test use the same order. With four
    questions or more, the last one is missed by everybody and the one before it
    is answered right only by the weaker learners (``strong`` False)."""
    questions = list(quiz.questions)
    special = len(questions) >= 4
    ordinary = questions[:-2] if special else questions
    base = {q.id: i for i, q in enumerate(sorted(ordinary, key=lambda q: _noise(q.id)))}
    ordinary = sorted(ordinary, key=lambda q: base[q.id] + _noise(seed, q.id) % 9)
    right = {q.id for q in ordinary[:round(share * len(ordinary))]}
    if special and (everything or not strong):
        right.add(questions[-2].id)
    if special and everything:
        right.add(questions[-1].id)
    return {q.id: correct_response(q) if q.id in right else wrong_response(q)
            for q in questions}


def _attempt(enrolment, quiz, responses: dict, *, pretest: bool, attempt_no: int | None,
             when: datetime) -> QuizAttempt:
    result = grading.grade(quiz.questions, responses, quiz.pass_mark)
    attempt = QuizAttempt(
        enrolment_id=enrolment.id, course_slug=enrolment.course_slug, quiz_slug=quiz.slug,
        content_hash=quiz.content_hash, language=quiz.language,
        token=secrets.token_urlsafe(16), attempt_no=attempt_no, is_pretest=pretest,
        started_at=when - timedelta(minutes=25), submitted_at=when, score=result.score,
        passed=result.passed and not pretest,
        answers=[AttemptAnswer(question_id=item.question_id, position=i,
                               response=item.response, credit=item.credit,
                               objective=quiz.questions[i].objective)
                 for i, item in enumerate(result.items)])
    db.session.add(attempt)
    return attempt


def seed_analytics(cohort: Cohort, course) -> None:
    """Pre-tests, post-tests, varied activity and survey answers (once)."""
    final = course.default.final
    if final is None or db.session.scalar(select(CohortFeedback.id).where(
            CohortFeedback.cohort_id == cohort.id).limit(1)) is not None:
        return
    cohort.pretest_quiz = "final"
    now = utcnow()
    start = datetime.combine(cohort.starts_on, datetime.min.time(), UTC) + timedelta(hours=10)
    check = next((m.quiz for m in course.default.modules if m.quiz is not None), None)
    for number, (pre, post, idle_days, answers) in ANALYTICS.items():
        email = f"learner{number:02d}@demo.example.org"
        member = db.session.scalar(select(CohortMember).where(
            CohortMember.cohort_id == cohort.id, CohortMember.email == email))
        if member is None or member.user_id is None:
            continue
        enrolment = db.session.scalar(select(Enrolment).where(
            Enrolment.user_id == member.user_id, Enrolment.course_slug == course.slug))
        if enrolment is None:
            continue
        strong = (post or 0) >= 0.8
        if pre is not None:
            _attempt(enrolment, final, _responses(final, pre, strong, seed=number,
                                                  everything=pre >= 1),
                     pretest=True, attempt_no=None, when=start + timedelta(minutes=number))
        last = now - timedelta(days=idle_days) if idle_days is not None else None
        counted = db.session.scalar(select(QuizAttempt.id).where(
            QuizAttempt.enrolment_id == enrolment.id, QuizAttempt.quiz_slug == final.slug,
            QuizAttempt.is_pretest.is_(False)).limit(1))
        if post is not None and counted is None:
            _attempt(enrolment, final, _responses(final, post, strong, seed=number),
                     pretest=False,
                     attempt_no=1, when=last or now)
        if number == 10 and check is not None:       # stuck: failed a knowledge check twice
            for attempt_no in (1, 2):
                _attempt(enrolment, check, {q.id: wrong_response(q) for q in check.questions},
                         pretest=False, attempt_no=attempt_no,
                         when=(last or now) - timedelta(hours=3 - attempt_no))
        if last is not None:
            enrolment.last_activity_at = last
            db.session.execute(update(LessonProgress).where(
                LessonProgress.enrolment_id == enrolment.id).values(done_at=last))
            db.session.execute(update(QuizAttempt).where(
                QuizAttempt.enrolment_id == enrolment.id, QuizAttempt.is_pretest.is_(False),
                QuizAttempt.submitted_at > last).values(submitted_at=last))
        if answers is not None:
            relevance, content, trainer, pace, apply, comment = answers
            db.session.add(CohortFeedback(
                cohort_id=cohort.id, member_id=member.id, relevance=relevance,
                content=content, trainer=trainer, pace=pace, apply=apply,
                comment=comment or None, created_at=last or now, updated_at=last or now))
    db.session.flush()
