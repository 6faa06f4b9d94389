"""Demo workshop for `flask --app app seed-demo`: a cohort of the migration
statistics course led by the demo trainer, with twelve demo learners at
different stages (plus the demo learner), one pending invitation, four sessions
(two past with attendance, one under way, one to come) and one learner who
completed the course and has the cohort certificate. Idempotent: once the
cohort exists nothing is changed."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.auth.services import create_user, find_by_email
from app.certificates import services as certificates
from app.cohorts import codes
from app.cohorts.models import Attendance, Cohort, CohortMember, CohortSession, CohortTrainer
from app.core.db import utcnow
from app.courses import services as courses
from app.courses.catalogue import catalogue
from app.extensions import db
from app.quizzes.demo import pass_quiz

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
    if db.session.scalar(select(Cohort.id).where(Cohort.name == NAME,
                                                 Cohort.course_slug == course.slug)):
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


def _progress(user, course, lessons) -> None:
    enrolment = courses.enrol(user, course)
    if lessons == "all":
        for quiz in course.edition(user.locale).quizzes:
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
