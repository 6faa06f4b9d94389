"""`flask cohorts list`, the demo workshop of seed-demo, and personal data
("download my data", "delete my account")."""

import json

import pytest
from sqlalchemy import func, select

from app.cohorts.models import Attendance, Cohort, CohortMember, CohortTrainer, Material
from app.extensions import db
from tests.conftest import PASSWORD
from tests.integration import test_cohorts_support as support
from tests.integration.test_cohorts_support import (
    client_for,
)

world, jobs_sync = support.world, support.jobs_sync    # fixtures

KEYS = {"id", "course", "name", "trainers", "learners", "sessions", "attendance_marks",
        "certificates_issued"}


def test_cli_list_json_has_the_agreed_shape(app, world, runner):
    client_for(app, world.trainer).post(f"/cohorts/{world.cohort}/sessions/{world.session}",
                                        data={f"m{world.member}": "present"})
    result = runner.invoke(args=["cohorts", "list", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)          # standard output holds only the JSON
    assert isinstance(rows, list) and len(rows) == 2
    for row in rows:
        assert set(row) >= KEYS
        for key in ("trainers", "learners", "sessions", "attendance_marks",
                    "certificates_issued"):
            assert isinstance(row[key], int) and not isinstance(row[key], bool), key
    first = next(r for r in rows if r["id"] == world.cohort)
    assert first == {**first, "course": "field-basics", "name": "Test workshop", "trainers": 2,
                     "learners": 1, "sessions": 1, "attendance_marks": 1,
                     "certificates_issued": 0}
    table = runner.invoke(args=["cohorts", "list"])
    assert table.exit_code == 0 and "Test workshop" in table.output


def test_cli_list_on_an_empty_database(app, runner):
    result = runner.invoke(args=["cohorts", "list", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []


@pytest.mark.pdf
def test_seed_demo_adds_a_workshop_once(app, runner, monkeypatch):
    from app.cohorts import demo

    monkeypatch.setattr(demo, "COURSE", "field-basics")
    for _ in range(2):
        # seed-demo is a plain click command: `flask` pushes the app context, the runner not.
        with app.app_context():
            result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Cohort)) == 1
        cohort = db.session.scalar(select(Cohort))
        trainer = db.session.scalar(select(CohortTrainer))
        assert trainer.user.email == "trainer@example.org"
        members = db.session.scalars(select(CohortMember)).all()
        assert sum(m.status == "active" for m in members) == 13
        assert sum(m.status == "invited" for m in members) == 1
        assert len(cohort.sessions) == 4
    rows = json.loads(runner.invoke(args=["cohorts", "list", "--format", "json"]).stdout)
    assert rows[0]["learners"] == 13 and rows[0]["sessions"] == 4
    assert rows[0]["attendance_marks"] == 28 and rows[0]["certificates_issued"] == 1


def test_download_my_data_includes_workshops(app, world):
    trainer = client_for(app, world.trainer)
    trainer.post(f"/cohorts/{world.cohort}/sessions/{world.session}",
                 data={f"m{world.member}": "present"})
    data = json.loads(client_for(app, world.learner).post("/account/data/export").data)
    mine = data["data"]["workshops"]
    assert mine["memberships"][0]["cohort_name"] == "Test workshop"
    assert mine["memberships"][0]["status"] == "active"
    assert mine["attendance"][0]["mark"] == "present"
    led = json.loads(trainer.post("/account/data/export").data)["data"]["workshops"]
    assert led["cohorts_as_trainer"][0]["role"] == "lead"
    assert "Workshops (cohorts)" in app.test_client().get("/privacy").get_data(as_text=True)


def test_deleting_an_account_anonymises_membership_and_keeps_attendance(app, world):
    trainer = client_for(app, world.trainer)
    trainer.post(f"/cohorts/{world.cohort}/sessions/{world.session}",
                 data={f"m{world.member}": "present"})
    learner = client_for(app, world.learner)
    response = learner.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        member = db.session.get(CohortMember, world.member)
        assert member.email is None and member.invited_name is None
        assert member.status == "removed"
        assert db.session.scalar(select(func.count()).select_from(Attendance).where(
            Attendance.member_id == world.member)) == 1
    roster = trainer.get(f"/cohorts/{world.cohort}/roster").get_data(as_text=True)
    assert "lea@example.org" not in roster and "Léa Learner" not in roster


def test_deleting_a_trainer_account_leaves_the_workshop_to_the_others(app, world):
    import io

    trainer = client_for(app, world.trainer)
    trainer.post(f"/cohorts/{world.cohort}/materials",
                 data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "a.pdf")},
                 content_type="multipart/form-data")
    assert trainer.post("/account/delete", data={"password": PASSWORD, "confirm": "y"}
                        ).status_code == 302
    with app.app_context():
        assert [t.user_id for t in db.session.scalars(select(CohortTrainer).where(
            CohortTrainer.cohort_id == world.cohort))] == [world.co_trainer]
        assert db.session.scalar(select(Material)).uploaded_by_id is None
    assert client_for(app, world.co_trainer).get(
        f"/cohorts/{world.cohort}/manage").status_code == 200


