"""Reading the audit log (admins only)."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.core import permissions
from app.core.models import AuditEvent
from app.extensions import db


@dataclass
class AuditPage:
    events: list
    total: int
    page: int
    per_page: int
    actions: list

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def audit_log(actor, *, action: str | None = None, page: int = 1, per_page: int = 50) -> AuditPage:
    permissions.require(actor, "audit.read")
    stmt = select(AuditEvent)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = max(1, page)
    events = db.session.scalars(stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                .limit(per_page).offset((page - 1) * per_page)).all()
    actions = db.session.scalars(select(AuditEvent.action).distinct()
                                 .order_by(AuditEvent.action)).all()
    return AuditPage(list(events), total, page, per_page, list(actions))
