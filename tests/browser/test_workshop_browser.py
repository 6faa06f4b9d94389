"""A trainer runs a workshop end to end in the browser: creates it, imports a
30-line roster (preview, confirm, invitations e-mailed), learners join (with the
code, and through an e-mailed invitation), two sessions are held (attendance
marked on screen, and by the learner's QR check-in), the learner downloads the
calendar, and the trainer issues the certificates in one action and downloads
them as a ZIP. The learner's side runs with JavaScript and without."""

import io
import re
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import FIXTURES, PASSWORD, complete_course, outbox_messages

pytestmark = pytest.mark.browser
COURSE = "field-basics"
COURSE_TITLE = "Field basics: counting people who move"
WORKSHOP = "Migration statistics, Dakar"
ROSTER = FIXTURES / "cohorts" / "roster-30.csv"
NEW_PASSWORD = "violet tractor under sixteen lanterns"


@pytest.fixture
def jobs_sync(live_app, monkeypatch):
    """The live server's background jobs (invitation e-mails, bulk certificates)
    finish before the request that queued them answers; restored afterwards."""
    monkeypatch.setitem(live_app.config, "JOBS_SYNCHRONOUS", True)


def workshop_clock() -> tuple[str, datetime]:
    """A time zone where it is now between 01:00 and 21:59, and the time there, so
    that a session from ten minutes ago to an hour from now fits in one day."""
    for zone in ("Africa/Dakar", "Asia/Tokyo"):     # UTC+0 and UTC+9: one always fits
        now = datetime.now(ZoneInfo(zone))
        if 1 <= now.hour <= 21:
            return zone, now
    raise AssertionError("unreachable: Dakar or Tokyo is always between 01:00 and 21:59")


def qr_of(live_app, link: str) -> str:
    from app.cohorts.schedule import qr_svg_data_uri

    with live_app.app_context():
        return qr_svg_data_uri(link)


def unfolded(ics: str) -> str:
    """iCalendar folds long lines (CRLF + space); undo it to search the text."""
    return ics.replace("\r\n ", "").replace("\r\n\t", "")


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width + 1