def test_deleting_an_account_removes_invitations_to_its_address(app, world, make_user):
    invitee = make_user(email="invitee@example.org")
    with app.app_context():
        db.session.add(CohortMember(cohort_id=world.cohort, email="invitee@example.org",
                                    status="invited", source="csv", nonce="x" * 32))
        db.session.commit()
    client_for(app, invitee).post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    with app.app_context():
        assert db.session.scalar(select(CohortMember).where(
            CohortMember.email == "invitee@example.org")) is None


def test_deleting_an_account_removes_its_address_from_roster_uploads(app, world, make_user,
                                                                     jobs_sync):
    """A trainer's upload waiting for confirmation lists the address: erasure drops that
    row, so confirming later invites nobody under it; a confirmed upload keeps no rows."""
    from app.cohorts.models import RosterImport
    from tests.integration.test_cohorts_support import csrf_free_upload

    listed = make_user(email="listed@example.org")
    trainer = client_for(app, world.trainer)
    csv = b"email,full name\nlisted@example.org,Listed Person\nother@example.org,Other One\n"
    response = csrf_free_upload(trainer, f"/cohorts/{world.cohort}/roster/import",
                                "roster.csv", csv)
    preview = response.headers["Location"]
    assert client_for(app, listed).post("/account/delete", data={
        "password": PASSWORD, "confirm": "y"}).status_code == 302
    with app.app_context():
        rows = db.session.scalar(select(RosterImport)).rows
        assert [r["email"] for r in rows] == ["other@example.org"]
    assert trainer.post(preview + "/confirm").status_code == 302
    with app.app_context():
        invited = db.session.scalars(select(CohortMember.email).where(
            CohortMember.status == "invited")).all()
        assert invited == ["other@example.org"]
        assert db.session.scalar(select(RosterImport)).rows == []


def test_deleting_a_trainer_account_reduces_their_name_on_certificates(app, world):
    """The certificates of a workshop print its trainers (and a name correction prints
    them again): a trainer who deletes their account is left as initials there."""
    from app.certificates.models import Certificate
    from app.core.db import utcnow

    with app.app_context():
        db.session.add(Certificate(
            public_id="0" * 17, user_id=world.learner, learner_name="Léa Learner",
            course_slug="field-basics", course_title="Field basics", course_version="x",
            hours=2, completed_at=utcnow(), language="en", issuer_name="MDA",
            cohort_name="Test workshop", trainer_names="Trainer Alpha, Co Trainer",
            credential_jwt="x.y.z"))
        db.session.commit()
    assert client_for(app, world.trainer).post("/account/delete", data={
        "password": PASSWORD, "confirm": "y"}).status_code == 302
    with app.app_context():
        cert = db.session.scalar(select(Certificate))
        assert cert.trainer_names == "T. A., Co Trainer"
        assert cert.learner_name == "Léa Learner"
