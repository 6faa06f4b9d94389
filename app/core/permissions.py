"""Who may do what: the single place for permission rules.

Services call ``require(user, permission)`` (or one of the object-level checks
below) before acting, so web pages, the API and the CLI share the same rules.
"""

from app.core.errors import Forbidden

ROLES = ("learner", "trainer", "focal_point", "admin")

# Role-level capabilities. Object-level rules (a trainer's own cohort, a member
# of an assessment round) are functions further down, added by each feature.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin.access": frozenset({"admin"}),
    "users.manage": frozenset({"admin"}),
    "audit.read": frozenset({"admin"}),
    "content.import": frozenset({"admin"}),
    "certificates.manage": frozenset({"admin"}),
    "cohorts.create": frozenset({"trainer", "admin"}),
    "assessments.create": frozenset({"focal_point", "admin"}),
    "programme.view": frozenset({"trainer", "admin"}),
}


def has_role(user, *roles: str) -> bool:
    return bool(user and getattr(user, "is_authenticated", False)
                and user.is_active and user.role in roles)


def can(user, permission: str) -> bool:
    allowed = PERMISSIONS.get(permission)
    if allowed is None:
        raise KeyError(f"unknown permission {permission!r}")
    return has_role(user, *allowed)


def require(user, permission: str) -> None:
    if not can(user, permission):
        raise Forbidden()


def require_self_or_admin(user, subject) -> None:
    """A person may act on their own account; an admin on anyone's."""
    if not (has_role(user, "admin") or (user and user.is_authenticated and user.id == subject.id)):
        raise Forbidden()
