"""From gaps to learning: modules recommended for the gaps, completions per
institution (aggregates, small groups masked), and a workshop cohort created
from the plan with a chosen or invited trainer."""

import secrets
from datetime import timedelta

from sqlalchemy import select

from app.core.db import utcnow
from app.extensions import db
from tests.conftest import PASSWORD, last_link, login, outbox_messages
from tests.integration.test_plans_support import audit_events, client_for, plan_round

COHORT = {"course": "field-basics", "name": "Jordan 2026 – Field basics",
          "starts_on": "2027-03-01", "ends_on": "2027-03-03", "mode": "in_person",
          "timezone": "Asia/Amman"}


def _add_staff(app, make_user, round_id, institution, count, *, completed=0, by_lessons=0):
    """``count`` accepted members of ``institution``; the first ``completed``
    completed the course, the next ``by_lessons`` only the "counting" module."""
    from app.assessments.models import Membership
    from app.courses.models import Enrolment, LessonProgress
    from app.quizzes.models import QuizAttempt

    ids = [make_user("learner") for _ in range(count)]
    with app.app_context():
        for i, uid in enumerate(ids):
            db.session.add(Membership(round_id=round_id, user_id=uid, email=f"s{uid}@x.org",
                                      role="contributor", institution=institution,
                                      nonce=secrets.token_hex(8), accepted_at=utcnow()))
            if i < completed + by_lessons:
                enrolment = Enrolment(user_id=uid, course_slug="field-basics",
                                      completed_at=utcnow() if i < completed else None)
                db.session.add(enrolment)
                db.session.flush()
                if i >= completed:
                    for key in ("counting/usual-residence", "counting/stocks-and-flows"):
                        db.session.add(LessonProgress(enrolment_id=enrolment.id,
                                                      lesson_key=key))
                    db.session.add(QuizAttempt(
                        enrolment_id=enrolment.id, course_slug="field-basics",
                        quiz_slug="counting", content_hash="x", language="en",
                        token=secrets.token_hex(8), attempt_no=1,
                        started_at=utcnow() - timedelta(minutes=5), score=100.0, passed=True))
        db.session.commit()


def test_learning_page_counts_completions_by_institution(app, make_user):
    setup = plan_round(app, make_user)
    # NSO: 2 members already + 6 new; 3 completed the course, 2 the module only.
    _add_staff(app, make_user, setup.round_id, "nso", 6, completed=3, by_lessons=2)
    focal = client_for(app, setup.email("focal"))
    html = focal.get(f"/assessments/{setup.round_id}/plan/learning").get_data(as_text=True)
    assert "Field basics: counting people who move › Counting people" in html
    assert "What is counted" in html
    assert "5 of 8" in html                     # counting: 3 course + 2 module, of 8 NSO staff
    assert "fewer than 5 of 8" in html          # sources: only the 3 who finished the course
    assert "fewer than 5 staff" in html         # interior, labour: small groups
    for uid in (setup.uid("nso"), setup.uid("interior")):
        from app.auth.models import User

        with app.app_context():
            assert db.session.get(User, uid).full_name not in html     # never a name
    assert "Create a workshop cohort" not in html           # the round is not validated
    assert "Once the round is validated" in html


def test_a_cohort_is_created_from_a_gap_with_an_existing_trainer(app, make_user):
    from app.assessments.plan.models import PlanCohortRequest
    from app.cohorts.models import Cohort, CohortTrainer

    setup = plan_round(app, make_user, validate=True)
    trainer = make_user("trainer", email="trainer.jo@example.org")
    focal = client_for(app, setup.email("focal"))
    page = focal.get(f"/assessments/{setup.round_id}/plan/learning").get_data(as_text=True)
    link = f"/assessments/{setup.round_id}/plan/cohort?course=field-basics"
    assert link in page
    form = focal.get(link).get_data(as_text=True)
    assert "Jordan 2026 – Field basics: counting people who move" in form
    response = focal.post(f"/assessments/{setup.round_id}/plan/cohort",
                          data={**COHORT, "trainer_email": "Trainer.JO@example.org"})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    with app.app_context():
        cohort = db.session.scalar(select(Cohort))
        assert (cohort.course_slug, cohort.name, str(cohort.starts_on)) == (
            "field-basics", COHORT["name"], "2027-03-01")
        lead = db.session.scalar(select(CohortTrainer).where(CohortTrainer.cohort_id ==
                                                             cohort.id))
        assert (lead.user_id, lead.role) == (trainer, "lead")
        request = db.session.scalar(select(PlanCohortRequest))
        assert (request.status, request.cohort_id, request.trainer_email) == (
            "created", cohort.id, None)
    message = outbox_messages(app)[-1]
    assert message["To"] == "trainer.jo@example.org"
    assert f"/cohorts/{cohort.id}/" in message.get_content()
    event = audit_events(app, "plans.cohort_created")[0]
    assert event.actor_id == setup.uid("focal") and event.details["cohort"] == cohort.id
    # The trainer runs it like any of their cohorts.
    trainer_client = client_for(app, "trainer.jo@example.org")
    assert trainer_client.get(f"/cohorts/{cohort.id}/").status_code == 200
    listing = focal.get(f"/assessments/{setup.round_id}/plan/learning").get_data(as_text=True)
    assert COHORT["name"] in listing and "Created" in listing


