"""Who is asking about which round: every service starts here.

``load_round`` answers 404 both for a round that does not exist and for one
the person may not see, so guessing ids tells nothing. The rules themselves
are in app/core/permissions.py.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.assessments.models import Membership, Round
from app.core import permissions
from app.core.errors import Forbidden, NotFound
from app.extensions import db

FROZEN = _l("This round is validated: it is read-only now.")


@dataclass
class RoundAccess:
    user: object
    round: Round
    member: Membership | None

    @property
    def role(self) -> str | None:
        return self.member.role if self.member else None

    @property
    def institution(self) -> str | None:
        return self.member.institution if self.member else None

    @property
    def can_manage(self) -> bool:
        return permissions.can_manage_round(self.user, self.member, self.round)

    @property
    def can_facilitate(self) -> bool:
        return permissions.can_facilitate(self.user, self.member, self.round)

    @property
    def can_validate(self) -> bool:
        return permissions.can_validate(self.user, self.member, self.round)

    @property
    def can_see_all(self) -> bool:
        return permissions.can_see_all_answers(self.user, self.member, self.round)

    @property
    def can_edit_plan(self) -> bool:
        return permissions.can_edit_plan(self.user, self.member, self.round)

    @property
    def can_start_next_round(self) -> bool:
        return permissions.can_start_next_round(self.user, self.member, self.round)

    @property
    def can_set_benchmark(self) -> bool:
        return permissions.can_set_benchmark_opt_in(self.user, self.member, self.round)

    @property
    def can_request_cohort(self) -> bool:
        return permissions.can_request_plan_cohort(self.user, self.member, self.round)

    def can_answer(self, domain: str) -> bool:
        return permissions.can_answer(self.user, self.member, self.round, domain)

    def can_see(self, institution: str) -> bool:
        return permissions.can_see_answers(self.user, self.member, self.round, institution)

    def may_answer_somewhere(self) -> bool:
        """A member whose institution answers at least one domain (any status)."""
        return self.role in ("focal_point", "facilitator", "contributor") and bool(
            self.round.domains_for(self.institution))

    def require(self, allowed: bool) -> None:
        if not allowed:
            raise Forbidden()

    def require_writable(self) -> None:
        if self.round.frozen:
            raise Forbidden(FROZEN)


def membership_of(user, round_id: int) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Membership).where(
        Membership.round_id == round_id, Membership.user_id == user.id))


def load_round(user, round_id: int) -> RoundAccess:
    """The round with the person's membership; NotFound unless they may see it."""
    round_ = db.session.get(Round, round_id) if isinstance(round_id, int) else None
    if round_ is None:
        raise NotFound()
    member = membership_of(user, round_.id)
    access = RoundAccess(user, round_, member)
    if not permissions.can_view_round(user, member, round_):
        raise NotFound()
    return access
