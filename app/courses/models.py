"""Learner state for courses. Course content itself lives in files (see
courses/README.md); rows refer to it by slugs and content hashes."""

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import UTCDateTime, utcnow
from app.extensions import db


class CourseVersion(db.Model):
    """One imported version of a course's files (`flask courses import`)."""

    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_slug", "content_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_slug: Mapped[str] = mapped_column(String(80), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    version_label: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    lessons: Mapped[int] = mapped_column(Integer)
    questions: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(80), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: "module/lesson" of the last lesson opened, for "resume where you left off".
    last_lesson_key: Mapped[str | None] = mapped_column(String(170))
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Best final-exam score (0–100) at completion.
    final_score: Mapped[float | None] = mapped_column(Float)
    #: Content hash of the course version the learner completed.
    completed_version: Mapped[str | None] = mapped_column(String(64))

    progress: Mapped[list["LessonProgress"]] = relationship(
        back_populates="enrolment", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def done_keys(self) -> set[str]:
        return {p.lesson_key for p in self.progress}


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("enrolment_id", "lesson_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"),
                                              index=True)
    lesson_key: Mapped[str] = mapped_column(String(170))
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="progress")
