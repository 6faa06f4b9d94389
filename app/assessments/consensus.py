"""Reviewing answers across institutions and recording consensus levels.

The facilitator (or the focal point) sees, per question, what each institution
answered and how far apart the levels are (flagged at 2 levels or more), and
records the agreed level with a justification. Same optimistic concurrency as
answers: a decision made from an older version becomes a conflict.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.assessments import rules, scoring
from app.assessments.access import RoundAccess, load_round
from app.assessments.answers import (
    AnswerErrors,
    edition_domain,
    files_for,
    flush_or_conflict,
    values_of,
)
from app.assessments.constants import INSTITUTIONS, LEVEL
from app.assessments.loader import Domain, Edition, Question
from app.assessments.models import Answer, Consensus, EvidenceFile
from app.assessments.rules import AnswerValues
from app.assessments.services import framework_of, round_data
from app.core.db import utcnow
from app.core.errors import ValidationError
from app.extensions import db


def decision_fingerprint(choice: str, justification: str) -> str:
    return hashlib.sha256(f"{choice}\0{justification}".encode()).hexdigest()[:16]


def choice_of(row: Consensus | None) -> str:
    if row is None or row.response is None:
        return ""
    return str(row.level) if row.response == LEVEL else row.response


@dataclass
class ReviewItem:
    question: Question
    answers: list[Answer]                   # by institution, in the fixed order
    files: dict[str, list[EvidenceFile]]    # institution -> files
    consensus: Consensus | None

    def rows(self, routed: list[str]) -> list[tuple[str, Answer | None, AnswerValues | None]]:
        """(institution, answer, values) for every routed institution, and for any
        other institution that answered (routing can change after answers)."""
        by_institution = {a.institution: a for a in self.answers}
        institutions = [i for i in INSTITUTIONS if i in routed or i in by_institution]
        return [(i, by_institution.get(i), values_of(by_institution[i])
                 if i in by_institution else None) for i in institutions]

    @property
    def levels(self) -> dict[str, int | None]:
        return {a.institution: values_of(a).scored_level for a in self.answers}

    @property
    def spread(self) -> int | None:
        return scoring.spread(self.levels.values())

    @property
    def flagged(self) -> bool:
        return self.spread is not None and self.spread >= scoring.DISAGREEMENT_AT

    @property
    def suggestion(self) -> int | None:
        """When every institution that gave a level gave the same one."""
        given = {v for v in self.levels.values() if v is not None}
        return given.pop() if len(given) == 1 else None

    @property
    def choice(self) -> str:
        return choice_of(self.consensus)

    @property
    def justification(self) -> str:
        return self.consensus.justification if self.consensus else ""

    @property
    def version(self) -> int:
        return self.consensus.version if self.consensus else 0

    @property
    def fingerprint(self) -> str:
        return decision_fingerprint(self.choice, self.justification)


@dataclass
class Review:
    access: RoundAccess
    edition: Edition
    domain: Domain
    institutions: list[str]
    items: list[ReviewItem]
    editable: bool


def review_domain(user, round_id: int, slug: str, language: str | None = None) -> Review:
    """Every routed institution's answers to a domain, with spread and consensus (3 queries)."""
    access = load_round(user, round_id)
    access.require(access.can_see_all)
    edition, domain = edition_domain(access.round, slug, language)
    ids = [q.id for q in domain.questions]
    answers = db.session.scalars(select(Answer).where(
        Answer.round_id == round_id, Answer.question_id.in_(ids))).unique().all()
    files = files_for(round_id, None, ids)
    decided = {c.question_id: c for c in db.session.scalars(select(Consensus).where(
        Consensus.round_id == round_id, Consensus.question_id.in_(ids))).unique()}
    order = {inst: i for i, inst in enumerate(INSTITUTIONS)}
    items = []
    for q in domain.questions:
        given = sorted((a for a in answers if a.question_id == q.id),
                       key=lambda a: order.get(a.institution, 99))
        items.append(ReviewItem(q, given, {inst: fs for (inst, qid), fs in files.items()
                                           if qid == q.id}, decided.get(q.id)))
    institutions = [i for i in INSTITUTIONS if i in access.round.routed(domain.slug)]
    return Review(access, edition, domain, institutions, items,
                  editable=access.can_facilitate)


