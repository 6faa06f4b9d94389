"""Self-assessment rounds and their answers. Framework texts live in files
(assessments/README.md); rows refer to them by slugs and question ids."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false

from app.assessments.constants import INSTITUTIONS, RESPONSES, ROUND_ROLES, STATUSES
from app.core.db import UTCDateTime, utcnow
from app.extensions import db


def _one_of(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


_LEVEL_OK = "level IS NULL OR (level >= 0 AND level <= 4)"
_RESPONSE_OK = f"response IS NULL OR {_one_of('response', RESPONSES)}"


class FrameworkVersion(db.Model):
    """One imported version of a framework's files (`flask assessments import`)."""

    __tablename__ = "assessment_framework_versions"
    __table_args__ = (UniqueConstraint("framework_slug", "content_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    framework_slug: Mapped[str] = mapped_column(String(80), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    version_label: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    domains: Mapped[int] = mapped_column(Integer)
    questions: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Round(db.Model):
    """One country's assessment with one framework, e.g. Jordan 2026."""

    __tablename__ = "assessment_rounds"
    __table_args__ = (
        UniqueConstraint("country", "framework_slug", "label"),
        CheckConstraint(_one_of("status", STATUSES), name="status_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ISO 3166-1 alpha-2 code.
    country: Mapped[str] = mapped_column(String(2), index=True)
    #: The round's name, usually a year ("2026").
    label: Mapped[str] = mapped_column(String(20))
    framework_slug: Mapped[str] = mapped_column(String(80))
    #: The framework version and content hash when the round was created.
    framework_version: Mapped[str] = mapped_column(String(40))
    framework_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    #: {domain slug: [institution, ...]}: who answers which domain.
    routing: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    validated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    #: Answers, consensus and scores frozen at validation (no personal names).
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    #: The round this one was started from ("Start the next round"): answers and
    #: consensus were carried over from it. A plain id (no foreign key), so that
    #: adding it never rebuilds this table; a deleted round simply is not found.
    previous_id: Mapped[int | None] = mapped_column(Integer)
    #: The focal point lets the validated scores count in anonymised benchmarks
    #: (aggregates of at least 5 countries, never a ranking). Off by default.
    benchmark_opt_in: Mapped[bool] = mapped_column(Boolean, default=False,
                                                   server_default=false())

    members: Mapped[list["Membership"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Membership.id")

    def routed(self, domain: str) -> list[str]:
        return list((self.routing or {}).get(domain, []))

    def domains_for(self, institution: str | None) -> list[str]:
        return [d for d, insts in (self.routing or {}).items() if institution in insts]

    @property
    def frozen(self) -> bool:
        return self.status == "validated"


class Membership(db.Model):
    """A person's role and institution in a round. Starts as an invitation to an
    e-mail address; accepting it binds the account (user_id)."""

    __tablename__ = "assessment_members"
    __table_args__ = (
        UniqueConstraint("round_id", "email"),
        UniqueConstraint("round_id", "user_id"),
        CheckConstraint(_one_of("role", ROUND_ROLES), name="role_valid"),
        CheckConstraint(_one_of("institution", INSTITUTIONS), name="institution_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                                index=True)
    #: The invited address (lower-case).
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(20))
    institution: Mapped[str] = mapped_column(String(30))
    #: Part of the invitation link; a new nonce invalidates older links.
    nonce: Mapped[str] = mapped_column(String(32))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    round: Mapped[Round] = relationship(back_populates="members")
    user = relationship("User", foreign_keys=[user_id], lazy="joined")

    @property
    def accepted(self) -> bool:
        return self.user_id is not None


class Answer(db.Model):
    """One institution's answer to one question. Colleagues of the same institution
    share it; ``version`` grows with every save (optimistic concurrency: a save
    made from an older version is refused, never silently applied)."""

    __tablename__ = "assessment_answers"
    __table_args__ = (
        UniqueConstraint("round_id", "institution", "question_id"),
        CheckConstraint(_LEVEL_OK, name="level_valid"),
        CheckConstraint(_RESPONSE_OK, name="response_valid"),
        CheckConstraint("target_level IS NULL OR (target_level >= 0 AND target_level <= 4)",
                        name="target_level_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id", ondelete="CASCADE"),
                                          index=True)
    institution: Mapped[str] = mapped_column(String(30))
    domain: Mapped[str] = mapped_column(String(80))
    question_id: Mapped[str] = mapped_column(String(80))
    response: Mapped[str | None] = mapped_column(String(16))
    level: Mapped[int | None] = mapped_column(Integer)
    evidence_links: Mapped[list] = mapped_column(JSON, default=list)
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    target_level: Mapped[int | None] = mapped_column(Integer)
    target_year: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: "web" or "workbook": how the last save arrived.
    source: Mapped[str] = mapped_column(String(10), default="web")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    updated_by = relationship("User", foreign_keys=[updated_by_id], lazy="joined")

    # The UPDATE carries "WHERE version = <version read>": a concurrent save
    # between our read and our write makes ours fail instead of overwriting.
    __mapper_args__ = {"version_id_col": version}


class EvidenceFile(db.Model):
    """A document attached to an institution's answer (a law, an agreement…).
    Stored by app/core/uploads.py under a random name; served only to members."""

    __tablename__ = "assessment_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id", ondelete="CASCADE"),
                                          index=True)
    institution: Mapped[str] = mapped_column(String(30))
    question_id: Mapped[str] = mapped_column(String(80))
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Consensus(db.Model):
    """The level agreed for a question, recorded by a facilitator with a justification."""

    __tablename__ = "assessment_consensus"
    __table_args__ = (
        UniqueConstraint("round_id", "question_id"),
        CheckConstraint(_LEVEL_OK, name="level_valid"),
        CheckConstraint(_RESPONSE_OK, name="response_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id", ondelete="CASCADE"),
                                          index=True)
    domain: Mapped[str] = mapped_column(String(80))
    question_id: Mapped[str] = mapped_column(String(80))
    response: Mapped[str | None] = mapped_column(String(16))
    level: Mapped[int | None] = mapped_column(Integer)
    justification: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Copied from the previous round when this round was started from it, and
    #: not confirmed yet (saving the consensus clears it).
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    decided_by = relationship("User", foreign_keys=[decided_by_id], lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class WorkbookImport(db.Model):
    """An uploaded offline workbook, checked and waiting for confirmation.
    Nothing reaches the answers until the uploader confirms the preview."""

    __tablename__ = "assessment_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id", ondelete="CASCADE"),
                                          index=True)
    institution: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    #: [{question_id, values, base_version, base_fp}] parsed from the workbook.
    rows: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="pending")   # applied, discarded
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The plan's tables belong to this feature too (app/assessments/plan/models.py).
from app.assessments.plan import models as _plan_models  # noqa: E402,F401
