"""Sessions and attendance: trainer marks, the paper sheet, QR check-in inside
and outside its window, the printable sign-in sheet and the calendar file."""

import io
import re
from datetime import UTC, timedelta

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select

from app.cohorts import schedule
from app.cohorts.models import Attendance, CohortSession
from app.core.db import utcnow
from app.extensions import db
from tests.integration import test_cohorts_support as support
from tests.integration.test_cohorts_support import (
    add_session,
    client_for,
    join,
)

world = support.world    # fixtures


def marks(app, session_id):
    with app.app_context():
        return {a.member_id: (a.status, a.method) for a in db.session.scalars(
            select(Attendance).where(Attendance.session_id == session_id))}


def qr_path(app, session_id) -> str:
    with app.app_context():
        session = db.session.get(CohortSession, session_id)
        return schedule.checkin_url(session).removeprefix("http://localhost")


def test_adding_a_session_in_the_cohort_time_zone(app, world):
    trainer = client_for(app, world.trainer)
    response = trainer.post(f"/cohorts/{world.cohort}/sessions", data={
        "topic": "Census data", "day": "2026-03-10", "start": "09:00", "end": "12:30",
        "place": "", "meeting_url": ""})
    assert response.status_code == 302
    with app.app_context():
        session = db.session.scalar(select(CohortSession).where(
            CohortSession.topic == "Census data"))
        assert session.starts_at.astimezone(UTC).hour == 9       # Dakar is UTC+0
    response = trainer.post(f"/cohorts/{world.cohort}/sessions", data={
        "topic": "Backwards", "day": "2026-03-10", "start": "12:00", "end": "09:00"})
    assert response.status_code == 400 and "end after it starts" in response.get_data(
        as_text=True)
    page = trainer.get(f"/cohorts/{world.cohort}/sessions").get_data(as_text=True)
    assert "Census data" in page and "Africa/Dakar" in page


def test_times_follow_the_cohort_time_zone(app, make_user):
    from tests.integration.test_cohorts_support import make_cohort

    trainer = make_user("trainer")
    cohort = make_cohort(app, trainer, timezone="America/Bogota")
    client = client_for(app, trainer)
    client.post(f"/cohorts/{cohort}/sessions", data={
        "topic": "Bogotá morning", "day": "2026-03-10", "start": "09:00", "end": "10:00"})
    with app.app_context():
        session = db.session.scalar(select(CohortSession))
        assert session.starts_at.astimezone(UTC).hour == 14
        session_id = session.id
    page = client.get(f"/cohorts/{cohort}/sessions/{session_id}/edit").get_data(as_text=True)
    assert 'value="09:00"' in page


def test_trainer_marks_attendance_and_rates_follow(app, world, make_user):
    second = make_user(email="second@example.org", full_name="Second Learner")
    second_member = join(app, world.cohort, second)
    trainer = client_for(app, world.trainer)
    page = trainer.get(f"/cohorts/{world.cohort}/sessions/{world.session}").get_data(
        as_text=True)
    assert "<fieldset" in page and "<legend>Léa Learner" in page
    response = trainer.post(f"/cohorts/{world.cohort}/sessions/{world.session}", data={
        f"m{world.member}": "present", f"m{second_member}": "absent"})
    assert response.status_code == 302
    assert marks(app, world.session) == {world.member: ("present", "trainer"),
                                         second_member: ("absent", "trainer")}
    # The second session, from the paper sheet; excused does not count.
    later = add_session(app, world.cohort, start=utcnow() - timedelta(days=1))
    trainer.post(f"/cohorts/{world.cohort}/sessions/{later}", data={
        f"m{world.member}": "excused", f"m{second_member}": "present", "from_sheet": "y"})
    assert marks(app, later)[second_member] == ("present", "sheet")
    grid = trainer.get(f"/cohorts/{world.cohort}/attendance").get_data(as_text=True)
    assert "100%" in grid and "(1/1)" in grid      # Léa: 1 present, 1 excused
    assert "50%" in grid and "(1/2)" in grid       # Second: 1 of 2
    sessions = trainer.get(f"/cohorts/{world.cohort}/sessions").get_data(as_text=True)
    assert "50%" in sessions                       # first session: 1 of 2 present
    # A mark for someone outside the cohort is refused, nothing saved.
    response = trainer.post(f"/cohorts/{world.cohort}/sessions/{world.session}", data={
        "m999999": "present", f"m{world.member}": "absent"})
    assert marks(app, world.session)[world.member] == ("present", "trainer")
    # The learner sees their own attendance.
    learner_page = client_for(app, world.learner).get(f"/cohorts/{world.cohort}/").get_data(
        as_text=True)
    assert "My attendance:" in learner_page and "100%" in learner_page


def test_qr_check_in_inside_the_window_marks_once(app, world):
    now = utcnow()
    session = add_session(app, world.cohort, start=now - timedelta(minutes=30), hours=2,
                          topic="Live session")
    trainer = client_for(app, world.trainer)
    page = trainer.get(f"/cohorts/{world.cohort}/sessions/{session}").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page and "/cohorts/checkin/" in page
    path = qr_path(app, session)
    assert path in page
    learner = client_for(app, world.learner)
    confirm = learner.get(path)
    assert confirm.status_code == 200 and "mark me present" in confirm.get_data(as_text=True)
    assert learner.post(path).status_code == 302
    assert learner.post(path).status_code == 302                      # twice = once
    assert marks(app, session) == {world.member: ("present", "qr")}
    with app.app_context():
        assert len(db.session.scalars(select(Attendance).where(
            Attendance.session_id == session)).all()) == 1
    assert "already marked present" in learner.get(path).get_data(as_text=True)