@pytest.mark.parametrize("learner_js", [True, False], ids=["learner-js", "learner-no-js"])
def test_a_trainer_runs_a_workshop_from_roster_to_certificates(
        new_page, make_user, live_app, jobs_sync, learner_js):
    make_user("trainer", email="trainer@example.org", full_name="Tariq Trainer", locale="en")
    learner = make_user("learner", email="lena@example.org", full_name="Lena Learner",
                        locale="en")
    zone, now = workshop_clock()
    today = now.date()

    # --- the trainer creates the workshop ------------------------------------------------
    trainer = new_page(axe=True)
    sign_in(trainer, "trainer@example.org", PASSWORD)
    trainer.goto("/cohorts/")
    trainer.get_by_role("link", name="Create a workshop").click()
    expect(trainer.get_by_role("heading", level=1, name="Create a workshop")).to_be_visible()
    trainer.get_by_label("Name of the workshop").fill(WORKSHOP)
    trainer.get_by_label("Course", exact=True).select_option(COURSE)
    trainer.get_by_label("First day").fill((today - timedelta(days=1)).isoformat())
    trainer.get_by_label("Last day").fill((today + timedelta(days=3)).isoformat())
    trainer.get_by_label("How it is run").select_option("in_person")
    trainer.get_by_label("Venue").fill("ANSD, Dakar")
    trainer.get_by_label("Time zone").fill(zone)
    trainer.get_by_label("Places").fill("40")
    trainer.get_by_label("Minimum attendance for the certificate (%)").fill("75")
    trainer.get_by_role("button", name="Create the workshop").click()

    expect(trainer.get_by_role("heading", level=1, name=WORKSHOP)).to_be_visible()
    expect(trainer.get_by_text("The workshop is created.")).to_be_visible()
    manage_url = trainer.url
    cohort_id = int(re.search(r"/cohorts/(\d+)/manage", manage_url).group(1))
    join_section = trainer.get_by_role("region", name="Join code")
    code = join_section.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    expect(join_section.get_by_text(f"/cohorts/join/{code.replace('-', '')}")).to_be_visible()
    assert_accessible(trainer, "the trainer's workshop page")

    # --- roster: upload, preview, confirm, invitations in the outbox ---------------------
    trainer.get_by_role("link", name="Invite learners from a CSV file").click()
    trainer.get_by_label("Roster file (CSV)").set_input_files(str(ROSTER))
    trainer.get_by_role("button", name="Check the file").click()
    expect(trainer.get_by_role("heading", level=1, name="Check before inviting")).to_be_visible()
    expect(trainer.get_by_text("New: 30")).to_be_visible()
    expect(trainer.get_by_text("Errors: 0")).to_be_visible()
    lines = trainer.get_by_role("region", name="Lines of the file")
    expect(lines.locator("tbody tr")).to_have_count(30)
    expect(lines.get_by_role("cell", name="participant30@example.org")).to_be_visible()
    assert outbox_messages(live_app) == []           # nothing is sent before confirming
    assert_accessible(trainer, "the roster preview")
    trainer.get_by_role("button", name="Invite 30 learner(s)").click()
    expect(trainer.get_by_text("30 invitation(s) created")).to_be_visible()
    expect(trainer.get_by_role("heading", name="Invited, not joined yet (30)")).to_be_visible()
    invitations = outbox_messages(live_app)
    assert {m["To"] for m in invitations} == {f"participant{i:02d}@example.org"
                                              for i in range(1, 31)}

    # --- a learner joins with the code shown on the workshop page --------------------------
    lena = new_page(javascript=learner_js, width=360, axe=learner_js)
    sign_in(lena, "lena@example.org", PASSWORD)
    lena.goto("/cohorts/")
    lena.get_by_role("link", name="Join a workshop with a code").click()
    lena.get_by_label("Workshop code").fill(code.lower().replace("-", " "))   # typed loosely
    lena.get_by_role("button", name="Continue").click()
    expect(lena.get_by_role("heading", name=f"Join the workshop “{WORKSHOP}”")).to_be_visible()
    lena.get_by_role("button", name="Join the workshop").click()
    expect(lena.get_by_text(f"Welcome to the workshop “{WORKSHOP}”.")).to_be_visible()
    expect(lena.get_by_role("heading", level=1, name=WORKSHOP)).to_be_visible()
    # Lena completes the course now: completing it once she has the attendance
    # would issue her certificate at once, leaving nothing for the bulk action.
    complete_course(live_app, learner)

    # --- an invitee follows the e-mailed link and creates an account -----------------------
    message = next(m for m in invitations if m["To"] == "participant02@example.org")
    link = re.search(r"https?://\S+/cohorts/invitations/\S+", message.get_content()).group(0)
    kwame = new_page(javascript=learner_js)
    kwame.goto(urlsplit(link).path)
    expect(kwame.get_by_role("heading", name="Create your account and join")).to_be_visible()
    expect(kwame.get_by_label("Full name")).to_have_value("Kwame Mensah")
    kwame.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    kwame.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    kwame.get_by_label(re.compile("I have read the privacy notice")).check()
    kwame.get_by_role("button", name="Create my account and join").click()
    expect(kwame.get_by_text("you are in the workshop")).to_be_visible()
    expect(kwame.get_by_role("heading", level=1, name=WORKSHOP)).to_be_visible()

    # --- two sessions: one held yesterday, one running now ---------------------------------
    trainer.goto(manage_url)
    trainer.get_by_role("link", name="Plan the sessions and take attendance").click()
    start = now - timedelta(minutes=10)
    for topic, day, starts, ends in (
            ("Stocks and flows", today - timedelta(days=1), "09:00", "12:00"),
            ("Census questions", today, f"{start:%H:%M}",
             f"{now + timedelta(hours=1):%H:%M}")):
        trainer.get_by_label("Topic").fill(topic)
        trainer.get_by_label("Date", exact=True).fill(day.isoformat())
        trainer.get_by_label("Starts at").fill(starts)
        trainer.get_by_label("Ends at").fill(ends)
        trainer.get_by_role("button", name="Add the session").click()
        expect(trainer.get_by_text("The session is added.")).to_be_visible()
    sessions = trainer.get_by_role("region", name="Sessions")
    expect(sessions.locator("tbody tr")).to_have_count(2)

    # Attendance of the first session, marked on screen.
    sessions.get_by_role("link", name="Stocks and flows").click()
    expect(trainer.get_by_role("heading", level=1, name="Stocks and flows")).to_be_visible()
    assert_accessible(trainer, "the session page, where attendance is marked")
    trainer.get_by_role("group", name="Lena Learner").get_by_label("Present").check()
    trainer.get_by_role("group", name="Kwame Mensah").get_by_label("Absent").check()
    trainer.get_by_role("button", name="Save attendance").click()
    expect(trainer.get_by_text("Attendance saved (2 change(s)).")).to_be_visible()
    expect(trainer.get_by_role("group", name="Lena Learner").get_by_label("Present")
           ).to_be_checked()

    # The second session shows the QR code of its check-in link.
    trainer.get_by_role("link", name="Sessions", exact=True).click()
    trainer.get_by_role("region", name="Sessions").get_by_role(
        "link", name="Census questions").click()
    checkin = trainer.get_by_role("region", name="Check-in code")
    qr = checkin.get_by_role("img", name="QR code to check in to this session")
    expect(qr).to_be_visible()
    checkin.get_by_text("The link in the code").click()
    link = checkin.locator("code").inner_text().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/cohorts/checkin/\S+", link), link
    assert qr.get_attribute("src") == qr_of(live_app, link)     # the QR encodes that link

    # --- the learner checks in with the link in the QR code --------------------------------
    lena.goto(urlsplit(link).path)
    expect(lena.get_by_role("heading", name="Check in: Census questions")).to_be_visible()
    assert fits(lena, 360), "the check-in page is wider than a 360 px screen"
    lena.get_by_role("button", name="I am here: mark me present").click()
    expect(lena.get_by_text("Thank you: you are marked present for “Census questions”.")
           ).to_be_visible()
    lena.goto(urlsplit(link).path)                                 # scanning twice is once
    expect(lena.get_by_text("You are already marked present for this session.")
           ).to_be_visible()

    # --- the trainer's attendance grid ------------------------------------------------------
    trainer.get_by_role("link", name="Attendance", exact=True).click()
    grid = trainer.get_by_role("region", name="Attendance of each learner at each session")
    expect(grid.get_by_role("row", name=re.compile("Lena Learner"))).to_contain_text(
        "100% (2/2)")
    expect(grid.get_by_role("row", name=re.compile("Kwame Mensah"))).to_contain_text("0% (0/2)")
    assert_accessible(trainer, "the attendance grid")

    # --- the learner's workshop page and calendar -------------------------------------------
    lena.get_by_role("link", name="Go to the workshop page").click()
    expect(lena.get_by_role("heading", level=1, name=WORKSHOP)).to_be_visible()
    progress = lena.get_by_role("region", name="My progress")
    expect(progress).to_contain_text("My attendance: 100% (2/2)")
    expect(progress.get_by_text("Course completed")).to_be_visible()
    schedule = lena.get_by_role("region", name="Sessions")
    expect(schedule.get_by_role("row", name=re.compile("Census questions"))).to_contain_text(
        "Present")
    assert fits(lena, 360), "the learner's workshop page is wider than a 360 px screen"
    if learner_js:
        assert_accessible(lena, "the learner's workshop page")
    with lena.expect_download() as info:
        lena.get_by_role("link", name="Add the sessions to my calendar (.ics file)").click()
    download = info.value
    assert download.suggested_filename == f"workshop-{cohort_id}.ics"
    ics = unfolded(Path(download.path()).read_text(encoding="utf-8"))
    assert ics.startswith("BEGIN:VCALENDAR")
    assert ics.count("BEGIN:VEVENT") == 2
    assert f"SUMMARY:{WORKSHOP}: Census questions" in ics.replace("\\,", ",")
    assert f"DTSTART:{start.astimezone(ZoneInfo('UTC')):%Y%m%dT%H%M}00Z" in ics

    # --- certificates in one action -----------------------------------------------------------
    trainer.goto(manage_url)
    trainer.get_by_role("link", name="Issue the certificates").click()
    expect(trainer.get_by_text("Eligible, not issued yet: 1")).to_be_visible()
    trainer.get_by_role("button", name="Issue 1 certificate(s)").click()
    expect(trainer.get_by_role("heading", name="Background task")).to_be_visible()
    expect(trainer.get_by_role("status").filter(has_text="Finished.")).to_be_visible()
    expect(trainer.get_by_text("Certificates issued")).to_be_visible()
    trainer.goto(f"/cohorts/{cohort_id}/certificates")
    expect(trainer.get_by_text("Issued: 1")).to_be_visible()
    waiting = trainer.get_by_role("region", name="Learners not eligible yet, and why")
    kwame_row = waiting.get_by_role("row", name=re.compile("Kwame Mensah"))
    expect(kwame_row).to_contain_text("has not started the course")
    expect(kwame_row).to_contain_text("attendance 0% < 75%")
    expect(waiting.get_by_role("row")).to_have_count(2)             # header + Kwame
    issued = trainer.get_by_role("region", name="Certificates issued to the workshop's learners")
    expect(issued.get_by_role("row", name=re.compile("Lena Learner"))).to_be_visible()
    with trainer.expect_download() as info:
        trainer.get_by_role("link", name="Download all PDFs (ZIP)").click()
    with zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes())) as archive:
        names = archive.namelist()
        assert len(names) == 1 and names[0].endswith(".pdf") and "Lena Learner" in names[0]
        assert archive.read(names[0]).startswith(b"%PDF")

    # The learner sees it too.
    lena.reload()
    expect(lena.get_by_text("Certificate issued")).to_be_visible()
    lena.get_by_role("link", name="My certificates").click()
    expect(lena.get_by_text(COURSE_TITLE)).to_be_visible()
