"""Cohorts: creation and settings, trainers, join codes, joining, invitations
and the roster. Services take explicit arguments, check permission through
app/cohorts/access.py, flush but never commit (the view commits).

Sessions and attendance are in schedule.py, the CSV roster import in
imports.py, announcements and materials in content.py, cohort certificates in
certificates.py.
"""

import re
import secrets
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.auth import services as accounts
from app.auth.models import User
from app.certificates.models import Certificate
from app.cohorts import codes, times
from app.cohorts.access import CohortAccess, is_trainer, load_cohort
from app.cohorts.models import (
    MODES,
    Attendance,
    Cohort,
    CohortMember,
    CohortSession,
    CohortTrainer,
)
from app.core import audit, mail, permissions
from app.core.db import utcnow
from app.core.errors import Forbidden, NotFound, ValidationError
from app.core.urls import external_url
from app.courses import services as courses
from app.courses.catalogue import catalogue
from app.courses.loader import Course
from app.courses.models import Enrolment
from app.extensions import db

MAX_CAPACITY = 1000
URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


# --- settings --------------------------------------------------------------------------

@dataclass
class CohortValues:
    """What the cohort form edits."""

    course_slug: str
    name: str
    starts_on: date | None
    ends_on: date | None
    mode: str
    venue: str = ""
    meeting_url: str = ""
    timezone: str = "UTC"
    capacity: int | None = 30
    min_attendance: int | None = 75
    co_trainers: list[str] = field(default_factory=list)     # e-mail addresses
    #: None (no pre-test), "final" or a module slug (see Cohort.pretest_quiz).
    pretest_quiz: str | None = None


def course_of(cohort: Cohort) -> Course:
    course = catalogue().get(cohort.course_slug)
    if course is None:
        raise ValidationError(_l("The course of this workshop is no longer in the catalogue."))
    return course


def check_values(values: CohortValues) -> CohortValues:
    """The rules of a cohort's settings; returns the values normalised."""
    if catalogue().get(values.course_slug) is None:
        raise ValidationError(_l("Choose a course from the list."), field="course")
    values.name = (values.name or "").strip()
    if not values.name or len(values.name) > 200:
        raise ValidationError(_l("Name the workshop (at most 200 characters)."), field="name")
    if values.starts_on is None:
        raise ValidationError(_l("Enter the first day."), field="starts_on")
    if values.ends_on is None:
        raise ValidationError(_l("Enter the last day."), field="ends_on")
    if values.ends_on < values.starts_on:
        raise ValidationError(_l("The last day cannot be before the first day."),
                              field="ends_on")
    if values.mode not in MODES:
        raise ValidationError(_l("Choose how the workshop is run."), field="mode")
    values.venue = (values.venue or "").strip()
    if len(values.venue) > 300:
        raise ValidationError(_l("Use at most %(max)d characters.", max=300), field="venue")
    values.meeting_url = (values.meeting_url or "").strip()
    if values.meeting_url and (len(values.meeting_url) > 500
                               or not URL_PATTERN.match(values.meeting_url)):
        raise ValidationError(_l("Enter a web address starting with https://"),
                              field="meeting_url")
    zone = times.canonical_zone(values.timezone)
    if zone is None:
        raise ValidationError(_l("Enter a time zone from the list, like Africa/Dakar or "
                                 "Europe/Paris."), field="timezone")
    values.timezone = zone
    if values.capacity is None or not 1 <= values.capacity <= MAX_CAPACITY:
        raise ValidationError(_l("Enter a number of places between 1 and %(max)d.",
                                 max=MAX_CAPACITY), field="capacity")
    if values.min_attendance is None or not 0 <= values.min_attendance <= 100:
        raise ValidationError(_l("Enter a percentage between 0 and 100."),
                              field="min_attendance")
    values.pretest_quiz = values.pretest_quiz or None
    if values.pretest_quiz is not None and values.pretest_quiz not in pretest_choices(
            catalogue().get(values.course_slug)):
        raise ValidationError(_l("Choose the final exam or a knowledge check of the course "
                                 "for the pre-test."), field="pretest_quiz")
    return values


def pretest_choices(course: Course | None) -> list[str]:
    """Quizzes of the course that can serve as the pre-test: "final" first, then
    the modules with a knowledge check."""
    if course is None:
        return []
    edition = course.default
    return (["final"] if edition.final is not None else []) + [
        m.slug for m in edition.modules if m.quiz is not None]


