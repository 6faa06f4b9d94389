"""Sessions, attendance (by the trainer, from the paper sheet, or by the
learner's QR check-in) and the calendar file.

QR check-in: the trainer's session page shows a QR code of a link carrying a
signed token {session, cohort, expiry = end + grace}. The learner must be
signed in and an active member of that cohort; the check-in is accepted from
``start - grace`` to ``end + grace`` (COHORT_CHECKIN_GRACE_MINUTES) and is
idempotent.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.cohorts import attendance, times
from app.cohorts.access import CohortAccess, load_cohort, membership_of
from app.cohorts.models import MARKS, Attendance, Cohort, CohortMember, CohortSession
from app.cohorts.services import URL_PATTERN
from app.core import audit
from app.core.db import utcnow
from app.core.errors import Forbidden, NotFound, ValidationError
from app.core.urls import external_url
from app.extensions import db

MAX_SESSION = timedelta(hours=12)


# --- sessions --------------------------------------------------------------------------

@dataclass
class SessionValues:
    topic: str
    day: date | None
    start: time | None
    end: time | None
    place: str = ""
    meeting_url: str = ""


def _check(cohort: Cohort, values: SessionValues) -> tuple[datetime, datetime]:
    values.topic = (values.topic or "").strip()
    if not values.topic or len(values.topic) > 200:
        raise ValidationError(_l("Give the session a topic (at most 200 characters)."),
                              field="topic")
    if values.day is None:
        raise ValidationError(_l("Enter the date."), field="day")
    if values.start is None:
        raise ValidationError(_l("Enter the start time."), field="start")
    if values.end is None:
        raise ValidationError(_l("Enter the end time."), field="end")
    try:
        starts_at = times.to_utc(values.day, values.start, cohort.timezone)
        ends_at = times.to_utc(values.day, values.end, cohort.timezone)
    except times.BadLocalTime as exc:
        raise ValidationError(_l("This time does not exist in %(zone)s (the clocks change "
                                 "that day). Choose another time.", zone=cohort.timezone),
                              field="start") from exc
    if ends_at <= starts_at:
        raise ValidationError(_l("The session must end after it starts."), field="end")
    if ends_at - starts_at > MAX_SESSION:
        raise ValidationError(_l("A session lasts at most 12 hours; split longer events into "
                                 "several sessions."), field="end")
    values.place = (values.place or "").strip()
    if len(values.place) > 300:
        raise ValidationError(_l("Use at most %(max)d characters.", max=300), field="place")
    values.meeting_url = (values.meeting_url or "").strip()
    if values.meeting_url and (len(values.meeting_url) > 500
                               or not URL_PATTERN.match(values.meeting_url)):
        raise ValidationError(_l("Enter a web address starting with https://"),
                              field="meeting_url")
    return starts_at, ends_at


def add_session(user, cohort_id: int, values: SessionValues) -> CohortSession:
    access = load_cohort(user, cohort_id, run=True)
    starts_at, ends_at = _check(access.cohort, values)
    session = CohortSession(cohort_id=cohort_id, topic=values.topic, starts_at=starts_at,
                            ends_at=ends_at, place=values.place or None,
                            meeting_url=values.meeting_url or None)
    db.session.add(session)
    db.session.flush()
    audit.record("cohorts.session_added", actor=user, subject=f"cohort:{cohort_id}",
                 session=session.id)
    return session


def session_of(access: CohortAccess, session_id: int) -> CohortSession:
    session = db.session.get(CohortSession, session_id)
    if session is None or session.cohort_id != access.cohort.id:
        raise NotFound()
    return session


def update_session(user, cohort_id: int, session_id: int,
                   values: SessionValues) -> CohortSession:
    access = load_cohort(user, cohort_id, run=True)
    session = session_of(access, session_id)
    session.starts_at, session.ends_at = _check(access.cohort, values)
    session.topic = values.topic
    session.place, session.meeting_url = values.place or None, values.meeting_url or None
    db.session.flush()
    return session


def delete_session(user, cohort_id: int, session_id: int) -> None:
    access = load_cohort(user, cohort_id, run=True)
    session = session_of(access, session_id)
    if db.session.scalar(select(Attendance.id).where(Attendance.session_id == session.id)
                         .limit(1)) is not None:
        raise ValidationError(_l("Attendance is already recorded for this session: it cannot "
                                 "be deleted."))
    db.session.delete(session)
    db.session.flush()
    audit.record("cohorts.session_deleted", actor=user, subject=f"cohort:{cohort_id}",
                 session=session_id)


def values_of(cohort: Cohort, session: CohortSession) -> SessionValues:
    start = times.to_local(session.starts_at, cohort.timezone)
    end = times.to_local(session.ends_at, cohort.timezone)
    return SessionValues(topic=session.topic, day=start.date(), start=start.time(),
                         end=end.time(), place=session.place or "",
                         meeting_url=session.meeting_url or "")


def place_of(cohort: Cohort, session: CohortSession) -> str:
    return session.place or cohort.venue or ""


def link_of(cohort: Cohort, session: CohortSession) -> str:
    return session.meeting_url or cohort.meeting_url or ""


# --- attendance by the trainer ---------------------------------------------------------

def _upsert(session_id: int, member_id: int, status: str, method: str, by_id: int | None,
            existing: Attendance | None) -> bool:
    """Create or change one mark; True if something changed."""
    if existing is not None:
        if existing.status == status:
            return False
        existing.status, existing.method = status, method
        existing.marked_at, existing.marked_by_id = utcnow(), by_id
        return True
    db.session.add(Attendance(session_id=session_id, member_id=member_id, status=status,
                              method=method, marked_by_id=by_id))
    return True


def record_marks(user, cohort_id: int, session_id: int, marks: dict[int, str], *,
                 from_sheet: bool = False) -> int:
    """Save the trainer's marks ({member id: present|absent|excused}) for the
    session's active members; members left out keep their mark. Returns how
    many marks changed."""
    access = load_cohort(user, cohort_id, run=True)
    session = session_of(access, session_id)
    active = set(db.session.scalars(select(CohortMember.id).where(
        CohortMember.cohort_id == cohort_id, CohortMember.status == "active")))
    for member_id, status in marks.items():
        if member_id not in active:
            raise ValidationError(_l("The attendance list has changed: reload the page."))
        if status not in MARKS:
            raise ValidationError(_l("Choose present, absent or excused."))
    existing = {a.member_id: a for a in db.session.scalars(select(Attendance).where(
        Attendance.session_id == session.id))}
    method = "sheet" if from_sheet else "trainer"
    changed = sum(_upsert(session.id, member_id, status, method, user.id,
                          existing.get(member_id)) for member_id, status in marks.items())
    db.session.flush()
    if changed:
        audit.record("cohorts.attendance_marked", actor=user, subject=f"cohort:{cohort_id}",
                     session=session.id, changed=changed, method=method)
    return changed


# --- QR check-in -----------------------------------------------------------------------

def _grace() -> timedelta:
    return timedelta(minutes=current_app.config["COHORT_CHECKIN_GRACE_MINUTES"])


def _checkin_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cohort-checkin")


def checkin_token(session: CohortSession) -> str:
    expiry = session.ends_at + _grace()
    return _checkin_serializer().dumps({"s": session.id, "c": session.cohort_id,
                                        "x": int(expiry.timestamp())})


def checkin_url(session: CohortSession) -> str:
    return external_url("cohorts.checkin", token=checkin_token(session))


def checkin_window(session: CohortSession) -> tuple[datetime, datetime]:
    return attendance.checkin_window(session.starts_at, session.ends_at, _grace())


def qr_svg_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=6, border=2, dark="#1b1f24")


@dataclass
class CheckIn:
    session: CohortSession
    cohort: Cohort
    member: CohortMember
    already: bool = False


def _session_for_token(token: str) -> tuple[CohortSession, dict]:
    try:
        data = _checkin_serializer().loads(token)
    except BadSignature as exc:
        raise ValidationError(_l("This check-in code is not valid. Scan the code shown by "
                                 "your trainer again.")) from exc
    if not isinstance(data, dict):
        raise ValidationError(_l("This check-in code is not valid."))
    session = db.session.get(CohortSession, data.get("s"))
    if session is None or session.cohort_id != data.get("c"):
        raise NotFound()
    return session, data


def check_state(user, token: str, now: datetime | None = None) -> CheckIn:
    """Everything that must hold for a check-in, without writing anything."""
    now = now or utcnow()
    session, data = _session_for_token(token)
    member = membership_of(user, session.cohort_id)
    if member is None or member.status != "active":
        raise Forbidden(_l("This check-in code belongs to a workshop you are not a member of. "
                           "Check that you scanned the code of your own workshop."))
    cohort = db.session.get(Cohort, session.cohort_id)
    state = attendance.checkin_state(now, session.starts_at, session.ends_at, _grace())
    if state == attendance.OPEN and now.timestamp() > float(data.get("x", 0)):
        state = attendance.TOO_LATE       # the session was moved earlier since printing
    opens, closes = checkin_window(session)
    if state == attendance.TOO_EARLY:
        raise ValidationError(_l("Check-in for “%(topic)s” opens at %(time)s (%(zone)s).",
                                 topic=session.topic,
                                 time=f"{times.to_local(opens, cohort.timezone):%Y-%m-%d %H:%M}",
                                 zone=cohort.timezone))
    if state == attendance.TOO_LATE:
        raise ValidationError(_l("Check-in for “%(topic)s” closed at %(time)s (%(zone)s). "
                                 "Ask your trainer to mark your attendance.",
                                 topic=session.topic,
                                 time=f"{times.to_local(closes, cohort.timezone):%Y-%m-%d %H:%M}",
                                 zone=cohort.timezone))
    existing = db.session.scalar(select(Attendance).where(
        Attendance.session_id == session.id, Attendance.member_id == member.id))
    return CheckIn(session, cohort, member,
                   already=existing is not None and existing.status == attendance.PRESENT)


def check_in(user, token: str, now: datetime | None = None) -> CheckIn:
    """Mark the learner present; scanning twice marks once."""
    found = check_state(user, token, now)
    if found.already:
        return found
    existing = db.session.scalar(select(Attendance).where(
        Attendance.session_id == found.session.id, Attendance.member_id == found.member.id))
    try:
        with db.session.begin_nested():
            _upsert(found.session.id, found.member.id, attendance.PRESENT, "qr", user.id,
                    existing)
    except IntegrityError:      # the same learner scanning twice at the same moment
        found.already = True
        return found
    audit.record("cohorts.checked_in", actor=user, subject=f"cohort:{found.cohort.id}",
                 session=found.session.id)
    return found


# --- calendar --------------------------------------------------------------------------

def calendar_file(user, cohort_id: int) -> tuple[str, bytes]:
    """(file name, .ics bytes) of the cohort's sessions, in UTC."""
    from icalendar import Calendar, Event

    access = load_cohort(user, cohort_id)
    cohort = access.cohort
    host = current_app.config["PUBLIC_URL"].split("://", 1)[-1].split("/", 1)[0] or "localhost"
    calendar = Calendar()
    calendar.add("prodid", "-//Migration Data Academy//Workshops//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", cohort.name)
    stamp = utcnow()
    page = external_url("cohorts.page", cohort_id=cohort.id)
    sessions = db.session.scalars(select(CohortSession).where(
        CohortSession.cohort_id == cohort.id).order_by(CohortSession.starts_at))
    for session in sessions:
        event = Event()
        event.add("uid", f"cohort-{cohort.id}-session-{session.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", f"{cohort.name}: {session.topic}")
        place, link = place_of(cohort, session), link_of(cohort, session)
        if place or link:
            event.add("location", place or link)
        if link:
            event.add("url", link)
        event.add("description", "\n".join(p for p in (session.topic, place, link, page) if p))
        calendar.add_component(event)
    return f"workshop-{cohort.id}.ics", calendar.to_ical()
