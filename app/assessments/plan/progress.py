"""Progress over rounds: start the next round pre-filled from a validated one,
and compare a round with the previous one. Services flush, never commit."""

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.assessments.access import RoundAccess, load_round
from app.assessments.answers import CARRIED
from app.assessments.constants import DRAFT, FOCAL_POINT, LEVEL, VALIDATED
from app.assessments.loader import Edition
from app.assessments.models import Answer, Consensus, Membership, Round
from app.assessments.plan import compare
from app.assessments.plan.models import Plan, PlanAction
from app.assessments.services import LABEL, framework_of, round_data, summary_of
from app.core import audit
from app.core.db import utcnow
from app.core.errors import ValidationError
from app.extensions import db


def previous_round(round_: Round) -> Round | None:
    """The round this one was started from, else the latest round of the same
    country and framework validated before this one was created, among the
    rounds its creator takes part in: any focal point may create a round for
    any country, and must not read another team's results that way."""
    if round_.previous_id:
        found = db.session.get(Round, round_.previous_id)
        if found is not None and found.country == round_.country:
            return found
    if round_.created_by_id is None:
        return None
    return db.session.scalar(
        select(Round).where(Round.country == round_.country,
                            Round.framework_slug == round_.framework_slug,
                            Round.id != round_.id, Round.status == VALIDATED,
                            Round.validated_at < round_.created_at,
                            Round.id.in_(select(Membership.round_id).where(
                                Membership.user_id == round_.created_by_id)))
        .order_by(Round.validated_at.desc()).limit(1))


def suggested_label(round_: Round) -> str:
    label = round_.label
    if label.isdigit():
        return str(int(label) + (2 if len(label) == 4 else 1))
    return f"{label} (2)"[:20]


def start_next_round(user, round_id: int, label: str) -> Round:
    """A new draft round for the same country and framework: routing copied,
    the other members invited again (pending until they accept), answers and
    consensus levels copied from the validated round and marked as carried over
    (evidence files are not copied: they stay with the earlier round)."""
    access = load_round(user, round_id)
    access.require(access.can_start_next_round)
    source = access.round
    framework = framework_of(source)
    label = (label or "").strip()
    if not LABEL.match(label):
        raise ValidationError(_l("Name the round with up to 20 letters, digits, spaces or "
                                 "hyphens, for example 2026."), field="label")
    if db.session.scalar(select(Round.id).where(
            Round.country == source.country, Round.framework_slug == framework.slug,
            Round.label == label)):
        raise ValidationError(_l("This country already has a round with this name and "
                                 "framework. Choose another name."), field="label")
    slugs = {d.slug for d in framework.domains}
    new = Round(country=source.country, label=label, framework_slug=framework.slug,
                framework_version=framework.version[:40], framework_hash=framework.content_hash,
                status=DRAFT, created_by_id=user.id, previous_id=source.id,
                routing={d: list(v) for d, v in (source.routing or {}).items() if d in slugs})
    for d in framework.domains:
        new.routing.setdefault(d.slug, list(d.institutions))
    db.session.add(new)
    db.session.flush()
    for m in source.members:
        mine = m.user_id == user.id
        db.session.add(Membership(
            round_id=new.id, user_id=user.id if mine else None, email=m.email,
            role=FOCAL_POINT if mine else m.role, institution=m.institution,
            nonce=secrets.token_hex(16), invited_by_id=user.id,
            accepted_at=utcnow() if mine else None))
    snapshot = source.snapshot or {}
    questions = {q.id: q for q in framework.default.questions}
    carried = 0
    for a in snapshot.get("answers", []):
        q = questions.get(a.get("question"))
        if q is None or a.get("response") is None:
            continue
        db.session.add(Answer(
            round_id=new.id, institution=a["institution"], domain=q.domain,
            question_id=q.id, response=a["response"], level=a.get("level"),
            evidence_links=list(a.get("links") or []), evidence_note=a.get("note") or "",
            comment=a.get("comment") or "", target_level=a.get("target_level"),
            target_year=a.get("target_year"), source=CARRIED))
        carried += 1
    for c in snapshot.get("consensus", []):
        q = questions.get(c.get("question"))
        if q is None or c.get("response") is None:
            continue
        db.session.add(Consensus(round_id=new.id, domain=q.domain, question_id=q.id,
                                 response=c["response"], level=c.get("level"),
                                 justification=c.get("justification") or "",
                                 carried_over=True))
    db.session.flush()
    audit.record("assessments.round_created", actor=user, subject=f"round:{new.id}",
                 country=new.country, label=label, previous=source.id)
    audit.record("plans.next_round_started", actor=user, subject=f"round:{source.id}",
                 new_round=new.id, answers=carried)
    return new


@dataclass
class Comparison:
    access: RoundAccess
    edition: Edition
    previous: Round | None
    domains: list           # compare.DomainChange

    @property
    def overall_attained(self) -> tuple[int, int]:
        return (sum(d.attained for d in self.domains), sum(d.targets for d in self.domains))


def comparison(user, round_id: int, language: str | None = None) -> Comparison:
    """This round against the previous one (a bounded number of queries)."""
    access = load_round(user, round_id)
    round_ = access.round
    framework = framework_of(round_)
    edition = framework.edition(language)
    previous = previous_round(round_)
    if previous is None:
        return Comparison(access, edition, None, [])
    data = round_data(round_id)
    current_levels = data.consensus_levels()
    summary = summary_of(round_, framework, data)
    if previous.snapshot:
        prev_levels = {c["question"]: c["level"] if c["response"] == LEVEL else None
                       for c in previous.snapshot.get("consensus", [])}
        prev_answers = previous.snapshot.get("answers", [])
        answer_targets: dict[str, list] = {}
        for a in prev_answers:
            answer_targets.setdefault(a["question"], []).append(a.get("target_level"))
    else:
        prev_data = round_data(previous.id)
        prev_levels = prev_data.consensus_levels()
        answer_targets = {}
        for a in prev_data.answers:
            answer_targets.setdefault(a.question_id, []).append(a.target_level)
    prev_summary = summary_of(previous, framework)
    actions = db.session.execute(
        select(PlanAction.question_id, PlanAction.number, PlanAction.status,
               PlanAction.target_level).join(Plan, Plan.id == PlanAction.plan_id)
        .where(Plan.round_id == previous.id, PlanAction.question_id.is_not(None))
        .order_by(PlanAction.number)).all()
    by_question: dict = {}
    for qid, number, status, target in actions:
        by_question.setdefault(qid, (f"A-{number:02d}", status, target))
    targets = {q.id: compare.target_of(by_question[q.id][2] if q.id in by_question else None,
                                       answer_targets.get(q.id, ()))
               for q in edition.questions}
    domains = compare.compare(
        edition, prev_levels, current_levels, previous_scores=prev_summary.scores(),
        current_scores=summary.scores(), targets=targets,
        actions={qid: (code, status) for qid, (code, status, _t) in by_question.items()})
    return Comparison(access, edition, previous, domains)