def parse_emails(text: str | None) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or lines."""
    seen = []
    for part in re.split(r"[,;\s]+", text or ""):
        address = accounts.normalise_email(part)
        if address and address not in seen:
            seen.append(address)
    return seen


def _co_trainer_accounts(actor, addresses: list[str], lead_id: int | None) -> list[User]:
    found = []
    for address in addresses:
        user = accounts.find_by_email(address)
        if user is None or not permissions.has_role(user, "trainer", "admin"):
            raise ValidationError(_l("No trainer account uses “%(email)s”. Ask an administrator "
                                     "to give that person the trainer role first.",
                                     email=address), field="co_trainers")
        if user.id != lead_id and user not in found:
            found.append(user)
    return found


def _unique_code() -> str:
    for _attempt in range(20):
        code = codes.new_code()
        if db.session.scalar(select(Cohort.id).where(Cohort.join_code == code)) is None:
            return code
    raise RuntimeError("could not find a free join code")   # 31^8 codes: never in practice


def create_cohort(user, values: CohortValues) -> Cohort:
    permissions.require(user, "cohorts.create")
    values = check_values(values)
    co_trainers = _co_trainer_accounts(user, values.co_trainers, user.id)
    cohort = Cohort(course_slug=values.course_slug, name=values.name,
                    starts_on=values.starts_on, ends_on=values.ends_on, mode=values.mode,
                    venue=values.venue or None, meeting_url=values.meeting_url or None,
                    timezone=values.timezone, capacity=values.capacity,
                    min_attendance=values.min_attendance, join_code=_unique_code(),
                    join_enabled=True, pretest_quiz=values.pretest_quiz,
                    created_by_id=user.id)
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=user.id, role="lead"))
    for other in co_trainers:
        db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=other.id, role="co"))
    db.session.flush()
    audit.record("cohorts.created", actor=user, subject=f"cohort:{cohort.id}",
                 course=cohort.course_slug)
    return cohort


def update_cohort(user, cohort_id: int, values: CohortValues) -> Cohort:
    access = load_cohort(user, cohort_id, run=True)
    cohort = access.cohort
    values = check_values(values)
    active = active_count(cohort.id)
    if values.capacity < active:
        raise ValidationError(_l("%(n)d learners are already in the workshop: the number of "
                                 "places cannot be lower.", n=active), field="capacity")
    if values.course_slug != cohort.course_slug and active_count(cohort.id, any_status=True):
        raise ValidationError(_l("The course cannot change once learners are invited or "
                                 "have joined."), field="course")
    lead = next((t for t in cohort.trainers if t.role == "lead"), None)
    lead_id = lead.user_id if lead else None
    wanted = _co_trainer_accounts(user, values.co_trainers, lead_id)
    for name in ("course_slug", "name", "starts_on", "ends_on", "mode", "timezone",
                 "capacity", "min_attendance", "pretest_quiz"):
        setattr(cohort, name, getattr(values, name))
    cohort.venue, cohort.meeting_url = values.venue or None, values.meeting_url or None
    wanted_ids = {u.id for u in wanted}
    for trainer in list(cohort.trainers):
        if trainer.role == "co" and trainer.user_id not in wanted_ids:
            cohort.trainers.remove(trainer)
    present = {t.user_id for t in cohort.trainers}
    for other in wanted:
        if other.id not in present:
            cohort.trainers.append(CohortTrainer(user_id=other.id, role="co"))
    db.session.flush()
    audit.record("cohorts.updated", actor=user, subject=f"cohort:{cohort.id}")
    return cohort


def values_of(cohort: Cohort) -> CohortValues:
    return CohortValues(
        course_slug=cohort.course_slug, name=cohort.name, starts_on=cohort.starts_on,
        ends_on=cohort.ends_on, mode=cohort.mode, venue=cohort.venue or "",
        meeting_url=cohort.meeting_url or "", timezone=cohort.timezone,
        capacity=cohort.capacity, min_attendance=cohort.min_attendance,
        co_trainers=[t.user.email for t in cohort.trainers if t.role == "co"],
        pretest_quiz=cohort.pretest_quiz)


def trainer_names(cohort: Cohort) -> str:
    """The lead first, then the co-trainers (for pages and certificates)."""
    ordered = sorted(cohort.trainers, key=lambda t: (t.role != "lead", t.id))
    return ", ".join(t.user.full_name for t in ordered if t.user.deleted_at is None)


# --- join code -------------------------------------------------------------------------

def rotate_code(user, cohort_id: int) -> Cohort:
    cohort = load_cohort(user, cohort_id, run=True).cohort
    cohort.join_code = _unique_code()
    db.session.flush()
    audit.record("cohorts.code_rotated", actor=user, subject=f"cohort:{cohort.id}")
    return cohort


def set_joining(user, cohort_id: int, enabled: bool) -> Cohort:
    cohort = load_cohort(user, cohort_id, run=True).cohort
    cohort.join_enabled = enabled
    audit.record("cohorts.joining_" + ("enabled" if enabled else "disabled"), actor=user,
                 subject=f"cohort:{cohort.id}")
    return cohort


def invite_link(cohort: Cohort) -> str:
    return external_url("cohorts.join_code", code=cohort.join_code)


def cohort_for_code(code: str) -> Cohort:
    canonical = codes.normalise(code)
    cohort = canonical and db.session.scalar(select(Cohort).where(Cohort.join_code == canonical))
    if not cohort:
        raise NotFound(_l("No workshop has this code. Check it with your trainer: codes have "
                          "8 letters and digits."))
    return cohort


def active_count(cohort_id: int, *, any_status: bool = False) -> int:
    stmt = select(func.count()).select_from(CohortMember).where(
        CohortMember.cohort_id == cohort_id)
    if not any_status:
        stmt = stmt.where(CohortMember.status == "active")
    return db.session.scalar(stmt) or 0


@dataclass
class JoinState:
    """What the join page shows for one person and one code."""

    cohort: Cohort
    state: str          # open, closed, full, member, trainer, removed, anonymous
    course: Course | None


def join_state(user, code: str) -> JoinState:
    cohort = cohort_for_code(code)
    course = catalogue().get(cohort.course_slug)
    if not getattr(user, "is_authenticated", False):
        return JoinState(cohort, "anonymous", course)
    member = _membership_for(user, cohort.id)
    if is_trainer(user, cohort.id):
        state = "trainer"
    elif member is not None and member.status == "active":
        state = "member"
    elif member is not None and member.status == "removed":
        state = "removed"
    elif not cohort.join_enabled:
        state = "closed"
    elif active_count(cohort.id) >= cohort.capacity:
        state = "full"
    else:
        state = "open"
    return JoinState(cohort, state, course)


def _membership_for(user, cohort_id: int) -> CohortMember | None:
    """The person's row: by account, else an invitation to their address."""
    rows = db.session.scalars(select(CohortMember).where(
        CohortMember.cohort_id == cohort_id,
        or_(CohortMember.user_id == user.id,
            CohortMember.email == accounts.normalise_email(user.email)))).all()
    return next((m for m in rows if m.user_id == user.id), rows[0] if rows else None)


