"""Helpers for the workshop-analytics tests (this module holds no tests)."""

import re
import secrets
from datetime import timedelta

from app.auth.models import User
from app.cohorts.models import Cohort, CohortFeedback, CohortMember
from app.core.db import utcnow
from app.courses import services as courses
from app.courses.catalogue import catalogue
from app.extensions import db
from app.quizzes.models import AttemptAnswer, QuizAttempt

BASE = "/courses/field-basics"
FINAL_RIGHT = {"q-final-stock": "a", "q-final-census": "true"}
FINAL_HALF = {"q-final-stock": "b", "q-final-census": "true"}      # 50 %
FINAL_WRONG = {"q-final-stock": "b", "q-final-census": "false"}    # 0 %


def text(response) -> str:
    return response.get_data(as_text=True)


def set_cohort(app, cohort_id, **fields):
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        for key, value in fields.items():
            setattr(cohort, key, value)
        db.session.commit()


def take(client, quiz, answers, *, pretest=False):
    """Open the quiz page (as a pre-test or not), submit ``answers``."""
    url = f"{BASE}/quizzes/{quiz}" + ("?pretest=1" if pretest else "")
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    token = re.search(r'name="token" value="([^"]+)"', text(page)).group(1)
    return client.post(url, data={"token": token, **answers})


def add_attempt(app, user_id, quiz_slug, credits: dict, *, pretest=False, attempt_no=1,
                passed=None, objectives=None):
    """Store an attempt directly: ``credits`` maps question id -> credit."""
    with app.app_context():
        user = db.session.get(User, user_id)
        course = catalogue().get("field-basics")
        enrolment = courses.enrol(user, course)
        quiz = course.default.quiz(quiz_slug)
        score = round(100 * sum(credits.values()) / len(credits), 1)
        objectives = objectives or {q.id: q.objective for q in quiz.questions}
        attempt = QuizAttempt(
            enrolment_id=enrolment.id, course_slug="field-basics", quiz_slug=quiz_slug,
            content_hash=quiz.content_hash, language="en", token=secrets.token_urlsafe(12),
            attempt_no=None if pretest else attempt_no, is_pretest=pretest,
            started_at=utcnow(), score=score,
            passed=(score >= 70 if passed is None else passed) and not pretest,
            answers=[AttemptAnswer(question_id=q, position=i, response=None, credit=c,
                                   objective=objectives.get(q, "counting"))
                     for i, (q, c) in enumerate(credits.items())])
        db.session.add(attempt)
        db.session.commit()
        return attempt.id


def add_feedback(app, member_id, relevance=4, content=4, trainer=5, pace=3, apply=4,
                 comment=None):
    with app.app_context():
        member = db.session.get(CohortMember, member_id)
        db.session.add(CohortFeedback(cohort_id=member.cohort_id, member_id=member_id,
                                      relevance=relevance, content=content, trainer=trainer,
                                      pace=pace, apply=apply, comment=comment))
        db.session.commit()


def ended_cohort_dates():
    today = utcnow().date()
    return {"starts_on": today - timedelta(days=10), "ends_on": today - timedelta(days=1)}


def future_cohort_dates():
    today = utcnow().date()
    return {"starts_on": today, "ends_on": today + timedelta(days=10)}


