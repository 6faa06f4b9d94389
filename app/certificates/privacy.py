"""Certificates in the personal-data registry.

The rule for records others rely on: an issued certificate may be in an
employer's file, so it is not deleted when its holder deletes their account.
It is revoked as "withdrawn at the holder's request", the name on its public
record is reduced to initials, and the stored PDF (which prints the full name)
is deleted. The signed credential identifies the holder only by a salted hash.
"""

import contextlib

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.certificates.models import Certificate, NameCorrection
from app.certificates.services import pdf_file, status
from app.core import privacy
from app.core.db import utcnow
from app.core.errors import NotFound
from app.extensions import db

WITHDRAWN = "Withdrawn at the holder's request (account deleted)."


def initials(name: str) -> str:
    return " ".join(part[0] + "." for part in name.split() if part) or "—"


def export_certificates(user) -> list[dict]:
    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == user.id))
    corrections: dict[int, list[dict]] = {}
    for r in db.session.scalars(select(NameCorrection).where(NameCorrection.user_id == user.id)
                                .order_by(NameCorrection.id)).unique():
        corrections.setdefault(r.certificate_id, []).append({
            "requested_name": r.requested_name, "reason": r.reason, "status": r.status,
            "requested_at": r.created_at.isoformat()})
    return [{"id": c.public_id, "course": c.course_title, "name_printed": c.learner_name,
             "issued_at": c.issued_at.isoformat(), "status": status(c),
             "credential_jwt": c.credential_jwt,
             "name_corrections_requested": corrections.get(c.id, [])} for c in certificates]


def erase_certificates(user) -> None:
    db.session.execute(delete(NameCorrection).where(NameCorrection.user_id == user.id))
    for cert in db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)):
        with contextlib.suppress(NotFound):
            pdf_file(cert).unlink(missing_ok=True)
        cert.pdf_path = None
        cert.learner_name = initials(cert.learner_name)
        if cert.revoked_at is None:
            cert.revoked_at, cert.revocation_reason = utcnow(), WITHDRAWN
        cert.user_id = None
        cert.current_for = None     # enrolment ids may be reused once the enrolment is gone


privacy.register(
    "certificates",
    description=_l("Your certificates: the name printed on them, the course, dates, and the "
                   "signed credential (which identifies you only by a salted hash of your "
                   "e-mail address)."),
    export=export_certificates, erase=erase_certificates, order=150)
