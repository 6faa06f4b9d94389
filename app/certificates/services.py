"""Issuing, reading, revoking and verifying certificates. Services flush; the
caller commits (the bulk job commits in batches as it goes)."""

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.certificates import credential, ids
from app.certificates import pdf as certificate_pdf
from app.certificates.keys import load_keys
from app.certificates.models import Certificate, NameCorrection
from app.core import audit, permissions
from app.core.db import utcnow
from app.core.errors import Forbidden, NotFound, ValidationError
from app.core.files import write_in_transaction
from app.core.urls import external_url
from app.courses.loader import Course
from app.courses.models import Enrolment
from app.extensions import db

log = logging.getLogger(__name__)


# --- where things are -----------------------------------------------------------------

def storage_dir() -> Path:
    folder = Path(current_app.config.get("CERTIFICATES_DIR") or
                  Path(current_app.instance_path) / "certificates")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def verify_url(cert_or_id) -> str:
    public_id = cert_or_id.public_id if isinstance(cert_or_id, Certificate) else cert_or_id
    return external_url("certificates.verify_page", public_id=ids.grouped(public_id))


def issuer_profile() -> dict:
    profile = {"id": external_url("certificates.issuer"), "type": ["Profile"],
               "name": current_app.config["ISSUER_NAME"],
               "url": external_url("main.index")}
    if current_app.config.get("ISSUER_EMAIL"):
        profile["email"] = current_app.config["ISSUER_EMAIL"]
    return profile


# --- eligibility ----------------------------------------------------------------------

@dataclass
class Eligibility:
    eligible: bool
    reasons: list[str] = field(default_factory=list)     # why not, in words
    snapshot: dict = field(default_factory=dict)         # extra facts to print (cohort…)


#: Extra rules other features add (a cohort's attendance rule). Each returns an
#: Eligibility for (enrolment, course); all must agree.
RULES: list[Callable[[Enrolment, Course], Eligibility]] = []


def eligibility(enrolment: Enrolment, course: Course) -> Eligibility:
    result = Eligibility(True)
    if enrolment.completed_at is None:
        result.eligible = False
        result.reasons.append(str(_l("the course is not completed")))
    for rule in RULES:
        verdict = rule(enrolment, course)
        result.eligible = result.eligible and verdict.eligible
        result.reasons += verdict.reasons
        result.snapshot.update(verdict.snapshot)
    return result


# --- issuing --------------------------------------------------------------------------

@dataclass
class Draft:
    """Everything needed to render and store one certificate."""

    certificate: Certificate
    context: certificate_pdf.CertificateContext


def current_for_enrolment(enrolment_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.current_for == enrolment_id))


def prepare(enrolment: Enrolment, course: Course, user: User, *, snapshot: dict | None = None,
            learner_name: str | None = None) -> Draft:
    """Build the snapshot, sign the credential and the PDF's plain-value context."""
    snapshot = snapshot or {}
    language = user.locale if user.locale in current_app.config["LANGUAGES"] else "en"
    edition = course.edition(language)
    public_id = ids.new_id()
    now = utcnow()
    completed = enrolment.completed_at or now
    expires = now + timedelta(days=course.valid_for_days) if course.valid_for_days else None
    salt = secrets.token_hex(16)
    keys = load_keys()
    cred = credential.build(
        credential_id=verify_url(public_id),
        issuer=issuer_profile(),
        course_url=external_url("courses.overview", course=course.slug),
        course_title=edition.title, course_description=edition.summary,
        criteria=str(_l("Read every lesson, pass every module's knowledge check and reach "
                        "the pass mark (%(mark)s%%) in the final exam.",
                        mark=f"{course.pass_mark:g}")),
        hours=course.estimated_hours, language=edition.language,
        identity_hash=credential.recipient_hash(user.email, salt), salt=salt,
        valid_from=now, valid_until=expires, score=enrolment.final_score,
        status_url=external_url("certificates.verify_json", public_id=ids.grouped(public_id)))
    cert = Certificate(
        public_id=public_id, enrolment_id=enrolment.id, current_for=enrolment.id,
        user_id=user.id, learner_name=learner_name or user.full_name,
        course_slug=course.slug, course_title=edition.title[:300],
        course_version=enrolment.completed_version or course.content_hash,
        course_version_label=course.version or None, hours=course.estimated_hours,
        score=enrolment.final_score, completed_at=completed, issued_at=now, expires_at=expires,
        language=language, cohort_name=snapshot.get("cohort_name"),
        trainer_names=snapshot.get("trainer_names"),
        issuer_name=current_app.config["ISSUER_NAME"],
        credential_jwt=credential.sign(cred, keys))
    context = certificate_pdf.build_context(
        language=cert.language, learner_name=cert.learner_name, course_title=cert.course_title,
        hours=cert.hours, completed_at=cert.completed_at, score=cert.score,
        cohort_name=cert.cohort_name, trainer_names=cert.trainer_names,
        expires_at=cert.expires_at, public_id=ids.grouped(public_id),
        verify_url=verify_url(public_id))
    return Draft(cert, context)


