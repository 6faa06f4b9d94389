"""Helpers for the national data plan tests: a round of the "mini" framework
with answers from three institutions and consensus levels, optionally
validated (which generates its plan).

Consensus by default: statistics-law-mandate 1, admin-data-access 2,
working-group 3, common-definitions 0, release-calendar: none yet. So the
plan drafts three actions (levels 0, 1, 2), none for working-group (3), and
says that one question has no consensus.
"""

from sqlalchemy import select

from app.extensions import db
from tests.fixtures.assessments.helpers import client_for, make_round  # noqa: F401

Q1, Q2, WG, DEFS, CAL = ("statistics-law-mandate", "admin-data-access", "working-group",
                         "common-definitions", "release-calendar")
CONSENSUS = {Q1: 1, Q2: 2, WG: 3, DEFS: 0}
DOMAINS = {Q1: "legal-framework", Q2: "legal-framework", WG: "coordination",
           DEFS: "coordination", CAL: "dissemination"}
INSTITUTIONS = ("nso", "interior", "labour")


def fill_round(app, round_id: int, consensus=None, *, institutions=INSTITUTIONS,
               validate: bool = False, focal_id: int | None = None) -> None:
    """Answers of each institution (a level near the consensus, a target, an
    evidence link) and the consensus levels; validate with the focal point."""
    from app.assessments import services
    from app.assessments.constants import LEVEL
    from app.assessments.models import Answer, Consensus, Round
    from app.auth.models import User

    consensus = CONSENSUS if consensus is None else consensus
    with app.app_context():
        for i, institution in enumerate(institutions):
            for qid, domain in DOMAINS.items():
                level = consensus.get(qid, 2)
                db.session.add(Answer(
                    round_id=round_id, institution=institution, domain=domain, question_id=qid,
                    response=LEVEL, level=min(4, max(0, level + (i % 2))),
                    evidence_links=[f"https://example.org/{institution}/{qid}"],
                    evidence_note="", comment="", target_level=min(4, level + 1),
                    target_year=2028))
        for qid, level in consensus.items():
            db.session.add(Consensus(round_id=round_id, domain=DOMAINS[qid], question_id=qid,
                                     response=LEVEL, level=level, justification="Agreed."))
        db.session.flush()
        if validate:
            round_ = db.session.get(Round, round_id)
            focal = db.session.get(User, focal_id) if focal_id else db.session.get(
                User, round_.created_by_id)
            services.validate_round(focal, round_id)
        db.session.commit()


def plan_round(app, make_user, *, validate=False, consensus=None, country="JO", label="2026",
               **kwargs):
    setup = make_round(app, make_user, country=country, label=label, **kwargs)
    fill_round(app, setup.round_id, consensus, validate=validate)
    return setup


def generate(app, setup) -> None:
    """Generate the plan as the focal point, through the page."""
    response = client_for(app, setup.email("focal")).post(
        f"/assessments/{setup.round_id}/plan/generate")
    assert response.status_code == 302, response.status_code


def plan_of(app, round_id):
    from app.assessments.plan.services import plan_of as load

    with app.app_context():
        plan = load(round_id)
        if plan is not None:
            db.session.expunge_all()
        return plan


def actions(app, round_id) -> dict:
    """{question id (or code): PlanAction} of the round's plan."""
    from app.assessments.plan.models import Plan, PlanAction

    with app.app_context():
        rows = db.session.scalars(select(PlanAction).join(Plan).where(
            Plan.round_id == round_id).order_by(PlanAction.number)).all()
        db.session.expunge_all()
        return {(a.question_id or a.code): a for a in rows}


def audit_events(app, action: str) -> list:
    from app.core.models import AuditEvent

    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                  .order_by(AuditEvent.id)).all()
        db.session.expunge_all()
        return rows


def action_form(row, **overrides) -> dict:
    """The action page's fields as a browser would send them."""
    data = {"version": str(row.version), "domain": row.domain, "gap": row.gap,
            "action": row.action, "output": row.output or "",
            "lead_institution": row.lead_institution or "", "partners": row.partners,
            "starts_on": row.starts_on.isoformat() if row.starts_on else "",
            "ends_on": row.ends_on.isoformat() if row.ends_on else "",
            "cost": "" if row.cost is None else str(row.cost),
            "currency": row.currency, "funding": row.funding or "",
            "indicator": row.indicator, "milestone": row.milestone,
            "baseline_level": "" if row.baseline_level is None else str(row.baseline_level),
            "target_level": "" if row.target_level is None else str(row.target_level),
            "importance": str(row.importance), "protection_note": row.protection_note,
            "risks": row.risks, "status": row.status,
            "course_module": row.course_module or ""}
    for flag in ("needs_dpia", "needs_dsa", "needs_sdc"):
        if getattr(row, flag):
            data[flag] = "y"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_support_round_has_the_documented_consensus(app, make_user):
    setup = plan_round(app, make_user)
    from app.assessments.services import round_data

    with app.app_context():
        assert round_data(setup.round_id).consensus_levels() == CONSENSUS
