from sqlalchemy import select

from app.auth.models import User
from app.core.models import AuditEvent
from app.extensions import db
from tests.conftest import login


def test_admin_area_is_for_admins_only(client, login_as):
    assert client.get("/admin/").status_code == 302          # anonymous: sign in first
    login_as("trainer")
    for url in ["/admin/", "/admin/audit", "/admin/users/1"]:
        assert client.get(url).status_code == 403
    assert client.post("/admin/users/1/role", data={"role": "admin"}).status_code == 403


def test_find_users_by_name_and_role(client, login_as, make_user):
    login_as("admin")
    make_user("trainer", full_name="Zeynep Kaya", organisation="TurkStat")
    make_user("learner", full_name="Omar Farouk")
    html = client.get("/admin/?q=turkstat").get_data(as_text=True)
    assert "Zeynep Kaya" in html and "Omar Farouk" not in html
    html = client.get("/admin/?role=learner").get_data(as_text=True)
    assert "Omar Farouk" in html and "Zeynep Kaya" not in html


def test_change_role_is_audited(app, client, login_as, make_user):
    admin_id = login_as("admin")
    uid = make_user("learner")
    response = client.post(f"/admin/users/{uid}/role", data={"role": "trainer"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, uid).role == "trainer"
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "admin.role_changed"))
        assert event.actor_id == admin_id and event.details == {"old": "learner", "new": "trainer"}


def test_unknown_role_changes_nothing(app, client, login_as, make_user):
    login_as("admin")
    uid = make_user("learner")
    client.post(f"/admin/users/{uid}/role", data={"role": "superuser"})
    with app.app_context():
        assert db.session.get(User, uid).role == "learner"


def test_admin_cannot_demote_or_deactivate_self(app, client, login_as):
    admin_id = login_as("admin")
    client.post(f"/admin/users/{admin_id}/role", data={"role": "learner"})
    client.post(f"/admin/users/{admin_id}/active", data={"active": "0"})
    with app.app_context():
        admin = db.session.get(User, admin_id)
        assert admin.role == "admin" and admin.active


def test_deactivation_signs_the_person_out(app, client, login_as, make_user):
    login_as("admin")
    uid = make_user("learner", email="target@example.org")
    other = app.test_client()
    login(other, "target@example.org")
    assert other.get("/home").status_code == 200
    client.post(f"/admin/users/{uid}/active", data={"active": "0"})
    assert other.get("/home").status_code == 302
    client.post(f"/admin/users/{uid}/active", data={"active": "1"})
    assert login(other, "target@example.org").status_code == 302


def test_audit_log_lists_sign_ins(client, login_as):
    login_as("admin")
    html = client.get("/admin/audit?action=auth.login").get_data(as_text=True)
    assert "auth.login" in html
    assert client.get("/admin/audit?page=999").status_code == 200


def test_unknown_user_is_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/users/99999").status_code == 404


def test_cli_create_admin_and_set_role(app, runner, make_user):
    result = runner.invoke(args=["users", "create-admin", "--email", "Boss@Example.org",
                                 "--name", "Boss", "--password", "granite orchid tundra maple 9"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        boss = db.session.scalar(select(User).where(User.email == "boss@example.org"))
        assert boss.role == "admin" and boss.is_verified
    weak = runner.invoke(args=["users", "create-admin", "--email", "b2@example.org",
                               "--name", "B", "--password", "password1234"])
    assert weak.exit_code == 1 and "too common" in weak.output

    make_user(email="someone@example.org")
    result = runner.invoke(args=["users", "set-role", "someone@example.org", "focal_point"])
    assert result.exit_code == 0
    assert runner.invoke(args=["users", "set-role", "someone@example.org", "king"]).exit_code == 1
    assert runner.invoke(args=["users", "set-role", "ghost@example.org", "admin"]).exit_code == 1


def test_create_admin_prompts_when_options_are_missing(app, runner):
    result = runner.invoke(args=["users", "create-admin"],
                           input="p@example.org\nPat\nriver stone candle ocean\n"
                                 "river stone candle ocean\n")
    assert result.exit_code == 0, result.output