def render(draft: Draft) -> bytes:
    return certificate_pdf.render(draft.context, draft.certificate.credential_jwt)


def store(draft: Draft, pdf: bytes, *, actor=None) -> Certificate:
    """Insert the certificate and write its PDF, or return the one that a
    concurrent request stored first. The record and the file go together: the
    file is removed again if the transaction rolls back."""
    cert = draft.certificate
    try:
        with db.session.begin_nested():
            db.session.add(cert)
    except IntegrityError:
        existing = current_for_enrolment(cert.current_for)
        if existing is None:
            raise
        return existing
    relative = f"{cert.public_id[:2]}/{cert.public_id}.pdf"
    write_in_transaction(storage_dir() / relative, pdf)
    cert.pdf_path = relative
    cert.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    audit.record("certificates.issued", actor=actor, subject=f"certificate:{cert.public_id}",
                 course=cert.course_slug)
    return cert


def issue(enrolment: Enrolment, course: Course, *, actor=None) -> Certificate | None:
    """Issue the enrolment's certificate if it is eligible and has none yet."""
    existing = current_for_enrolment(enrolment.id)
    if existing is not None:
        return existing
    verdict = eligibility(enrolment, course)
    if not verdict.eligible:
        return None
    user = db.session.get(User, enrolment.user_id)
    draft = prepare(enrolment, course, user, snapshot=verdict.snapshot)
    return store(draft, render(draft), actor=actor)


def issue_after_completion(enrolment: Enrolment, course: Course) -> Certificate | None:
    """Called by the completion service. A rendering failure must not undo the
    completion itself: the certificate can be issued again later."""
    try:
        with db.session.begin_nested():
            return issue(enrolment, course)
    except Exception:  # logged; the learner sees a "get my certificate" button instead
        log.exception("certificate for enrolment %s could not be issued", enrolment.id)
        return None


# --- reading --------------------------------------------------------------------------

def find(public_id: str) -> Certificate | None:
    """By public identifier in any typed form; None when unknown or malformed."""
    try:
        canonical = ids.normalise(public_id)
    except ValueError:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.public_id == canonical))


def find_or_404(public_id: str) -> Certificate:
    cert = find(public_id)
    if cert is None:
        raise NotFound()
    return cert


def status(cert: Certificate) -> str:
    return cert.status(utcnow())


def public_record(cert: Certificate) -> dict:
    """What anyone may know about a certificate (the /verify/<id>.json shape)."""
    superseded_by = None
    if cert.superseded_by_id:
        newer = db.session.get(Certificate, cert.superseded_by_id)
        superseded_by = ids.grouped(newer.public_id) if newer else None
    def iso(moment):
        return moment.isoformat() if moment else None

    return {
        "id": ids.grouped(cert.public_id),
        "status": status(cert),
        "learner_name": cert.learner_name,
        "course": cert.course_title,
        "course_version": cert.course_version_label or cert.course_version[:12],
        "hours": cert.hours,
        "completed_at": iso(cert.completed_at),
        "issued_at": iso(cert.issued_at),
        "issuer": cert.issuer_name,
        "expires_at": iso(cert.expires_at),
        "revoked_at": iso(cert.revoked_at),
        "revocation_reason": cert.revocation_reason,
        "superseded_by": superseded_by,
    }


def can_manage(user, cert: Certificate) -> bool:
    """Admins manage every certificate; other features may widen this (cohort trainers)."""
    return permissions.can(user, "certificates.manage") or any(
        rule(user, cert) for rule in MANAGERS)


