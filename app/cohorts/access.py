"""Who is asking about which cohort: every cohort service starts here.

``load_cohort`` answers 404 both for a cohort that does not exist and for one
the person may not see (another trainer's, a cohort one is not an active
member of), so guessing ids tells nothing. An active member opening a trainer
page of their own cohort gets 403. The rules are in app/core/permissions.py.
"""

from dataclasses import dataclass

from sqlalchemy import select

from app.cohorts.models import Cohort, CohortMember, CohortTrainer
from app.core import permissions
from app.core.errors import Forbidden, NotFound
from app.extensions import db


@dataclass
class CohortAccess:
    user: object
    cohort: Cohort
    trainer: bool
    member: CohortMember | None

    @property
    def can_run(self) -> bool:
        return permissions.can_run_cohort(self.user, self.trainer)

    @property
    def is_member(self) -> bool:
        return self.member is not None and self.member.status == "active"

    def require_run(self) -> None:
        if not self.can_run:
            raise Forbidden()


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_trainer(user, cohort_id: int) -> bool:
    if not _signed_in(user):
        return False
    return db.session.scalar(select(CohortTrainer.id).where(
        CohortTrainer.cohort_id == cohort_id, CohortTrainer.user_id == user.id)) is not None


def membership_of(user, cohort_id: int) -> CohortMember | None:
    if not _signed_in(user):
        return None
    return db.session.scalar(select(CohortMember).where(
        CohortMember.cohort_id == cohort_id, CohortMember.user_id == user.id))


def load_cohort(user, cohort_id, *, run: bool = False) -> CohortAccess:
    """The cohort and the person's place in it; NotFound unless they may see it,
    Forbidden when ``run`` is asked and they are only a learner of it."""
    cohort = db.session.get(Cohort, cohort_id) if isinstance(cohort_id, int) else None
    if cohort is None or not _signed_in(user):
        raise NotFound()
    access = CohortAccess(user, cohort, is_trainer(user, cohort.id),
                          membership_of(user, cohort.id))
    if not permissions.can_view_cohort(user, access.trainer,
                                       access.member.status if access.member else None):
        raise NotFound()
    if run:
        access.require_run()
    return access
