"""Cohort certificates: the attendance rule, issuing to every eligible learner
through the bulk job, the ineligible listed with reasons, the ZIP, and
revocation by the cohort's trainers only."""

import io
import zipfile

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.certificates import ids
from app.certificates import services as certificates
from app.certificates.models import Certificate
from app.cohorts.models import CohortMember
from app.courses import services as courses
from app.courses.models import Enrolment
from app.extensions import db
from app.quizzes.demo import pass_quiz
from tests.conftest import complete_course
from tests.integration import test_cohorts_support as support
from tests.integration.test_cohorts_support import (
    add_session,
    client_for,
    join,
)

jobs_sync, world = support.jobs_sync, support.world    # fixtures


def certificate_for(app, enrolment_id):
    with app.app_context():
        return certificates.current_for_enrolment(enrolment_id)


def mark(client, world, session, member, status):
    response = client.post(f"/cohorts/{world.cohort}/sessions/{session}",
                           data={f"m{member}": status})
    assert response.status_code == 302


@pytest.mark.pdf
def test_completion_alone_is_not_enough_inside_a_cohort(app, world, make_user):
    # Not marked present at the (held) session: no certificate on completion.
    enrolment = complete_course(app, world.learner)
    assert certificate_for(app, enrolment) is None
    with app.app_context():
        verdict = certificates.eligibility(db.session.get(Enrolment, enrolment),
                                           _course(app))
        assert not verdict.eligible
        assert verdict.reasons == ["attendance 0% < 75%"]
    # Learners outside any cohort are not concerned.
    solo = complete_course(app, make_user())
    assert certificate_for(app, solo) is not None


def _course(app):
    from app.courses.catalogue import catalogue

    return catalogue().get("field-basics")