#: Extra "may manage this certificate" rules (a cohort's trainers).
MANAGERS: list[Callable[[User, Certificate], bool]] = []


def owned_or_managed(user, public_id: str) -> Certificate:
    cert = find_or_404(public_id)
    if cert.user_id != getattr(user, "id", None) and not can_manage(user, cert):
        raise NotFound()
    return cert


def my_certificates(user) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                   .order_by(Certificate.issued_at.desc())))


def credential_json(cert: Certificate) -> dict:
    """The credential as issued, decoded from the signed token (for wallets and people)."""
    import base64
    import json

    payload = cert.credential_jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def pdf_file(cert: Certificate) -> Path:
    if not cert.pdf_path:
        raise NotFound()
    path = storage_dir() / cert.pdf_path
    if not path.is_file():
        raise NotFound()
    return path


def search(actor, query: str = "", limit: int = 50) -> list[Certificate]:
    permissions.require(actor, "certificates.manage")
    stmt = select(Certificate).order_by(Certificate.issued_at.desc()).limit(limit)
    query = query.strip()
    if query:
        try:
            stmt = stmt.where(Certificate.public_id == ids.normalise(query))
        except ValueError:
            like = f"%{query.lower()}%"
            stmt = stmt.where(or_(Certificate.learner_name.ilike(like),
                                  Certificate.course_title.ilike(like)))
    return list(db.session.scalars(stmt))


def listing() -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).order_by(
        Certificate.issued_at.desc(), Certificate.id.desc())))


# --- lifecycle ------------------------------------------------------------------------

def revoke(actor, cert: Certificate, reason: str) -> Certificate:
    if actor is not None and not can_manage(actor, cert):
        raise Forbidden()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_l("Give the reason for revoking this certificate."),
                              field="reason")
    if len(reason) > 500:
        raise ValidationError(_l("Use at most %(max)d characters.", max=500), field="reason")
    if cert.revoked_at is not None:
        raise ValidationError(_l("This certificate is already revoked."))
    cert.revoked_at = utcnow()
    cert.revocation_reason = reason
    cert.revoked_by_id = getattr(actor, "id", None)
    audit.record("certificates.revoked", actor=actor, subject=f"certificate:{cert.public_id}",
                 reason=reason[:200])
    return cert


def request_name_correction(user, cert: Certificate, name: str, reason: str) -> NameCorrection:
    if cert.user_id != user.id:
        raise NotFound()
    name, reason = (name or "").strip(), (reason or "").strip()
    if status(cert) != "valid":
        raise ValidationError(_l("Only a valid certificate can be corrected."))
    if not name or len(name) > 200:
        raise ValidationError(_l("Enter the name as it should appear (at most 200 characters)."),
                              field="name")
    if name == cert.learner_name:
        raise ValidationError(_l("This is already the name on the certificate."), field="name")
    pending = db.session.scalar(select(NameCorrection).where(
        NameCorrection.certificate_id == cert.id, NameCorrection.status == "pending"))
    if pending:
        raise ValidationError(_l("A correction for this certificate is already waiting "
                                 "for approval."))
    request = NameCorrection(certificate_id=cert.id, user_id=user.id, requested_name=name,
                             reason=reason[:500] or None)
    db.session.add(request)
    db.session.flush()
    audit.record("certificates.correction_requested", actor=user,
                 subject=f"certificate:{cert.public_id}")
    return request


def pending_corrections(actor) -> list[NameCorrection]:
    permissions.require(actor, "certificates.manage")
    return list(db.session.scalars(select(NameCorrection).where(
        NameCorrection.status == "pending").order_by(NameCorrection.created_at)))