@dataclass
class Decision:
    choice: str = ""
    justification: str = ""
    version: int = 0
    base: str = ""
    resolution: str | None = None


@dataclass(frozen=True)
class ConsensusConflict:
    question: str
    choice: str
    justification: str
    version: int
    by: str | None
    at: datetime | None

    @property
    def fingerprint(self) -> str:
        return decision_fingerprint(self.choice, self.justification)


def save_consensus(user, round_id: int, slug: str, decisions: dict[str, Decision]
                   ) -> list[ConsensusConflict]:
    """Record the agreed levels of a domain: all or nothing, like answers."""
    review = review_domain(user, round_id, slug)
    access = review.access
    access.require_writable()
    access.require(access.can_facilitate)
    items = {item.question.id: item for item in review.items}
    if set(decisions) - set(items):
        raise ValidationError(_l("The form does not match this domain's questions. Reload the "
                                 "page and try again."))
    errors, cleaned = {}, {}
    for qid, d in decisions.items():
        problems = {}
        try:
            response, level = rules.parse_choice(d.choice)
        except ValueError:
            problems["choice"] = str(_l("Choose a level from 0 to 4, “Don't know” or “Not "
                                        "applicable”."))
            response = level = None
        text, error = rules.check_justification(
            d.justification, required=bool(response) and items[qid].flagged)
        if error:
            problems["justification"] = error
        if problems:
            errors[qid] = problems
        else:
            cleaned[qid] = (response, level, text)
    if errors:
        raise AnswerErrors(errors)
    conflicts, writes = [], []
    for qid, (response, level, text) in cleaned.items():
        d, item = decisions[qid], items[qid]
        choice = str(level) if response == LEVEL else (response or "")
        decision = rules.merge_decision(
            submitted_fp=decision_fingerprint(choice, text), submitted_version=d.version,
            base_fp=d.base, current_fp=item.fingerprint, current_version=item.version,
            resolution=d.resolution)
        if decision == rules.CONFLICT:
            row = item.consensus
            conflicts.append(ConsensusConflict(
                qid, item.choice, item.justification, item.version,
                row.decided_by.full_name if row and row.decided_by else None,
                row.decided_at if row else None))
        elif decision == rules.WRITE or (
                item.consensus is not None and item.consensus.carried_over and response
                and decision_fingerprint(choice, text) == item.fingerprint):
            # Saving a level carried over from the previous round confirms it.
            writes.append((qid, response, level, text))
    if conflicts:
        return conflicts
    for qid, response, level, text in writes:
        row = items[qid].consensus
        if row is None:
            row = Consensus(round_id=round_id, domain=slug, question_id=qid)
            db.session.add(row)
        row.response, row.level, row.justification = response, level, text
        row.carried_over = False
        row.decided_by_id, row.decided_at = user.id, utcnow()
    flush_or_conflict()
    return []


@dataclass
class DomainReviewState:
    domain: Domain
    questions: int
    flagged: int
    decided: int


def review_overview(user, round_id: int, language: str | None = None
                    ) -> tuple[RoundAccess, Edition, list[DomainReviewState]]:
    """Per domain: questions, flagged disagreements, consensus recorded (2 queries)."""
    access = load_round(user, round_id)
    access.require(access.can_see_all)
    edition = framework_of(access.round).edition(language)
    data = round_data(round_id)
    levels = data.answer_levels()
    decided = {c.question_id for c in data.consensus if c.response is not None}
    states = []
    for domain in edition.domains:
        flagged = sum(1 for q in domain.questions
                      if (scoring.spread((levels.get(q.id) or {}).values()) or 0)
                      >= scoring.DISAGREEMENT_AT)
        states.append(DomainReviewState(domain, len(domain.questions), flagged,
                                        sum(1 for q in domain.questions if q.id in decided)))
    return access, edition, states
