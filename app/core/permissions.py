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


# --- assessment rounds (object level) -------------------------------------------------
# ``member`` is the person's accepted membership of the round (role, institution)
# or None; ``round_`` has a ``status`` (draft, open, in_review, validated) and
# ``routed(domain)``. Admins see every round and manage its members; only the
# round's own people answer, record consensus and validate.

_ANSWERING_ROLES = ("focal_point", "facilitator", "contributor")
_SEE_ALL_ROLES = ("focal_point", "facilitator", "observer")


def _role(user, member) -> str | None:
    if member is None or not (user and getattr(user, "is_authenticated", False)
                              and user.is_active):
        return None
    return member.role


def can_view_round(user, member, round_) -> bool:
    """Members (any role) and admins; nobody else learns the round exists."""
    return has_role(user, "admin") or _role(user, member) is not None


def can_manage_round(user, member, round_) -> bool:
    """Invite and remove members, route domains, open and close answering."""
    return round_.status != "validated" and (
        _role(user, member) == "focal_point" or has_role(user, "admin"))


def can_answer(user, member, round_, domain: str) -> bool:
    """Answer a domain for one's own institution, while the round is open."""
    return (round_.status == "open" and _role(user, member) in _ANSWERING_ROLES
            and member.institution in round_.routed(domain))


def can_see_answers(user, member, round_, institution: str) -> bool:
    """Contributors see their own institution's answers (until validation, so
    that institutions answer independently); the others see every institution's."""
    role = _role(user, member)
    return (has_role(user, "admin") or role in _SEE_ALL_ROLES
            or (role == "contributor" and (member.institution == institution
                                          or round_.status == "validated")))


def can_see_all_answers(user, member, round_) -> bool:
    return has_role(user, "admin") or _role(user, member) in _SEE_ALL_ROLES or (
        _role(user, member) is not None and round_.status == "validated")


def can_facilitate(user, member, round_) -> bool:
    """Record consensus levels: the facilitator, or the focal point, before validation."""
    return round_.status in ("open", "in_review") and _role(user, member) in (
        "focal_point", "facilitator")


def can_validate(user, member, round_) -> bool:
    """Validate (and so freeze) the round: its focal point only."""
    return round_.status in ("open", "in_review") and _role(user, member) == "focal_point"


# --- workshop cohorts (object level) --------------------------------------------------
# ``trainer`` is True when the person is one of the cohort's trainers (its lead or
# a co-trainer: equal rights); ``member_status`` is their membership of the cohort
# (invited, active, removed) or None. Admins see and run every cohort, trainers
# only their own; a learner sees the page of a cohort they are an active member of.

def can_run_cohort(user, trainer: bool) -> bool:
    """Roster, sessions and attendance, announcements, materials, certificates, settings."""
    return has_role(user, "admin") or (trainer and has_role(user, "trainer"))


def can_view_cohort(user, trainer: bool, member_status: str | None) -> bool:
    """The cohort page, its calendar file and its materials."""
    return can_run_cohort(user, trainer) or (member_status == "active"
                                             and has_role(user, *ROLES))


# --- national data plans (object level) -----------------------------------------------
# A round's plan is seen and exported by whoever sees the round (members, admins).
# It stays editable after validation: the round's answers are frozen, the plan
# is the working group's living document.

_PLAN_EDITORS = ("focal_point", "facilitator")


def can_edit_plan(user, member, round_) -> bool:
    """Generate the plan and edit its texts, actions, data needs and flows: the
    focal point and the facilitator (contributors and observers read and export)."""
    return _role(user, member) in _PLAN_EDITORS


def can_start_next_round(user, member, round_) -> bool:
    """Start the next round pre-filled from this one: its focal point, once validated."""
    return round_.status == "validated" and _role(user, member) == "focal_point"


def can_set_benchmark_opt_in(user, member, round_) -> bool:
    """Let the round's validated scores count in anonymised benchmarks: its focal point."""
    return _role(user, member) == "focal_point"


def can_request_plan_cohort(user, member, round_) -> bool:
    """Create a workshop cohort for a course the plan recommends, with a chosen (or
    invited) trainer as its lead: the focal point of a validated round. The cohort
    is then the trainer's, under the cohort rules above."""
    return round_.status == "validated" and _role(user, member) == "focal_point"
