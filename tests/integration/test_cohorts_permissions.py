"""Who sees what, over every workshop route: anonymous visitors are sent to sign
in; another trainer, a learner of another cohort or of none, and guessed ids
get 404 (nothing leaks); a learner of the cohort gets its page, calendar and
materials, and 403 on the trainers' pages; co-trainers and admins run it."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.cohorts import schedule, services
from app.cohorts.models import Announcement, CohortMember, CohortSession, Material, RosterImport
from app.core.db import utcnow
from app.extensions import db
from tests.integration import test_cohorts_support as support
from tests.integration.test_cohorts_support import (
    client_for,
    code_of,
)

world = support.world    # fixtures

PDF = b"%PDF-1.4\n%%EOF\n"

# Every route of the blueprint, by who may use it. A new route must be added here.
PUBLIC = {"cohorts.join", "cohorts.join_code", "cohorts.invitation", "cohorts.register"}
SIGNED_IN = {"cohorts.index", "cohorts.new", "cohorts.accept", "cohorts.checkin",
             "cohorts.checkin_confirm", "cohorts.programme_page", "cohorts.programme_csv"}
MEMBERS = {"cohorts.page", "cohorts.calendar", "cohorts.material", "cohorts.feedback_page"}
TRAINERS = {
    "cohorts.manage", "cohorts.edit", "cohorts.code_action", "cohorts.roster_page",
    "cohorts.member_action", "cohorts.roster_import", "cohorts.roster_preview",
    "cohorts.roster_decide", "cohorts.sessions", "cohorts.session_edit",
    "cohorts.session_delete", "cohorts.session_page", "cohorts.session_qr",
    "cohorts.sign_in_sheet", "cohorts.attendance_page", "cohorts.announcements",
    "cohorts.announcement_delete", "cohorts.materials", "cohorts.material_delete",
    "cohorts.certificates_page", "cohorts.certificates_issue", "cohorts.certificates_zip",
    "cohorts.certificate_revoke", "cohorts.dashboard_page", "cohorts.export",
    "cohorts.report_pdf"}


@pytest.fixture
def ids(app, world):
    """Ids of one object of every kind in the first cohort (and a pending upload)."""
    with app.app_context():
        db.session.add(Announcement(cohort_id=world.cohort, title="T", body="B",
                                    author_id=world.trainer))
        db.session.add(Material(cohort_id=world.cohort, title="M", original_name="m.pdf",
                                stored_name="0" * 32 + ".pdf", content_type="application/pdf",
                                size=len(PDF), uploaded_by_id=world.trainer))
        db.session.add(RosterImport(token="tok" * 8, cohort_id=world.cohort,
                                    user_id=world.trainer, filename="r.csv", rows=[], notes=[],
                                    expires_at=utcnow() + timedelta(hours=1)))
        invited = CohortMember(cohort_id=world.cohort, email="invitee@example.org",
                               status="invited", source="csv", nonce="n" * 32)
        db.session.add(invited)
        db.session.commit()
        announcement = db.session.scalar(select(Announcement.id))
        material = db.session.scalar(select(Material.id))
        session = db.session.get(CohortSession, world.session)
        return {
            "cohort_id": world.cohort, "session_id": world.session, "member_id": world.member,
            "material_id": material, "announcement_id": announcement,
            "code": code_of(app, world.cohort), "public_id": "AAAA-BBBB-CCCC-DDDD-E",
            "checkin": schedule.checkin_token(session), "import": "tok" * 8,
            "invitation": services.invitation_token(invited)}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("cohorts."):
            yield rule


def build(rule, ids, **override):
    values = {**ids, **override}
    args = {}
    for name in rule.arguments:
        if name == "token":
            args[name] = {"cohorts.checkin": values["checkin"],
                          "cohorts.checkin_confirm": values["checkin"],
                          "cohorts.invitation": values["invitation"],
                          "cohorts.accept": values["invitation"],
                          "cohorts.register": values["invitation"]}.get(rule.endpoint,
                                                                         values["import"])
        elif name == "name":                       # an export
            args[name] = "gain"
        elif name == "fmt":
            args[name] = "csv"
        elif name == "action":
            args[name] = {"cohorts.code_action": "rotate", "cohorts.member_action": "remove",
                          "cohorts.roster_decide": "confirm"}[rule.endpoint]
        else:
            args[name] = values[name]
    return rule.build(args)[1]


def methods(rule):
    return sorted(m for m in rule.methods if m in ("GET", "POST"))


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in routes(app)}
    assert endpoints == PUBLIC | SIGNED_IN | MEMBERS | TRAINERS


def request(client, method, url):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"file": (io.BytesIO(b""), "")},
                       content_type="multipart/form-data")


def test_anonymous_visitors_are_sent_to_sign_in(app, world, ids):
    client = app.test_client()
    for rule in routes(app):
        if rule.endpoint in PUBLIC:
            continue
        for method in methods(rule):
            response = request(client, method, build(rule, ids))
            assert response.status_code == 302, (rule.rule, method, response.status_code)
            assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["other_trainer", "outsider", "other_learner"])
def test_strangers_get_404_on_every_cohort_route(app, world, ids, who):
    client = client_for(app, getattr(world, who))
    for rule in routes(app):
        if rule.endpoint not in MEMBERS | TRAINERS:
            continue
        for method in methods(rule):
            response = request(client, method, build(rule, ids))
            assert response.status_code == 404, (who, rule.rule, method, response.status_code)


def test_a_learner_of_the_cohort_gets_403_on_trainer_routes(app, world, ids):
    client = client_for(app, world.learner)
    for rule in routes(app):
        if rule.endpoint not in TRAINERS:
            continue
        for method in methods(rule):
            response = request(client, method, build(rule, ids))
            assert response.status_code == 403, (rule.rule, method, response.status_code)
    assert client.get(f"/cohorts/{world.cohort}/").status_code == 200
    assert client.get(f"/cohorts/{world.cohort}/calendar.ics").status_code == 200
    assert client.get("/cohorts/new").status_code == 403


@pytest.mark.parametrize("who", ["trainer", "co_trainer", "admin"])
def test_trainers_and_admins_open_every_page(app, world, ids, who):
    client = client_for(app, getattr(world, who))
    for rule in routes(app):
        if rule.endpoint not in MEMBERS | TRAINERS or "GET" not in rule.methods:
            continue
        if rule.endpoint in ("cohorts.material", "cohorts.sign_in_sheet",
                             "cohorts.certificates_zip", "cohorts.report_pdf"):
            continue        # a file (tested elsewhere)
        if rule.endpoint == "cohorts.roster_preview" and who != "trainer":
            continue        # the upload belongs to the trainer who made it
        response = client.get(build(rule, ids))
        assert response.status_code == 200, (who, rule.rule, response.status_code)


def test_guessed_ids_are_404_even_for_admins(app, world, ids):
    admin = client_for(app, world.admin)
    trainer = client_for(app, world.trainer)
    for rule in routes(app):
        if rule.endpoint not in MEMBERS | TRAINERS:
            continue
        for method in methods(rule):
            response = request(admin, method, build(rule, ids, cohort_id=987654))
            assert response.status_code == 404, (rule.rule, method, response.status_code)
    # Objects of another cohort, addressed through one's own cohort.
    for url in (f"/cohorts/{world.cohort}/sessions/{world.other_session}",
                f"/cohorts/{world.cohort}/sessions/{world.other_session}/sign-in-sheet.pdf",
                f"/cohorts/{world.cohort}/sessions/987654",
                f"/cohorts/{world.cohort}/materials/987654"):
        assert trainer.get(url).status_code == 404, url
    with app.app_context():
        other_member = db.session.scalar(select(CohortMember.id).where(
            CohortMember.cohort_id == world.other_cohort))
    assert trainer.post(f"/cohorts/{world.cohort}/roster/{other_member}/remove").status_code == 404
    with app.app_context():
        assert db.session.get(CohortMember, other_member).status == "active"


def test_lists_show_only_ones_own_cohorts(app, world):
    trainer = client_for(app, world.trainer).get("/cohorts/").get_data(as_text=True)
    assert "Test workshop" in trainer and "Other workshop" not in trainer
    co = client_for(app, world.co_trainer).get("/cohorts/").get_data(as_text=True)
    assert "Test workshop" in co and "Other workshop" not in co
    admin = client_for(app, world.admin).get("/cohorts/").get_data(as_text=True)
    assert "Test workshop" in admin and "Other workshop" in admin
    learner = client_for(app, world.learner).get("/cohorts/").get_data(as_text=True)
    assert "Test workshop" in learner and "Other workshop" not in learner
    assert "Create a workshop" not in learner
    mine = client_for(app, world.learner).get("/courses/mine").get_data(as_text=True)
    assert f"/cohorts/{world.cohort}/" in mine
    home = client_for(app, world.learner).get("/home").get_data(as_text=True)
    assert "My workshops" in home and f"/cohorts/{world.cohort}/" in home


def test_a_demoted_trainer_loses_access(app, world):
    with app.app_context():
        from app.auth.models import User

        db.session.get(User, world.co_trainer).role = "learner"
        db.session.commit()
    assert client_for(app, world.co_trainer).get(
        f"/cohorts/{world.cohort}/manage").status_code == 404