def test_an_invited_trainer_creates_the_cohort_by_accepting(app, make_user, client):
    from app.assessments.plan.models import PlanCohortRequest
    from app.auth.models import User
    from app.cohorts.models import Cohort, CohortTrainer

    setup = plan_round(app, make_user, validate=True)
    focal = client_for(app, setup.email("focal"))
    response = focal.post(f"/assessments/{setup.round_id}/plan/cohort",
                          data={**COHORT, "trainer_email": "new.trainer@example.org"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Cohort)) is None
        request = db.session.scalar(select(PlanCohortRequest))
        assert (request.status, request.trainer_email) == ("invited", "new.trainer@example.org")
    link = last_link(app, "new.trainer@example.org", "/assessments/plan-invitations/")
    path = link.replace("http://localhost", "")
    assert "Sign in to accept" in client.get(path).get_data(as_text=True)
    uid = make_user("learner", email="new.trainer@example.org")
    login(client, "new.trainer@example.org", PASSWORD)
    refused = client.post(path + "/accept")
    assert refused.status_code == 403 and "trainer role" in refused.get_data(as_text=True)
    other = client_for(app, setup.email("nso"))
    assert other.post(path + "/accept").status_code == 403          # another address
    with app.app_context():
        db.session.get(User, uid).role = "trainer"
        db.session.commit()
    accepted = client.post(path + "/accept")
    assert accepted.status_code == 302 and "/cohorts/" in accepted.headers["Location"]
    with app.app_context():
        cohort = db.session.scalar(select(Cohort))
        assert cohort.name == COHORT["name"]
        assert db.session.scalar(select(CohortTrainer.user_id).where(
            CohortTrainer.cohort_id == cohort.id, CohortTrainer.role == "lead")) == uid
        request = db.session.scalar(select(PlanCohortRequest))
        assert (request.status, request.trainer_email) == ("created", None)
    again = client.post(path + "/accept", follow_redirects=True)
    assert "already been used" in again.get_data(as_text=True)
    assert client.get("/assessments/plan-invitations/not-a-token").status_code == 404


def test_who_may_create_a_cohort_from_the_plan(app, make_user):
    setup = plan_round(app, make_user)                    # not validated yet
    make_user("trainer", email="t@example.org")
    focal = client_for(app, setup.email("focal"))
    url = f"/assessments/{setup.round_id}/plan/cohort"
    assert focal.get(url).status_code == 403
    validated = plan_round(app, make_user, validate=True, country="SN")
    url = f"/assessments/{validated.round_id}/plan/cohort"
    assert client_for(app, validated.email("facilitator")).get(url).status_code == 403
    assert client_for(app, validated.email("nso")).post(
        url, data={**COHORT, "trainer_email": "t@example.org"}).status_code == 403
    focal = client_for(app, validated.email("focal"))
    bad = focal.post(url, data={**COHORT, "course": "not-recommended",
                                "trainer_email": "t@example.org"})
    assert bad.status_code == 400 and "courses the plan recommends" in bad.get_data(
        as_text=True)
    bad = focal.post(url, data={**COHORT, "ends_on": "2027-02-01",
                                "trainer_email": "t@example.org"})
    assert bad.status_code == 400 and "last day cannot be before" in bad.get_data(as_text=True)
    bad = focal.post(url, data={**COHORT, "trainer_email": "not-an-address"})
    assert bad.status_code == 400