def test_qr_check_in_outside_the_window_is_refused(app, world):
    now = utcnow()
    early = add_session(app, world.cohort, start=now + timedelta(minutes=16), hours=1)
    soon = add_session(app, world.cohort, start=now + timedelta(minutes=14), hours=1)
    late = add_session(app, world.cohort, start=now - timedelta(hours=1, minutes=16), hours=1)
    lately = add_session(app, world.cohort, start=now - timedelta(hours=1, minutes=14), hours=1)
    learner = client_for(app, world.learner)
    response = learner.get(qr_path(app, early))
    assert response.status_code == 400 and "opens at" in response.get_data(as_text=True)
    assert learner.post(qr_path(app, early)).status_code == 400
    response = learner.post(qr_path(app, late))
    assert response.status_code == 400 and "closed at" in response.get_data(as_text=True)
    assert learner.post(qr_path(app, soon)).status_code == 302      # 15 minutes before: open
    assert learner.post(qr_path(app, lately)).status_code == 302    # 15 minutes after: open
    assert marks(app, early) == {} and marks(app, late) == {}
    assert marks(app, soon) and marks(app, lately)


def test_the_grace_is_a_setting(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "COHORT_CHECKIN_GRACE_MINUTES", 0)
    session = add_session(app, world.cohort, start=utcnow() + timedelta(minutes=5), hours=1)
    assert client_for(app, world.learner).post(qr_path(app, session)).status_code == 400


def test_qr_of_another_cohort_or_forged_is_refused(app, world):
    now = utcnow()
    theirs = add_session(app, world.other_cohort, start=now - timedelta(minutes=5))
    learner = client_for(app, world.learner)
    response = learner.post(qr_path(app, theirs))
    assert response.status_code == 403 and "not a member" in response.get_data(as_text=True)
    assert marks(app, theirs) == {}
    path = qr_path(app, theirs)
    assert learner.get(path[:-3] + "abc").status_code == 400                 # tampered
    assert client_for(app, world.outsider).post(qr_path(app, theirs)).status_code == 403
    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


def test_a_qr_code_stops_working_when_the_session_is_moved_earlier(app, world):
    session = add_session(app, world.cohort, start=utcnow() - timedelta(minutes=10))
    path = qr_path(app, session)
    with app.app_context():
        row = db.session.get(CohortSession, session)
        row.starts_at -= timedelta(days=1)
        row.ends_at -= timedelta(days=1)
        db.session.commit()
    assert client_for(app, world.learner).post(path).status_code == 400


@pytest.mark.pdf
def test_sign_in_sheet_pdf(app, world, make_user):
    join(app, world.cohort, make_user(full_name="Second Person", organisation="Ministry X"))
    trainer = client_for(app, world.trainer)
    response = trainer.get(f"/cohorts/{world.cohort}/sessions/{world.session}/sign-in-sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842       # A4
    text = reader.pages[0].extract_text()
    assert "Léa Learner" in text and "Second Person" in text and "Ministry X" in text
    assert "Test workshop" in text and "Signature" in text
    with_qr = trainer.get(
        f"/cohorts/{world.cohort}/sessions/{world.session}/sign-in-sheet.pdf?qr=1")
    assert with_qr.status_code == 200 and len(with_qr.data) > len(response.data)
    assert client_for(app, world.learner).get(
        f"/cohorts/{world.cohort}/sessions/{world.session}/sign-in-sheet.pdf").status_code == 403


def test_calendar_file(app, world):
    learner = client_for(app, world.learner)
    response = learner.get(f"/cohorts/{world.cohort}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"].startswith("attachment")
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]) == "Test workshop"
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    event = events[0]
    with app.app_context():
        session = db.session.get(CohortSession, world.session)
        assert event.decoded("dtstart") == session.starts_at.replace(microsecond=0)
        assert event.decoded("dtend") == session.ends_at.replace(microsecond=0)
    assert str(event["summary"]) == "Test workshop: Session"
    assert str(event["location"]) == "Room 1" and str(event["url"]).startswith("https://meet.")
    assert str(event["uid"]).startswith(f"cohort-{world.cohort}-session-{world.session}@")
    raw = response.data.decode()
    assert re.search(r"DTSTART:\d{8}T\d{6}Z", raw)        # proper UTC times
    assert client_for(app, world.outsider).get(
        f"/cohorts/{world.cohort}/calendar.ics").status_code == 404


def test_a_session_with_attendance_cannot_be_deleted(app, world):
    trainer = client_for(app, world.trainer)
    trainer.post(f"/cohorts/{world.cohort}/sessions/{world.session}",
                 data={f"m{world.member}": "present"})
    response = trainer.post(f"/cohorts/{world.cohort}/sessions/{world.session}/delete",
                            follow_redirects=True)
    assert "cannot be deleted" in response.get_data(as_text=True)
    future = add_session(app, world.cohort, start=utcnow() + timedelta(days=3))
    assert trainer.post(f"/cohorts/{world.cohort}/sessions/{future}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(CohortSession, future) is None