def decide_correction(actor, request_id: int, approve: bool) -> Certificate | None:
    """Approve (re-issue with the corrected name; the old one is superseded) or reject."""
    from app.courses.catalogue import catalogue

    permissions.require(actor, "certificates.manage")
    request = db.session.get(NameCorrection, request_id)
    if request is None or request.status != "pending":
        raise NotFound()
    old = db.session.get(Certificate, request.certificate_id)
    request.decided_at, request.decided_by_id = utcnow(), actor.id
    if not approve:
        request.status = "rejected"
        audit.record("certificates.correction_rejected", actor=actor,
                     subject=f"certificate:{old.public_id}")
        return None
    course = catalogue().get(old.course_slug)
    if status(old) != "valid" or old.enrolment_id is None or course is None:
        raise ValidationError(_l("This certificate can no longer be re-issued."))
    enrolment = db.session.get(Enrolment, old.enrolment_id)
    user = db.session.get(User, old.user_id)
    draft = prepare(enrolment, course, user, learner_name=request.requested_name,
                    snapshot={"cohort_name": old.cohort_name,
                              "trainer_names": old.trainer_names})
    pdf = render(draft)
    old.current_for = None                  # frees the slot for the corrected certificate
    db.session.flush()
    new = store(draft, pdf, actor=actor)
    old.superseded_by_id, old.superseded_at = new.id, utcnow()
    request.status, request.new_certificate_id = "approved", new.id
    audit.record("certificates.superseded", actor=actor, subject=f"certificate:{old.public_id}",
                 by=new.public_id)
    return new


# --- verification ---------------------------------------------------------------------

@dataclass
class Verification:
    ok: bool
    message: str
    certificate: Certificate | None = None
    signature_checked: bool = False


def verify_token(token: str) -> Verification:
    try:
        verified = credential.verify(token, load_keys())
    except credential.InvalidCredential as err:
        return Verification(False, str(err))
    jti = str(verified.payload.get("jti") or verified.payload.get("id") or "")
    public_id = jti.rstrip("/").rsplit("/", 1)[-1]
    cert = find(public_id)
    if cert is None:
        return Verification(False, str(_l("The signature is genuine, but this platform has "
                                          "no record of the certificate.")),
                            signature_checked=True)
    if cert.credential_jwt.strip() != token.strip():
        return Verification(False, str(_l("The signature is genuine, but this credential is "
                                          "not the one recorded for the certificate.")),
                            cert, True)
    state = status(cert)
    messages = {
        "valid": _l("The signature is genuine and the certificate is valid."),
        "revoked": _l("The signature is genuine, but the certificate has been revoked."),
        "expired": _l("The signature is genuine, but the certificate has expired."),
        "superseded": _l("The signature is genuine, but the certificate has been replaced "
                         "by a corrected one."),
    }
    return Verification(state == "valid", str(messages[state]), cert, True)


def verify_pdf(data: bytes) -> Verification:
    """Check a certificate PDF by the credential it carries."""
    token = extract_credential(data)
    if token is None:
        return Verification(False, str(_l("This file has no certificate credential attached: "
                                          "it was not produced by this platform, or it was "
                                          "altered.")))
    return verify_token(token)


def extract_credential(data: bytes) -> str | None:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF"):
        return None
    try:
        attachments = PdfReader(io.BytesIO(data)).attachments
    except (PyPdfError, ValueError, KeyError, OSError):
        return None
    contents = attachments.get(certificate_pdf.ATTACHMENT_NAME)
    if not contents:
        return None
    try:
        return contents[0].decode("ascii").strip()
    except UnicodeDecodeError:
        return None


# --- bulk issue -----------------------------------------------------------------------

def missing_certificates(actor, course_slug: str | None = None) -> list[int]:
    """Completed enrolments that have no current certificate (admins)."""
    permissions.require(actor, "certificates.manage")
    stmt = select(Enrolment.id).where(
        Enrolment.completed_at.is_not(None),
        ~select(Certificate.id).where(Certificate.current_for == Enrolment.id).exists())
    if course_slug:
        stmt = stmt.where(Enrolment.course_slug == course_slug)
    return list(db.session.scalars(stmt.order_by(Enrolment.id)))


def start_bulk_issue(actor, enrolment_ids: list[int]):
    """Queue a background job that issues every eligible certificate among these."""
    from app.certificates.jobs import KIND
    from app.core import jobs

    if not enrolment_ids:
        raise ValidationError(_l("There is nothing to issue."))
    job = jobs.enqueue(KIND, {"enrolment_ids": list(enrolment_ids)}, user=actor,
                       total=len(enrolment_ids))
    audit.record("certificates.bulk_issue", actor=actor, subject=f"job:{job.id}",
                 count=len(enrolment_ids))
    return job
