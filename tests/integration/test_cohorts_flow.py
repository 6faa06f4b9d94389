"""The trainer's flow: create a workshop, import the roster (preview, confirm,
invitations), invitees register through their link, learners join with the
code (capacity, closed, rotated), a learner is removed."""

from datetime import timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.cohorts.models import Attendance, Cohort, CohortMember, RosterImport
from app.courses.models import Enrolment
from app.extensions import db
from tests.conftest import PASSWORD, outbox_messages
from tests.integration import test_cohorts_support as support
from tests.integration.test_cohorts_support import (
    COURSE,
    FILES,
    client_for,
    code_of,
    csrf_free_upload,
    join,
    links_in,
    make_cohort,
)

jobs_sync, world = support.jobs_sync, support.world    # fixtures


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def cohort_form(**overrides):
    data = {"name": "Migration statistics, Dakar", "course": COURSE, "starts_on": "2026-03-02",
            "ends_on": "2026-03-06", "mode": "in_person", "venue": "ANSD, Dakar",
            "meeting_url": "", "timezone": "africa/dakar", "capacity": "40",
            "min_attendance": "75", "co_trainers": ""}
    data.update(overrides)
    return data


def test_a_trainer_creates_a_workshop(app, make_user):
    trainer = make_user("trainer")
    make_user("trainer", email="colleague@example.org", full_name="Col League")
    client = client_for(app, trainer)
    assert client.get("/cohorts/new").status_code == 200
    response = client.post("/cohorts/new", data=cohort_form(co_trainers="colleague@example.org"))
    assert response.status_code == 302
    with app.app_context():
        cohort = db.session.scalar(select(Cohort))
        assert cohort.timezone == "Africa/Dakar" and cohort.capacity == 40
        assert sorted(t.role for t in cohort.trainers) == ["co", "lead"]
        assert len(cohort.join_code) == 8 and cohort.join_enabled
        code = cohort.join_code
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{code[:4]}-{code[4:]}" in page and f"/cohorts/join/{code}" in page


def test_the_workshop_form_explains_bad_values(app, make_user, login_as, client):
    trainer = make_user("trainer")
    trainer_client = client_for(app, trainer)
    response = trainer_client.post("/cohorts/new", data=cohort_form(timezone="Mars/Olympus"))
    assert response.status_code == 400 and "time zone from the list" in response.get_data(
        as_text=True)
    response = trainer_client.post("/cohorts/new", data=cohort_form(co_trainers="x@example.org"))
    assert response.status_code == 400 and "No trainer account uses" in response.get_data(
        as_text=True)
    response = trainer_client.post("/cohorts/new", data=cohort_form(ends_on="2026-03-01"))
    assert response.status_code == 400 and "cannot be before" in response.get_data(as_text=True)
    assert count(app, Cohort) == 0
    login_as("learner")
    assert client.get("/cohorts/new").status_code == 403
    assert client.post("/cohorts/new", data=cohort_form()).status_code == 403


def upload(client, cohort_id, name, data=None):
    return csrf_free_upload(client, f"/cohorts/{cohort_id}/roster/import", name,
                            data if data is not None else (FILES / name).read_bytes())