def join(user, code: str) -> CohortMember:
    """Join with the code (or the invite link that carries it)."""
    cohort = cohort_for_code(code)
    if not cohort.join_enabled:
        raise ValidationError(_l("Joining this workshop with a code is closed. Ask the "
                                 "trainers for an invitation."))
    return _activate(user, cohort, source="code")


def _activate(user, cohort: Cohort, *, member: CohortMember | None = None,
              source: str) -> CohortMember:
    """Make the person an active member and enrol them in the course."""
    if is_trainer(user, cohort.id):
        raise ValidationError(_l("You are a trainer of this workshop."))
    member = member or _membership_for(user, cohort.id)
    if member is not None and member.status == "active" and member.user_id == user.id:
        return member
    if member is not None and member.status == "removed":
        raise Forbidden(_l("The trainers have removed you from this workshop. Contact them "
                           "if you should be in it."))
    # One join at a time per cohort (PostgreSQL locks the row; SQLite has one writer).
    db.session.execute(select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    if active_count(cohort.id) >= cohort.capacity:
        raise ValidationError(_l("This workshop is full (%(n)d places). Ask the trainers.",
                                 n=cohort.capacity))
    course = course_of(cohort)
    now = utcnow()
    try:
        with db.session.begin_nested():
            if member is None:
                member = CohortMember(cohort_id=cohort.id, source=source)
                db.session.add(member)
            member.user_id = user.id
            member.email = accounts.normalise_email(user.email)
            member.status = "active"
            member.joined_at = now
    except IntegrityError:      # a double click: the other request made the same row
        existing = _membership_for(user, cohort.id)
        if existing is None:
            raise
        return existing
    courses.enrol(user, course)
    db.session.flush()
    audit.record("cohorts.joined", actor=user, subject=f"cohort:{cohort.id}", via=source)
    return member


# --- invitations -----------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="cohort-invite")


def invitation_token(member: CohortMember) -> str:
    return _serializer().dumps({"m": member.id, "n": member.nonce})


def invitation_link(member: CohortMember) -> str:
    return external_url("cohorts.invitation", token=invitation_token(member))


def invitation_from_token(token: str) -> CohortMember:
    try:
        data = _serializer().loads(token,
                                   max_age=current_app.config["COHORT_INVITATION_MAX_AGE"])
    except SignatureExpired as exc:
        raise ValidationError(_l("This invitation has expired. Ask the trainers to send it "
                                 "again, or join with the workshop's code.")) from exc
    except BadSignature as exc:
        raise NotFound() from exc
    member = db.session.get(CohortMember, data.get("m")) if isinstance(data, dict) else None
    if member is None or not member.nonce or member.nonce != data.get("n"):
        raise ValidationError(_l("This invitation is no longer valid. Ask the trainers to "
                                 "send it again."))
    return member


def accept_invitation(user, token: str) -> CohortMember:
    member = invitation_from_token(token)
    if member.status == "active" and member.user_id == user.id:
        return member
    if member.status != "invited":
        raise ValidationError(_l("This invitation is no longer valid. Ask the trainers to "
                                 "send it again."))
    if accounts.normalise_email(user.email) != member.email:
        raise Forbidden(_l("This invitation was sent to another e-mail address. Sign in with "
                           "that address (or create an account with it) to accept."))
    cohort = db.session.get(Cohort, member.cohort_id)
    return _activate(user, cohort, member=member, source="csv")


def register_and_accept(token: str, *, full_name, organisation, country, locale, password,
                        consent) -> User:
    """Create the invitee's account (they choose the password and accept the
    privacy notice) and join them. The link reached their mailbox, so their
    address counts as confirmed, as with a password-reset link."""
    member = invitation_from_token(token)
    if member.status != "invited":
        raise ValidationError(_l("This invitation is no longer valid. Ask the trainers to "
                                 "send it again."))
    if accounts.find_by_email(member.email) is not None:
        raise ValidationError(_l("An account already uses this address: sign in to accept "
                                 "the invitation."))
    user = accounts.register(email=member.email, full_name=full_name,
                             organisation=organisation, country=country, locale=locale,
                             password=password, consent=consent)
    if user is None:        # registered in the meantime
        raise ValidationError(_l("An account already uses this address: sign in to accept "
                                 "the invitation."))
    accounts.verify_email(accounts.verification_token(user))
    cohort = db.session.get(Cohort, member.cohort_id)
    _activate(user, cohort, member=member, source="csv")
    return user


def send_invitation(cohort: Cohort, member: CohortMember, inviter: User | None) -> None:
    """One invitation e-mail (the import sends many through a job, see jobs.py)."""
    account = accounts.find_by_email(member.email)
    locale = account.locale if account is not None else getattr(inviter, "locale", None) or "en"
    course = catalogue().get(cohort.course_slug)
    mail.send(member.email, _l("You are invited to the workshop “%(name)s”", name=cohort.name),
              "cohorts/email/invitation", locale=locale, member=member, cohort=cohort,
              course_title=course.edition(locale).title if course else cohort.course_slug,
              inviter=inviter, has_account=account is not None, link=invitation_link(member),
              days=current_app.config["COHORT_INVITATION_MAX_AGE"] // 86400)


def resend_invitation(user, cohort_id: int, member_id: int) -> CohortMember:
    access = load_cohort(user, cohort_id, run=True)
    member = member_of(access, member_id)
    if member.status != "invited":
        raise ValidationError(_l("This person is not waiting for an invitation."))
    member.invited_at = utcnow()
    send_invitation(access.cohort, member, user)
    return member


def pending_invitations(user) -> list[tuple[CohortMember, Cohort]]:
    """Invitations sent to the person's address and not accepted yet."""
    return list(db.session.execute(
        select(CohortMember, Cohort).join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(CohortMember.email == accounts.normalise_email(user.email),
               CohortMember.status == "invited")).all())


# --- roster ----------------------------------------------------------------------------

def member_of(access: CohortAccess, member_id: int) -> CohortMember:
    member = db.session.get(CohortMember, member_id)
    if member is None or member.cohort_id != access.cohort.id:
        raise NotFound()
    return member


def remove_member(user, cohort_id: int, member_id: int) -> CohortMember:
    """Take someone off the roster (or cancel their invitation). The row and its
    attendance are kept; the invitation link stops working."""
    access = load_cohort(user, cohort_id, run=True)
    member = member_of(access, member_id)
    if member.status == "removed":
        return member
    member.status = "removed"
    member.removed_at = utcnow()
    member.removed_by_id = user.id
    member.nonce = secrets.token_hex(16)
    db.session.flush()
    audit.record("cohorts.member_removed", actor=user, subject=f"cohort:{cohort_id}",
                 member=member.id)
    return member


def members(cohort_id: int, statuses=("active",)) -> list[CohortMember]:
    """Members with their accounts (one query), by name."""
    rows = db.session.scalars(select(CohortMember).where(
        CohortMember.cohort_id == cohort_id, CohortMember.status.in_(statuses))).unique().all()
    return sorted(rows, key=lambda m: (m.display_name.casefold(), m.id))


# --- lists -----------------------------------------------------------------------------

@dataclass
class CohortSummary:
    cohort: Cohort
    trainers: list[str]
    learners: int = 0
    invited: int = 0
    sessions: int = 0
    attendance_marks: int = 0
    certificates_issued: int = 0

    def as_json(self) -> dict:
        c = self.cohort
        return {"id": c.id, "course": c.course_slug, "name": c.name,
                "trainers": len(self.trainers), "learners": self.learners,
                "sessions": self.sessions, "attendance_marks": self.attendance_marks,
                "certificates_issued": self.certificates_issued,
                "trainer_names": self.trainers, "starts_on": c.starts_on.isoformat(),
                "ends_on": c.ends_on.isoformat(), "mode": c.mode, "invited": self.invited}


def summaries(cohort_ids: list[int] | None = None) -> list[CohortSummary]:
    """Cohorts with their counts, in a fixed number of queries whatever their size."""
    stmt = select(Cohort).options(selectinload(Cohort.trainers)).order_by(
        Cohort.starts_on.desc(), Cohort.id.desc())
    if cohort_ids is not None:
        if not cohort_ids:
            return []
        stmt = stmt.where(Cohort.id.in_(cohort_ids))
    cohorts = db.session.scalars(stmt).all()
    if not cohorts:
        return []
    ids = [c.id for c in cohorts]
    rows = {c.id: CohortSummary(c, [t.user.full_name for t in sorted(
        c.trainers, key=lambda t: (t.role != "lead", t.id))]) for c in cohorts}
    for cohort_id, status, count in db.session.execute(
            select(CohortMember.cohort_id, CohortMember.status, func.count())
            .where(CohortMember.cohort_id.in_(ids))
            .group_by(CohortMember.cohort_id, CohortMember.status)):
        if status == "active":
            rows[cohort_id].learners = count
        elif status == "invited":
            rows[cohort_id].invited = count
    for cohort_id, count in db.session.execute(
            select(CohortSession.cohort_id, func.count()).where(CohortSession.cohort_id.in_(ids))
            .group_by(CohortSession.cohort_id)):
        rows[cohort_id].sessions = count
    for cohort_id, count in db.session.execute(
            select(CohortSession.cohort_id, func.count(Attendance.id))
            .join(Attendance, Attendance.session_id == CohortSession.id)
            .where(CohortSession.cohort_id.in_(ids)).group_by(CohortSession.cohort_id)):
        rows[cohort_id].attendance_marks = count
    for cohort_id, count in db.session.execute(
            select(CohortMember.cohort_id, func.count(Certificate.id))
            .join(Cohort, Cohort.id == CohortMember.cohort_id)
            .join(Enrolment, (Enrolment.user_id == CohortMember.user_id)
                  & (Enrolment.course_slug == Cohort.course_slug))
            .join(Certificate, Certificate.current_for == Enrolment.id)
            .where(CohortMember.cohort_id.in_(ids), CohortMember.status == "active",
                   Certificate.revoked_at.is_(None))
            .group_by(CohortMember.cohort_id)):
        rows[cohort_id].certificates_issued = count
    return [rows[c.id] for c in cohorts]


def led_by(user) -> list[CohortSummary]:
    """The cohorts a trainer leads or co-leads; every cohort for an admin."""
    if permissions.has_role(user, "admin"):
        return summaries()
    if not permissions.has_role(user, "trainer"):
        return []
    ids = list(db.session.scalars(select(CohortTrainer.cohort_id).where(
        CohortTrainer.user_id == user.id)))
    return summaries(ids)


def my_cohorts(user) -> list[Cohort]:
    """Cohorts the person is an active member of (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id, CohortMember.status == "active")
        .order_by(Cohort.starts_on.desc())))


@dataclass
class InvitationPage:
    member: CohortMember
    cohort: Cohort
    course: Course | None
    has_account: bool


def invitation_page(token: str) -> InvitationPage:
    member = invitation_from_token(token)
    cohort = db.session.get(Cohort, member.cohort_id)
    return InvitationPage(member, cohort, catalogue().get(cohort.course_slug),
                          accounts.find_by_email(member.email or "") is not None)