@pytest.mark.pdf
def test_issue_to_every_eligible_learner_and_list_the_others(app, world, make_user, jobs_sync):
    trainer = client_for(app, world.trainer)
    second_session = add_session(app, world.cohort, topic="Second")
    low = make_user(email="low@example.org", full_name="Low Attendance")
    low_member = join(app, world.cohort, low)
    starter = make_user(email="starter@example.org", full_name="Just Started")
    starter_member = join(app, world.cohort, starter)
    with app.app_context():                     # only the first module done
        user, course = db.session.get(User, starter), _course(app)
        enrolment = courses.enrol(user, course)
        pass_quiz(enrolment, course.edition("en").quiz("counting"))
        for key in course.lesson_keys:
            if key.startswith("counting/"):
                courses.mark_done(user, course, key)
        db.session.commit()
    lea = complete_course(app, world.learner)            # before attendance: no certificate
    low_enrolment = complete_course(app, low)
    assert certificate_for(app, lea) is None and certificate_for(app, low_enrolment) is None
    mark(trainer, world, world.session, world.member, "present")
    mark(trainer, world, second_session, world.member, "present")
    mark(trainer, world, world.session, low_member, "present")
    mark(trainer, world, second_session, low_member, "absent")
    mark(trainer, world, world.session, starter_member, "present")

    page = trainer.get(f"/cohorts/{world.cohort}/certificates").get_data(as_text=True)
    assert "Eligible, not issued yet: 1" in page
    assert "attendance 50% &lt; 75%" in page or "attendance 50% < 75%" in page
    assert "module ‘Data sources’ not passed" in page and "final exam not passed" in page
    assert "Issue 1 certificate(s)" in page

    response = trainer.post(f"/cohorts/{world.cohort}/certificates/issue")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job_page = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Finished." in job_page
    cert = certificate_for(app, lea)
    assert cert is not None and cert.cohort_name == "Test workshop"
    assert cert.trainer_names == "Trainer Alpha, Co Trainer"
    assert certificate_for(app, low_enrolment) is None
    page = trainer.get(f"/cohorts/{world.cohort}/certificates").get_data(as_text=True)
    assert "Issued: 1" in page and ids.grouped(cert.public_id) in page
    # Nothing left to issue: said so, no job.
    response = trainer.post(f"/cohorts/{world.cohort}/certificates/issue",
                            follow_redirects=True)
    assert "Nobody new is eligible" in response.get_data(as_text=True)

    # The ZIP holds the PDFs.
    response = trainer.get(f"/cohorts/{world.cohort}/certificates.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert len(names) == 1 and names[0].startswith("Léa Learner") and names[0].endswith(".pdf")
    assert archive.read(names[0]).startswith(b"%PDF")
    # The learner sees their certificate from the cohort page.
    learner_page = client_for(app, world.learner).get(f"/cohorts/{world.cohort}/").get_data(
        as_text=True)
    assert "Certificate issued" in learner_page


def test_zip_without_certificates_says_so(app, world):
    trainer = client_for(app, world.trainer)
    response = trainer.get(f"/cohorts/{world.cohort}/certificates.zip", follow_redirects=True)
    assert "No certificate has been issued" in response.get_data(as_text=True)


@pytest.mark.pdf
def test_trainers_revoke_certificates_of_their_cohort_only(app, world, make_user):
    trainer = client_for(app, world.trainer)
    mark(trainer, world, world.session, world.member, "present")
    cert = certificate_for(app, complete_course(app, world.learner))
    assert cert is not None                                  # attendance was enough
    gid = ids.grouped(cert.public_id)
    # A trainer of another cohort can neither revoke it nor download it.
    other = client_for(app, world.other_trainer)
    assert other.post(f"/cohorts/{world.other_cohort}/certificates/{gid}/revoke",
                      data={"reason": "nope"}).status_code == 404
    assert other.post(f"/cohorts/{world.cohort}/certificates/{gid}/revoke",
                      data={"reason": "nope"}).status_code == 404
    assert other.post(f"/certificates/manage/{gid}", data={"reason": "nope"}).status_code == 403
    assert other.get(f"/certificates/{gid}.pdf").status_code == 404
    # Nor can the learner, on the cohort's trainer page.
    learner = client_for(app, world.learner)
    assert learner.post(f"/cohorts/{world.cohort}/certificates/{gid}/revoke",
                        data={"reason": "mine"}).status_code == 403
    with app.app_context():
        assert db.session.get(Certificate, cert.id).revoked_at is None
    # The co-trainer can download it; the lead trainer revokes it with a reason.
    assert client_for(app, world.co_trainer).get(f"/certificates/{gid}.pdf").status_code == 200
    response = trainer.post(f"/cohorts/{world.cohort}/certificates/{gid}/revoke",
                            data={"reason": ""}, follow_redirects=True)
    assert "Give the reason" in response.get_data(as_text=True)
    response = trainer.post(f"/cohorts/{world.cohort}/certificates/{gid}/revoke",
                            data={"reason": "Attendance sheet was falsified."})
    assert response.status_code == 302
    with app.app_context():
        revoked = db.session.get(Certificate, cert.id)
        assert revoked.revocation_reason == "Attendance sheet was falsified."
        assert revoked.revoked_by_id == world.trainer
    verify = app.test_client().get(f"/verify/{gid}.json").get_json()
    assert verify["status"] == "revoked"
    # Revoked certificates are not in the ZIP.
    response = trainer.get(f"/cohorts/{world.cohort}/certificates.zip", follow_redirects=True)
    assert "No certificate has been issued" in response.get_data(as_text=True)


@pytest.mark.pdf
def test_a_learner_in_two_cohorts_qualifies_through_either(app, world, make_user):
    from tests.integration.test_cohorts_support import make_cohort

    second = make_cohort(app, world.trainer, name="Second run")
    join(app, second, world.learner)
    good = add_session(app, second)
    with app.app_context():
        member_id = db.session.scalar(select(CohortMember.id).where(
            CohortMember.cohort_id == second))
    trainer = client_for(app, world.trainer)
    trainer.post(f"/cohorts/{second}/sessions/{good}", data={f"m{member_id}": "present"})
    cert = certificate_for(app, complete_course(app, world.learner))
    assert cert is not None and cert.cohort_name == "Second run"