def test_csv_preview_then_confirm_invites_and_the_invitee_registers(app, make_user, jobs_sync):
    trainer = make_user("trainer")
    cohort = make_cohort(app, trainer)
    client = client_for(app, trainer)
    response = upload(client, cohort, "roster-30.csv")
    assert response.status_code == 302 and "/roster/import/" in response.headers["Location"]
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "New: 30" in page and "participant30@example.org" in page
    assert count(app, CohortMember) == 0 and outbox_messages(app) == []     # nothing yet
    response = client.post(preview_url + "/confirm")
    assert response.status_code == 302
    assert count(app, CohortMember, CohortMember.status == "invited") == 30
    messages = outbox_messages(app)
    assert len(messages) == 30
    assert {m["To"] for m in messages} == {f"participant{i:02d}@example.org"
                                           for i in range(1, 31)}
    roster = client.get(f"/cohorts/{cohort}/roster").get_data(as_text=True)
    assert "Invited, not joined yet (30)" in roster
    # The preview cannot be confirmed twice.
    assert client.post(preview_url + "/confirm").status_code == 404

    # Uploading the same file again changes nothing.
    response = upload(client, cohort, "roster-30.csv")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "New: 0" in page and "Unchanged: 30" in page and "already invited" in page
    client.post(response.headers["Location"] + "/confirm")
    assert count(app, CohortMember) == 30 and len(outbox_messages(app)) == 30

    # The invitee follows the link, creates an account and is in.
    message = next(m for m in messages if m["To"] == "participant07@example.org")
    link = links_in(message.get_content(), "/cohorts/invitations/")[0]
    path = link.removeprefix("http://localhost")
    visitor = app.test_client()
    page = visitor.get(path).get_data(as_text=True)
    assert "Create your account and join" in page and "participant07@example.org" in page
    response = visitor.post(path + "/register", data={
        "full_name": "Aisha Bello", "organisation": "NPC", "country": "NG", "locale": "en",
        "password": PASSWORD, "confirm": PASSWORD, "consent": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/cohorts/{cohort}/")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "participant07@example.org"))
        assert user.is_verified and user.full_name == "Aisha Bello"
        member = db.session.scalar(select(CohortMember).where(CohortMember.user_id == user.id))
        assert member.status == "active" and member.cohort_id == cohort
        assert db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id,
                                                         Enrolment.course_slug == COURSE))
    assert visitor.get(f"/cohorts/{cohort}/").status_code == 200
    # The same link afterwards just says so.
    assert "already been accepted" in visitor.get(path).get_data(as_text=True)


def test_an_invitee_with_an_account_signs_in_and_accepts(app, make_user, jobs_sync):
    trainer = make_user("trainer")
    existing = make_user(email="participant02@example.org")
    other = make_user(email="someone.else@example.org")
    cohort = make_cohort(app, trainer)
    client = client_for(app, trainer)
    response = upload(client, cohort, "roster-30.csv")
    client.post(response.headers["Location"] + "/confirm")
    message = next(m for m in outbox_messages(app) if m["To"] == "participant02@example.org")
    assert "Sign in with this e-mail address" in message.get_content()
    path = links_in(message.get_content(), "/cohorts/invitations/")[0].removeprefix(
        "http://localhost")
    assert "Sign in to accept" in app.test_client().get(path).get_data(as_text=True)
    # Someone else's account cannot take the invitation.
    assert client_for(app, other).post(path + "/accept").status_code == 403
    invitee = client_for(app, existing)
    assert invitee.post(path + "/accept").status_code == 302
    assert invitee.get(f"/cohorts/{cohort}/").status_code == 200
    # Pending invitations are listed on the workshops page.
    with app.app_context():
        assert count(app, CohortMember, CohortMember.status == "active") == 1


def test_a_removed_invitation_link_stops_working(app, make_user, jobs_sync):
    trainer = make_user("trainer")
    cohort = make_cohort(app, trainer)
    client = client_for(app, trainer)
    response = upload(client, cohort, "roster-30.csv")
    client.post(response.headers["Location"] + "/confirm")
    message = next(m for m in outbox_messages(app) if m["To"] == "participant05@example.org")
    path = links_in(message.get_content(), "/cohorts/invitations/")[0].removeprefix(
        "http://localhost")
    with app.app_context():
        member_id = db.session.scalar(select(CohortMember.id).where(
            CohortMember.email == "participant05@example.org"))
    assert client.post(f"/cohorts/{cohort}/roster/{member_id}/remove").status_code == 302
    response = app.test_client().get(path)
    assert response.status_code == 400 and "no longer valid" in response.get_data(as_text=True)
    assert app.test_client().get("/cohorts/invitations/not-a-token").status_code == 404


def test_bad_files_are_refused_and_nothing_is_stored(app, make_user):
    trainer = make_user("trainer")
    cohort = make_cohort(app, trainer)
    client = client_for(app, trainer)
    response = upload(client, cohort, "missing-columns.csv")
    assert response.status_code == 400
    assert "no column for: full name" in response.get_data(as_text=True)
    big = "\n".join(["email,full name"] + [f"p{i}@example.org,P {i}" for i in range(10_000)])
    response = upload(client, cohort, "big.csv", big.encode())
    assert response.status_code == 400 and "10,000 rows" in response.get_data(as_text=True)
    response = upload(client, cohort, "roster.xlsx", b"PK\x03\x04 not really")
    assert response.status_code == 400 and "is not a CSV file" in response.get_data(as_text=True)
    app.config["COHORT_CSV_MAX_BYTES"], limit = 100, app.config["COHORT_CSV_MAX_BYTES"]
    try:
        response = upload(client, cohort, "roster-30.csv")
        assert response.status_code == 400 and "larger than" in response.get_data(as_text=True)
    finally:
        app.config["COHORT_CSV_MAX_BYTES"] = limit
    assert count(app, RosterImport) == 0 and count(app, CohortMember) == 0


