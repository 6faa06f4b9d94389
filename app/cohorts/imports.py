"""Adding learners from a roster file: upload -> preview -> confirm (or discard).

Nothing is written to the roster before the trainer confirms. The checked rows
wait server side in a RosterImport row (never in the cookie), under a random
token bound to the cohort and to the trainer who uploaded it, for
COHORT_IMPORT_TTL_HOURS. Confirming creates one invitation per new row and
queues a job that e-mails them. Rows already in the cohort are "unchanged", so
uploading the same file again changes nothing.
"""

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.cohorts import roster_csv
from app.cohorts.access import load_cohort
from app.cohorts.models import CohortMember, RosterImport
from app.cohorts.services import active_count
from app.core import audit, jobs, uploads
from app.core.db import utcnow
from app.core.errors import NotFound, ValidationError
from app.extensions import db

INVITATIONS_JOB = "cohorts.invitations"


class RosterRejected(ValidationError):
    """The file cannot be used at all; ``problems`` says why. Nothing is stored."""

    default_message = _l("The file was not imported: nothing was saved.")

    def __init__(self, problems: list[str], notes: list[str] | None = None):
        super().__init__()
        self.problems = problems
        self.notes = notes or []


def existing_addresses(cohort_id: int) -> dict[str, str]:
    return {email: status for email, status in db.session.execute(
        select(CohortMember.email, CohortMember.status).where(
            CohortMember.cohort_id == cohort_id, CohortMember.email.is_not(None)))}


def upload(user, cohort_id: int, storage) -> RosterImport:
    """Check an uploaded file (a Werkzeug FileStorage) and keep its preview."""
    access = load_cohort(user, cohort_id, run=True)
    max_bytes = current_app.config["COHORT_CSV_MAX_BYTES"]
    name = uploads.sanitise_filename(getattr(storage, "filename", ""), "roster.csv")
    if uploads.extension_of(name) not in (".csv", ".txt"):
        raise RosterRejected([str(_l("“%(name)s” is not a CSV file. In your spreadsheet, use "
                                     "“Save as” → “CSV UTF-8 (comma delimited)”.", name=name))])
    data = storage.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RosterRejected([str(_l("“%(name)s” is larger than %(size)s MB.", name=name,
                                     size=uploads.megabytes(max_bytes)))])
    parsed = roster_csv.parse(data, existing=existing_addresses(cohort_id),
                              max_rows=current_app.config["COHORT_CSV_MAX_ROWS"])
    if parsed.problems:
        raise RosterRejected(parsed.problems, parsed.notes)
    now = utcnow()
    # Uploads past their time (confirmed, discarded or forgotten) go: they hold addresses.
    db.session.execute(delete(RosterImport).where(RosterImport.expires_at < now))
    pending = RosterImport(
        token=secrets.token_urlsafe(24), cohort_id=access.cohort.id, user_id=user.id,
        filename=name, rows=[r.as_dict() for r in parsed.rows], notes=parsed.notes,
        created_at=now,
        expires_at=now + timedelta(hours=current_app.config["COHORT_IMPORT_TTL_HOURS"]))
    db.session.add(pending)
    db.session.flush()
    return pending


def pending_import(user, cohort_id: int, token: str) -> RosterImport:
    """The upload waiting for this trainer's confirmation; 404 otherwise."""
    load_cohort(user, cohort_id, run=True)
    found = db.session.scalar(select(RosterImport).where(RosterImport.token == token))
    if (found is None or found.cohort_id != cohort_id or found.user_id != user.id
            or found.status != "pending" or found.expires_at <= utcnow()):
        raise NotFound(_l("This upload is no longer waiting for confirmation (it was "
                          "confirmed, discarded or is more than a day old). Upload the file "
                          "again."))
    return found


def count(pending: RosterImport, status: str) -> int:
    return sum(1 for row in pending.rows if row["status"] == status)


def seats_left(cohort) -> int:
    return max(0, cohort.capacity - active_count(cohort.id))


def confirm(user, cohort_id: int, token: str) -> list[int]:
    """Create the invitations of the new rows; returns their member ids. Rows whose
    address joined the cohort meanwhile are skipped."""
    pending = pending_import(user, cohort_id, token)
    rows = len(pending.rows)
    already = existing_addresses(cohort_id)
    now = utcnow()
    created = []
    for row in pending.rows:
        if row["status"] != roster_csv.NEW or row["email"] in already:
            continue
        member = CohortMember(cohort_id=cohort_id, email=row["email"],
                              invited_name=row["full_name"],
                              organisation=row["organisation"] or None,
                              country=row["country"] or None, sex=row.get("sex") or None,
                              status="invited", source="csv",
                              nonce=secrets.token_hex(16), invited_by_id=user.id,
                              invited_at=now)
        db.session.add(member)
        already[row["email"]] = "invited"
        created.append(member)
    pending.status, pending.confirmed_at = "confirmed", now
    pending.rows = []           # the addresses are on the roster now: keep no second copy
    db.session.flush()
    ids = [m.id for m in created]
    if ids:
        jobs.enqueue(INVITATIONS_JOB, {"cohort_id": cohort_id, "member_ids": ids}, user=user,
                     total=len(ids))
    audit.record("cohorts.roster_imported", actor=user, subject=f"cohort:{cohort_id}",
                 invited=len(ids), rows=rows)
    return ids


def discard(user, cohort_id: int, token: str) -> None:
    pending = pending_import(user, cohort_id, token)
    pending.status = "discarded"
    pending.rows = []
