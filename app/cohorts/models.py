"""Workshop cohorts: a group of learners taking one course together with trainers.

A cohort refers to its course by slug (the catalogue is in files). A learner's
progress in a cohort is their ordinary Enrolment for that course; the cohort
adds membership, sessions, attendance, announcements and materials.

    Cohort 1─* CohortTrainer *─1 User          (lead and co-trainers)
    Cohort 1─* CohortMember  *─1 User          (invited -> active -> removed)
    Cohort 1─* CohortSession 1─* Attendance *─1 CohortMember
    Cohort 1─* Announcement, Material, RosterImport (a CSV waiting for confirmation)
    Cohort 1─* CohortFeedback *─1 CohortMember   (the end-of-workshop survey, one per member)

Times are stored in UTC (UTCDateTime); ``Cohort.timezone`` (IANA name) is used
to enter and show them. Attendance rates are computed by the pure functions of
app/cohorts/attendance.py, never stored.
"""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, utcnow
from app.extensions import db

MODES = ("in_person", "online", "blended")
MEMBER_STATUSES = ("invited", "active", "removed")
TRAINER_ROLES = ("lead", "co")
MARKS = ("present", "absent", "excused")
MARK_METHODS = ("trainer", "qr", "sheet")
IMPORT_STATUSES = ("pending", "confirmed", "discarded")
#: Optional, entered by the trainers from their own registration list (roster CSV
#: column "sex"), never asked of the learner by the platform; NULL: not recorded.
SEXES = ("female", "male", "other", "not_stated")
FEEDBACK_COMMENT_MAX = 1000


