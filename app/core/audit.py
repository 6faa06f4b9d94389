"""Writing to the audit log. Services call ``record`` inside their transaction,
so an event is stored exactly when the action it describes is."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from app.core import privacy
from app.core.models import AuditEvent
from app.extensions import db


def record(action: str, *, actor=None, subject: str | None = None, **details) -> AuditEvent:
    actor_id = getattr(actor, "id", None) if actor is not None else None
    event = AuditEvent(action=action, actor_id=actor_id, subject=subject,
                       details=details or None)
    db.session.add(event)
    return event


def _about(user):
    return or_(AuditEvent.actor_id == user.id, AuditEvent.subject == f"user:{user.id}")


def _export(user) -> list[dict]:
    events = db.session.scalars(select(AuditEvent).where(_about(user)).order_by(AuditEvent.at))
    return [{"at": e.at.isoformat(), "action": e.action} for e in events]


def _erase(user) -> None:
    # Security events are kept (legitimate interest) but lose any detail that
    # could be linked back to the person, such as the e-mail fingerprint.
    db.session.execute(update(AuditEvent).where(_about(user)).values(details=None))


privacy.register(
    "security_log",
    description=_l("A security log of your sign-ins, failed sign-ins, password changes "
                   "and data exports (dates and event names only)."),
    export=_export, erase=_erase, order=900)
