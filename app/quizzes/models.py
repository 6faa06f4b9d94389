"""Quiz attempts and the answer given to every question (kept for feedback,
item analysis and per-objective scores)."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, utcnow
from app.extensions import db


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (
        # Each submitted form carries a one-time token: a second submission of the
        # same form (refresh, back, double click) cannot create a second attempt.
        UniqueConstraint("token"),
        # Counted attempts are numbered; two concurrent forms cannot both be "attempt 3".
        UniqueConstraint("enrolment_id", "quiz_slug", "attempt_no"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"),
                                              index=True)
    course_slug: Mapped[str] = mapped_column(String(80), index=True)
    quiz_slug: Mapped[str] = mapped_column(String(80))
    content_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    token: Mapped[str] = mapped_column(String(64))
    #: 1, 2, 3… for attempts that count; NULL for pre-tests.
    attempt_no: Mapped[int | None] = mapped_column(Integer)
    is_pretest: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    score: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)

    answers: Mapped[list["AttemptAnswer"]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", passive_deletes=True,
        order_by="AttemptAnswer.position")


class AttemptAnswer(db.Model):
    __tablename__ = "attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"),
                                            index=True)
    question_id: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    objective: Mapped[str] = mapped_column(String(80))
    response: Mapped[object | None] = mapped_column(JSON)
    credit: Mapped[float] = mapped_column(Float)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")

    @property
    def correct(self) -> bool:
        return self.credit >= 0.999