def test_row_errors_and_formulas_are_shown_and_skipped(app, make_user, jobs_sync):
    trainer = make_user("trainer")
    cohort = make_cohort(app, trainer)
    client = client_for(app, trainer)
    response = upload(client, cohort, "formulas.csv")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Errors: 5" in page and "formulas are not accepted" in page
    assert "HYPERLINK" not in page
    client.post(response.headers["Location"] + "/confirm")
    with app.app_context():
        emails = db.session.scalars(select(CohortMember.email)).all()
    assert emails == ["f6@example.org"]
    notes = {}
    for name in ("utf8-bom.csv", "semicolons.csv", "cp1252.csv", "extra-columns.csv"):
        response = upload(client, cohort, name)
        assert response.status_code == 302, name
        notes[name] = page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Errors: 0" in page, name
    assert "Windows-1252" in notes["cp1252.csv"] and "Hélène Lefèvre" in notes["cp1252.csv"]
    assert "Columns ignored: Phone, Notes." in notes["extra-columns.csv"]
    assert "Côte d&#39;Ivoire" in notes["semicolons.csv"] or "Côte d’Ivoire" in notes[
        "semicolons.csv"]


def test_a_preview_belongs_to_its_trainer_and_cohort_and_expires(app, world):
    trainer = client_for(app, world.trainer)
    response = upload(trainer, world.cohort, "roster-30.csv")
    preview = response.headers["Location"]
    token = preview.rsplit("/", 1)[1]
    assert client_for(app, world.co_trainer).get(preview).status_code == 404
    assert client_for(app, world.other_trainer).get(preview).status_code == 404
    assert client_for(app, world.other_trainer).get(
        f"/cohorts/{world.other_cohort}/roster/import/{token}").status_code == 404
    assert client_for(app, world.learner).get(preview).status_code == 403
    with app.app_context():
        pending = db.session.scalar(select(RosterImport))
        pending.expires_at = pending.created_at - timedelta(seconds=1)
        db.session.commit()
    assert trainer.get(preview).status_code == 404
    assert trainer.post(preview + "/confirm").status_code == 404
    assert count(app, CohortMember, CohortMember.status == "invited") == 0


def test_discarding_an_upload_imports_nothing(app, world):
    trainer = client_for(app, world.trainer)
    response = upload(trainer, world.cohort, "roster-30.csv")
    assert trainer.post(response.headers["Location"] + "/discard").status_code == 302
    assert count(app, CohortMember, CohortMember.status == "invited") == 0
    assert trainer.get(response.headers["Location"]).status_code == 404


# --- joining with the code -----------------------------------------------------------------

