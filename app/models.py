"""Every model of every feature, imported in one place for Alembic and `flask shell`."""

from app.auth.models import User  # noqa: F401
from app.core.models import AuditEvent  # noqa: F401
