"""Cohort certificates, through the certificates feature's extension points:

- ``attendance_rule`` (added to certificates.services.RULES): a learner who is an
  active member of a cohort of the course needs the cohort's minimum attendance;
  the certificate then prints the cohort's name and trainers.
- ``trainer_manages`` (added to certificates.services.MANAGERS): a cohort's
  trainers may manage (download, revoke) the certificates of its learners for
  its course.
- ``issue_all`` queues the certificates feature's bulk job for every eligible
  member; ``zip_file`` packs the current PDFs of the cohort.
"""

import contextlib
import tempfile
import zipfile

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.certificates import ids
from app.certificates import services as certificates
from app.certificates.models import Certificate
from app.certificates.services import Eligibility
from app.cohorts import attendance, roster
from app.cohorts.access import load_cohort
from app.cohorts.eligibility import attendance_reason
from app.cohorts.models import Cohort, CohortMember, CohortTrainer
from app.cohorts.services import trainer_names
from app.core import audit, permissions, uploads
from app.core.db import utcnow
from app.core.errors import NotFound, ValidationError
from app.courses.loader import Course
from app.courses.models import Enrolment
from app.extensions import db

# --- extension points ------------------------------------------------------------------

def attendance_rule(enrolment: Enrolment, course: Course) -> Eligibility:
    """Learners outside any cohort of the course are not concerned. A learner in
    several cohorts of the course qualifies through any of them."""
    cohorts = db.session.execute(
        select(Cohort, CohortMember.id).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == enrolment.user_id, CohortMember.status == "active",
               Cohort.course_slug == course.slug).order_by(Cohort.starts_on.desc())).all()
    if not cohorts:
        return Eligibility(True)
    now = utcnow()
    refusals = []
    for cohort, member_id in cohorts:
        sessions = roster.sessions_of(cohort.id)
        held = attendance.held(((s.id, s.starts_at) for s in sessions), now)
        marks = roster.marks_of(cohort.id, [member_id]).get(member_id, {})
        rate = attendance.learner_rate(held, marks)
        reason = attendance_reason(rate, cohort.min_attendance)
        if reason is None:
            return Eligibility(True, snapshot={"cohort_name": cohort.name[:200],
                                               "trainer_names": trainer_names(cohort)[:400]})
        refusals.append(reason)
    return Eligibility(False, reasons=refusals[:1])


def trainer_manages(user, cert: Certificate) -> bool:
    """The trainers of a cohort the certificate's holder belongs (or belonged) to,
    for that cohort's course."""
    if cert.user_id is None or not permissions.has_role(user, "trainer", "admin"):
        return False
    return db.session.scalar(
        select(CohortMember.id)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .join(CohortTrainer, CohortTrainer.cohort_id == Cohort.id)
        .where(CohortMember.user_id == cert.user_id, CohortMember.status != "invited",
               Cohort.course_slug == cert.course_slug, CohortTrainer.user_id == user.id)
        .limit(1)) is not None


def register_extensions() -> None:
    """Called once per application (idempotent: the lists are module-level)."""
    if attendance_rule not in certificates.RULES:
        certificates.RULES.append(attendance_rule)
    if trainer_manages not in certificates.MANAGERS:
        certificates.MANAGERS.append(trainer_manages)


# --- issuing for a cohort ----------------------------------------------------------------

def overview(user, cohort_id: int, language: str | None = None) -> roster.Roster:
    access = load_cohort(user, cohort_id, run=True)
    return roster.load(access.cohort, language=language)


def issue_all(user, cohort_id: int):
    """Queue the bulk job for every eligible member without a current certificate.
    The job checks each one again (certificates.services.eligibility)."""
    access = load_cohort(user, cohort_id, run=True)
    loaded = roster.load(access.cohort)
    eligible = [row.enrolment.id for row in loaded.rows
                if row.eligible and row.enrolment is not None and row.certificate is None]
    if not eligible:
        raise ValidationError(_l("Nobody new is eligible for a certificate yet: see the list "
                                 "of learners and what they still need."))
    job = certificates.start_bulk_issue(user, eligible)
    audit.record("cohorts.certificates_issued", actor=user, subject=f"cohort:{cohort_id}",
                 job=job.id, count=len(eligible))
    return job


def cohort_certificate(user, cohort_id: int, public_id: str) -> Certificate:
    """A certificate held by a member of the cohort, for its course; 404 otherwise."""
    access = load_cohort(user, cohort_id, run=True)
    cert = certificates.find(public_id)
    if cert is None or cert.course_slug != access.cohort.course_slug or cert.user_id is None:
        raise NotFound()
    member = db.session.scalar(select(CohortMember.id).where(
        CohortMember.cohort_id == cohort_id, CohortMember.user_id == cert.user_id))
    if member is None:
        raise NotFound()
    return cert


def revoke(user, cohort_id: int, public_id: str, reason: str) -> Certificate:
    cert = cohort_certificate(user, cohort_id, public_id)
    return certificates.revoke(user, cert, reason)


def zip_file(user, cohort_id: int):
    """(download name, temporary file) holding the current, unrevoked certificate
    PDFs of the cohort's active members. The caller sends and closes the file."""
    access = load_cohort(user, cohort_id, run=True)
    cohort = access.cohort
    rows = db.session.execute(
        select(Certificate).join(Enrolment, Enrolment.id == Certificate.current_for)
        .join(CohortMember, CohortMember.user_id == Enrolment.user_id)
        .join(User, User.id == CohortMember.user_id)
        .where(CohortMember.cohort_id == cohort.id, CohortMember.status == "active",
               Enrolment.course_slug == cohort.course_slug,
               Certificate.revoked_at.is_(None))
        .order_by(Certificate.learner_name)).scalars().all()
    if not rows:
        raise ValidationError(_l("No certificate has been issued to this workshop's learners "
                                 "yet."))
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    used = set()
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for cert in rows:
            with contextlib.suppress(NotFound):
                path = certificates.pdf_file(cert)
                name = uploads.sanitise_filename(
                    f"{cert.learner_name} {ids.grouped(cert.public_id)}.pdf", "certificate.pdf")
                if name in used:
                    name = f"{cert.public_id}.pdf"
                used.add(name)
                archive.write(path, arcname=name)
    spool.seek(0)
    audit.record("cohorts.certificates_zip", actor=user, subject=f"cohort:{cohort.id}",
                 count=len(used))
    return uploads.sanitise_filename(f"certificates {cohort.name}.zip", "certificates.zip"), spool