def test_join_with_the_code_typed_loosely(app, make_user):
    trainer = make_user("trainer")
    cohort = make_cohort(app, trainer)
    code = code_of(app, cohort)
    learner = make_user()
    client = client_for(app, learner)
    assert client.get("/cohorts/join").status_code == 200
    response = client.post("/cohorts/join", data={"code": f" {code[:4].lower()}-{code[4:]} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/cohorts/join/{code}")
    page = client.get(f"/cohorts/join/{code}").get_data(as_text=True)
    assert "Join the workshop" in page
    response = client.post(f"/cohorts/join/{code}")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/cohorts/{cohort}/")
    with app.app_context():
        member = db.session.scalar(select(CohortMember).where(CohortMember.user_id == learner))
        assert member.status == "active" and member.source == "code"
        assert db.session.scalar(select(Enrolment.id).where(Enrolment.user_id == learner))
    # Twice is once.
    client.post(f"/cohorts/join/{code}")
    assert count(app, CohortMember) == 1
    assert "already in this workshop" in client.get(f"/cohorts/join/{code}").get_data(
        as_text=True)
    # Wrong codes.
    response = client.post("/cohorts/join", data={"code": "ABC"})
    assert response.status_code == 400 and "8 letters and digits" in response.get_data(
        as_text=True)
    unknown = "ABCDEFGH" if code != "ABCDEFGH" else "HGFEDCBA"
    response = client.get(f"/cohorts/join/{unknown}")
    assert response.status_code == 404 and "No workshop has this code" in response.get_data(
        as_text=True)


def test_visitors_are_asked_to_sign_in_first(app, make_user, client):
    cohort = make_cohort(app, make_user("trainer"))
    code = code_of(app, cohort)
    page = client.get(f"/cohorts/join/{code}").get_data(as_text=True)
    assert "Sign in to join" in page
    response = client.post(f"/cohorts/join/{code}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert count(app, CohortMember) == 0


def test_a_full_workshop_refuses_to_join(app, make_user):
    cohort = make_cohort(app, make_user("trainer"), capacity=1)
    code = code_of(app, cohort)
    join(app, cohort, make_user())
    late = client_for(app, make_user())
    assert "This workshop is full (1 places)" in late.get(f"/cohorts/join/{code}").get_data(
        as_text=True)
    response = late.post(f"/cohorts/join/{code}", follow_redirects=True)
    assert "This workshop is full" in response.get_data(as_text=True)
    assert count(app, CohortMember) == 1


def test_closed_and_rotated_codes(app, make_user):
    trainer = make_user("trainer")
    cohort = make_cohort(app, trainer)
    trainer_client = client_for(app, trainer)
    learner = client_for(app, make_user())
    old = code_of(app, cohort)
    assert trainer_client.post(f"/cohorts/{cohort}/code/disable").status_code == 302
    assert "closed" in learner.get(f"/cohorts/join/{old}").get_data(as_text=True)
    learner.post(f"/cohorts/join/{old}")
    assert count(app, CohortMember) == 0
    trainer_client.post(f"/cohorts/{cohort}/code/enable")
    trainer_client.post(f"/cohorts/{cohort}/code/rotate")
    new = code_of(app, cohort)
    assert new != old
    assert learner.get(f"/cohorts/join/{old}").status_code == 404
    assert learner.post(f"/cohorts/join/{old}").status_code == 404
    assert learner.post(f"/cohorts/join/{new}").status_code == 302
    assert count(app, CohortMember, CohortMember.status == "active") == 1


def test_removing_a_learner_keeps_history_and_blocks_return(app, world):
    add_session_marks = client_for(app, world.trainer)
    add_session_marks.post(f"/cohorts/{world.cohort}/sessions/{world.session}",
                           data={f"m{world.member}": "present"})
    response = add_session_marks.post(f"/cohorts/{world.cohort}/roster/{world.member}/remove")
    assert response.status_code == 302
    with app.app_context():
        member = db.session.get(CohortMember, world.member)
        assert member.status == "removed" and member.removed_at is not None
        assert member.removed_by_id == world.trainer
    assert count(app, Attendance, Attendance.member_id == world.member) == 1
    learner = client_for(app, world.learner)
    assert learner.get(f"/cohorts/{world.cohort}/").status_code == 404
    code = code_of(app, world.cohort)
    assert "removed you" in learner.get(f"/cohorts/join/{code}").get_data(as_text=True)
    assert learner.post(f"/cohorts/join/{code}", follow_redirects=True).status_code == 200
    with app.app_context():
        assert db.session.get(CohortMember, world.member).status == "removed"
    roster = add_session_marks.get(f"/cohorts/{world.cohort}/roster").get_data(as_text=True)
    assert "Removed (1)" in roster


def test_editing_the_workshop(app, world):
    trainer = client_for(app, world.trainer)
    page = trainer.get(f"/cohorts/{world.cohort}/edit").get_data(as_text=True)
    assert "co.a@example.org" in page and 'list="timezones"' in page
    response = trainer.post(f"/cohorts/{world.cohort}/edit", data=cohort_form(
        name="Renamed", capacity="25", co_trainers=""))
    assert response.status_code == 302
    with app.app_context():
        cohort = db.session.get(Cohort, world.cohort)
        assert cohort.name == "Renamed" and [t.role for t in cohort.trainers] == ["lead"]
    # The co-trainer removed from the team no longer sees it.
    assert client_for(app, world.co_trainer).get(
        f"/cohorts/{world.cohort}/manage").status_code == 404
    response = trainer.post(f"/cohorts/{world.cohort}/edit", data=cohort_form(capacity="0"))
    assert response.status_code == 400