def _one_of(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Cohort(db.Model):
    """One workshop run on one course."""

    __tablename__ = "cohorts"
    __table_args__ = (
        CheckConstraint(_one_of("mode", MODES), name="mode_valid"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("min_attendance >= 0 AND min_attendance <= 100",
                        name="min_attendance_percent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_slug: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(12), default="in_person")
    venue: Mapped[str | None] = mapped_column(String(300))
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    #: IANA time zone name (zoneinfo), used to enter and show session times.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    #: Most active members at once; joining is refused beyond it.
    capacity: Mapped[int] = mapped_column(Integer, default=30)
    #: Certificate rule: course completed and attendance rate >= this percentage.
    min_attendance: Mapped[int] = mapped_column(Integer, default=75)
    #: 8 characters from codes.ALPHABET; rotating it makes the old one stop working.
    join_code: Mapped[str] = mapped_column(String(8), unique=True)
    join_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The pre-test learners take before the first module: None (no pre-test),
    #: "final" (the course's final exam) or the slug of a module with a knowledge
    #: check. The post-test is the learner's first counted attempt at the same quiz.
    pretest_quiz: Mapped[str | None] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    trainers: Mapped[list["CohortTrainer"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", passive_deletes=True,
        order_by="CohortTrainer.id")
    sessions: Mapped[list["CohortSession"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", passive_deletes=True,
        order_by="CohortSession.starts_at")


class CohortTrainer(db.Model):
    """A trainer of a cohort: the lead (who created it) or a co-trainer; equal rights."""

    __tablename__ = "cohort_trainers"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        CheckConstraint(_one_of("role", TRAINER_ROLES), name="role_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(8), default="co")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="trainers")
    user = relationship("User", lazy="joined")


class CohortMember(db.Model):
    """A learner's place in a cohort.

    ``invited`` (by the roster CSV; ``user_id`` may still be empty) -> ``active``
    (joined by code or accepted the invitation: the learner is enrolled in the
    course) -> ``removed`` (by a trainer; the row and its attendance are kept).
    """

    __tablename__ = "cohort_members"
    __table_args__ = (
        UniqueConstraint("cohort_id", "email"),
        UniqueConstraint("cohort_id", "user_id"),
        CheckConstraint(_one_of("status", MEMBER_STATUSES), name="status_valid"),
        CheckConstraint(_one_of("sex", SEXES), name="sex_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                                index=True)
    #: The address invited or used to join (lower-case); cleared when the account is erased.
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    #: As given in the roster file, shown until the person has an account.
    invited_name: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    #: ISO 3166-1 alpha-2 code, from the roster file.
    country: Mapped[str | None] = mapped_column(String(2))
    #: One of SEXES or NULL (not recorded): only for counts in the workshop report.
    sex: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="invited", index=True)
    #: How the person came in: "csv" (invitation) or "code".
    source: Mapped[str] = mapped_column(String(8), default="code")
    #: Part of the invitation link; a new nonce invalidates older links.
    nonce: Mapped[str | None] = mapped_column(String(32))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id], lazy="joined")

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.full_name
        return self.invited_name or self.email or "—"

    @property
    def display_organisation(self) -> str | None:
        return (self.user.organisation if self.user is not None else None) or self.organisation


class CohortSession(db.Model):
    """One dated session of a cohort (a morning, a webinar…)."""

    __tablename__ = "cohort_sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    topic: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Room or address; empty means the cohort's venue.
    place: Mapped[str | None] = mapped_column(String(300))
    #: Online link; empty means the cohort's meeting link.
    meeting_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="sessions")


class Attendance(db.Model):
    """One learner's mark for one session (at most one; a later mark replaces it)."""

    __tablename__ = "cohort_attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "member_id"),
        CheckConstraint(_one_of("status", MARKS), name="status_valid"),
        CheckConstraint(_one_of("method", MARK_METHODS), name="method_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("cohort_sessions.id", ondelete="CASCADE"),
                                            index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("cohort_members.id", ondelete="CASCADE"),
                                           index=True)
    status: Mapped[str] = mapped_column(String(8))
    #: "trainer" (marked on the session page), "qr" (learner's check-in) or
    #: "sheet" (entered afterwards from the paper sign-in sheet).
    method: Mapped[str] = mapped_column(String(8), default="trainer")
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Announcement(db.Model):
    """A trainer's message to the cohort: shown on the cohort page and e-mailed."""

    __tablename__ = "cohort_announcements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Plain text (shown escaped, line breaks kept).
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: How many members the e-mail job reached (None until it has run).
    emailed_to: Mapped[int | None] = mapped_column(Integer)

    author = relationship("User", lazy="joined")


class Material(db.Model):
    """A file the trainers share with the cohort. Stored by app/core/uploads.py
    (area "cohorts") under a random name outside the web root; served as an
    attachment only to the cohort's trainers and active members."""

    __tablename__ = "cohort_materials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    title: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RosterImport(db.Model):
    """A roster CSV checked and waiting for the trainer's confirmation. Nothing
    is invited before confirmation; the preview lives here (server side), keyed
    by a random token and bound to the cohort and the trainer who uploaded it."""

    __tablename__ = "cohort_imports"
    __table_args__ = (CheckConstraint(_one_of("status", IMPORT_STATUSES), name="status_valid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    #: [{line, email, full_name, organisation, country, status, errors}] (roster_csv.Row).
    rows: Mapped[list] = mapped_column(JSON)
    #: File-level notes (encoding, ignored columns).
    notes: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def _rating(column: str) -> str:
    return f"{column} IS NULL OR ({column} >= 1 AND {column} <= 5)"


class CohortFeedback(db.Model):
    """A learner's answers to the end-of-workshop survey (at most one per member).

    Ratings are 1–5 (NULL: not answered). ``pace`` runs from 1 "far too slow"
    through 3 "about right" to 5 "far too fast". Results are only ever shown in
    aggregate, from 5 answers on (app/cohorts/aggregates.py). When the account
    is erased the comment is deleted and the ratings stay, anonymous.
    """

    __tablename__ = "cohort_feedback"
    __table_args__ = (
        UniqueConstraint("member_id"),
        CheckConstraint(_rating("relevance"), name="relevance_1_5"),
        CheckConstraint(_rating("content"), name="content_1_5"),
        CheckConstraint(_rating("trainer"), name="trainer_1_5"),
        CheckConstraint(_rating("pace"), name="pace_1_5"),
        CheckConstraint(_rating("apply"), name="apply_1_5"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("cohort_members.id", ondelete="CASCADE"))
    relevance: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[int | None] = mapped_column(Integer)
    trainer: Mapped[int | None] = mapped_column(Integer)
    pace: Mapped[int | None] = mapped_column(Integer)
    apply: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def answers(self) -> dict:
        return {"relevance": self.relevance, "content": self.content, "trainer": self.trainer,
                "pace": self.pace, "apply": self.apply, "comment": self.comment}
