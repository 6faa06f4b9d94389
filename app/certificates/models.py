"""Issued certificates: an immutable snapshot of what was certified, plus its
lifecycle (revocation, supersession by a corrected re-issue)."""

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, utcnow
from app.extensions import db


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        # At most one current certificate per enrolment, even under concurrent
        # requests: `current_for` holds the enrolment id while the certificate is
        # current and is cleared when it is superseded (NULLs never collide).
        UniqueConstraint("current_for"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The public identifier (random, 80 bits + check character), without hyphens.
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    enrolment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolments.id", ondelete="SET NULL"), index=True)
    current_for: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)

    # The snapshot, as at issue time; never changed afterwards.
    learner_name: Mapped[str] = mapped_column(String(200))
    course_slug: Mapped[str] = mapped_column(String(80), index=True)
    course_title: Mapped[str] = mapped_column(String(300))
    course_version: Mapped[str] = mapped_column(String(64))
    course_version_label: Mapped[str | None] = mapped_column(String(40))
    hours: Mapped[float] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str] = mapped_column(String(8))
    cohort_name: Mapped[str | None] = mapped_column(String(200))
    trainer_names: Mapped[str | None] = mapped_column(String(400))
    issuer_name: Mapped[str] = mapped_column(String(200))

    #: The signed Open Badges 3.0 credential (compact JWS); the recipient in it is
    #: a salted hash of the e-mail address, never the address.
    credential_jwt: Mapped[str] = mapped_column(Text)
    #: Where the rendered PDF is stored, relative to the certificates folder.
    pdf_path: Mapped[str | None] = mapped_column(String(200))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revocation_reason: Mapped[str | None] = mapped_column(String(500))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL"))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def status(self, now: datetime) -> str:
        """valid, revoked, superseded or expired (in that order of precedence)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.superseded_by_id is not None:
            return "superseded"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "valid"


class NameCorrection(db.Model):
    """A learner's request to correct the name printed on a certificate."""

    __tablename__ = "certificate_name_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    requested_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(500))
    #: pending -> approved | rejected
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    new_certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL"))

    certificate: Mapped[Certificate] = relationship(foreign_keys=[certificate_id],
                                                    lazy="joined")
