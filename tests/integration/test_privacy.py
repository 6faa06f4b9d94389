import json

from sqlalchemy import select

from app.auth.models import User
from app.core.models import AuditEvent
from app.extensions import db
from tests.conftest import PASSWORD, login


def test_download_my_data(client, login_as):
    login_as("learner", email="me@example.org", full_name="Me Myself", country="MA")
    response = client.post("/account/data/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    account = data["data"]["account"]
    assert account["email"] == "me@example.org" and account["country"] == "MA"
    assert "password_hash" not in json.dumps(data)
    assert any(e["action"] == "auth.login" for e in data["data"]["security_log"])


def test_delete_account_needs_the_password_and_changes_nothing_otherwise(app, client, login_as):
    uid = login_as("learner", email="del@example.org")
    response = client.post("/account/delete", data={"password": "wrong", "confirm": "y"})
    assert response.status_code == 400
    response = client.post("/account/delete", data={"password": PASSWORD})  # no confirmation
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, uid).email == "del@example.org"


def test_delete_account_erases_personal_data(app, client, login_as):
    uid = login_as("learner", email="del@example.org", full_name="Delia Erased",
                   organisation="NSO")
    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, uid)
        assert user.email != "del@example.org" and user.full_name == "Deleted user"
        assert user.organisation is None and user.deleted_at is not None
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.subject == f"user:{uid}")).all()
        assert any(e.action == "privacy.account_deleted" for e in events)
        assert all(e.details is None for e in events)
    assert client.get("/home").status_code == 302
    assert login(client, "del@example.org").status_code == 400


def test_the_only_admin_cannot_delete_their_account(app, client, login_as):
    uid = login_as("admin")
    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 400
    assert "only administrator" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, uid).deleted_at is None


def test_privacy_notice_lists_every_registered_source(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert "security log" in html and "e-mail address, full name" in html


def test_download_my_data_includes_name_corrections(app, client, login_as):
    """A requested name correction (the name and the reason typed) is personal data."""
    from app.certificates.models import Certificate, NameCorrection
    from app.core.db import utcnow

    uid = login_as("learner", email="fix@example.org", full_name="Amina Dialo")
    with app.app_context():
        cert = Certificate(public_id="1" * 17, user_id=uid, learner_name="Amina Dialo",
                           course_slug="field-basics", course_title="Field basics",
                           course_version="x", hours=2, completed_at=utcnow(), language="en",
                           issuer_name="MDA", credential_jwt="x.y.z")
        db.session.add(cert)
        db.session.flush()
        db.session.add(NameCorrection(certificate_id=cert.id, user_id=uid,
                                      requested_name="Amina Diallo", reason="Typo in my name"))
        db.session.commit()
    data = json.loads(client.post("/account/data/export").data)
    [exported] = data["data"]["certificates"]
    [correction] = exported["name_corrections_requested"]
    assert correction["requested_name"] == "Amina Diallo"
    assert correction["reason"] == "Typo in my name" and correction["status"] == "pending"
