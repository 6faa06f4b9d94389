"""Demo data of the national data plan (called by app/assessments/demo.py):
an earlier round, "Jordan 2024", validated, with a finished plan whose actions
were carried out in part; and the plan of "Jordan 2026", started from it,
with some actions already edited (leads, costs, dates, statuses), so that the
plan page, the exports and the Progress page all have something to show.
Idempotent: what exists is left alone."""

import secrets
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.assessments import services
from app.assessments.answers import write_answer
from app.assessments.constants import LEVEL, OPEN
from app.assessments.models import Consensus, Membership, Round
from app.assessments.plan import services as plans
from app.assessments.rules import AnswerValues
from app.core.db import utcnow
from app.extensions import db

EARLIER = "2024"
LEADS = ("nso", "interior", "labour", "planning", "data-protection", "nso", "foreign-affairs",
         "civil-registration", "refugee-agency", "nso")
CONTEXT = (
    "Jordan hosts one of the largest refugee populations in the world relative to its "
    "population, and many migrant workers, mainly in agriculture, construction and domestic "
    "work. Figures for the plan are taken from UN DESA International Migrant Stock 2024, "
    "UNHCR and the Department of Statistics' surveys.\n\n"
    "This is demonstration text: replace it with the country's own migration profile.")


def _levels_2024(domain_index: int, index: int) -> int:
    """The earlier round: about one level lower than 2026 in half of the domains."""
    from app.assessments.demo import PROFILE

    base = PROFILE[domain_index % len(PROFILE)] + (index % 3) - 1 + (index % 2)
    return max(0, min(4, base - (1 if domain_index % 2 == 0 else 0)))


def _earlier_round(framework, focal, people) -> Round:
    round_ = services.create_round(focal, country="JO", label=EARLIER,
                                   framework_slug=framework.slug, institution="interior")
    for key, member in people.items():
        if key in ("nso", "interior", "labour", "facilitator"):
            role = "facilitator" if key == "facilitator" else "contributor"
            institution = "planning" if key == "facilitator" else key
            db.session.add(Membership(round_id=round_.id, user_id=member.id,
                                      email=member.email, role=role, institution=institution,
                                      nonce=secrets.token_hex(16), invited_by_id=focal.id,
                                      accepted_at=utcnow()))
    round_.routing = {d.slug: ["nso", "interior", "labour"] for d in framework.domains}
    round_.status, round_.opened_at = OPEN, utcnow()
    db.session.flush()
    questions = [(i, q) for i, d in enumerate(framework.domains) for q in d.questions]
    for index, (domain_index, question) in enumerate(questions):
        level = _levels_2024(domain_index, index)
        for institution in ("nso", "interior", "labour"):
            write_answer(round_, institution, question, AnswerValues(
                response=LEVEL, level=level, target_level=min(4, level + 1), target_year=2026,
                links=(f"https://example.org/jo/2024/evidence/{index + 1}",)
                if institution == "nso" else ()), None, people[institution], "web")
        db.session.add(Consensus(round_id=round_.id, domain=question.domain,
                                 question_id=question.id, response=LEVEL, level=level,
                                 decided_by_id=people["facilitator"].id,
                                 justification="Agreed at the 2024 validation workshop."))
    db.session.flush()
    services.validate_round(focal, round_.id)       # freezes it and generates its plan
    return round_


def _finish_plan(plan, done_share: int) -> None:
    """Fill every action (lead, dates, cost, funding, output) and the texts."""
    start = plan.starts_on or date(2025, 1, 1)
    for i, action in enumerate(sorted(plan.actions, key=lambda a: a.number)):
        action.lead_institution = LEADS[i % len(LEADS)]
        action.partners = "IOM; UN DESA" if i % 3 == 0 else "UNHCR" if i % 3 == 1 else ""
        action.output = "Published report" if i % 2 else "Signed agreement"
        action.starts_on = date(start.year + (i % 3), 1 + (i % 4) * 3, 1)
        action.ends_on = date(start.year + (i % 3) + 1, 6, 30)
        action.cost = Decimal(15000 + 5000 * (i % 5))
        action.funding = ("domestic", "donor", "mixed", "unfunded")[i % 4]
        action.milestone = "Draft ready for review"
        action.risks = "Staff turnover" if i % 2 else "Budget approval"
        action.status = "done" if i < done_share else ("in_progress" if i % 2 else "blocked")
        action.edited_at = utcnow()
    for flow in plan.flows:
        flow.legal_basis = "Statistics law, article 12"
        flow.dsa_status = "signed" if flow.number % 2 else "in_negotiation"
        flow.dpia_status = "done" if flow.number % 2 else "planned"
        flow.security, flow.retention = "Restricted", "5 years"
        flow.sdc_rules = "Cells below 10 suppressed"
    plan.lead_agency = "Department of Statistics"
    plan.context = CONTEXT
    plan.policy_priorities = ("Labour migration governance and the GCM implementation plan; "
                              "the national strategy for the development of statistics.")


def seed(focal, people, framework) -> None:
    if focal is None or framework is None:
        return
    current = db.session.scalar(select(Round).where(
        Round.country == "JO", Round.label == "2026", Round.framework_slug == framework.slug))
    earlier = db.session.scalar(select(Round).where(
        Round.country == "JO", Round.label == EARLIER, Round.framework_slug == framework.slug))
    if earlier is None:
        earlier = _earlier_round(framework, focal, people)
        plan = plans.plan_of(earlier.id) or plans.ensure_plan(earlier, focal, "en")
        _finish_plan(plan, done_share=len(plan.actions) // 2)
        plan.doc_version, plan.approval_status = "1.0", "approved"
        plan.next_review_on = date(2026, 6, 30)
        db.session.flush()
    if current is None:
        return
    if current.previous_id is None:
        current.previous_id = earlier.id
    if plans.plan_of(current.id) is None:
        plan = plans.ensure_plan(current, focal, "en")
        edited = sorted(plan.actions, key=lambda a: -a.priority)[:8]
        for i, action in enumerate(edited):
            action.lead_institution = LEADS[i]
            action.starts_on = date(2027, 1 + 3 * (i % 4), 1)
            action.ends_on = date(2028, 6, 30)
            action.cost = Decimal(20000 + 10000 * (i % 3))
            action.funding = ("domestic", "donor", "mixed", "unfunded")[i % 4]
            action.status = ("in_progress", "not_started", "done", "blocked")[i % 4]
            action.edited_at = utcnow()
        plan.lead_agency = "Department of Statistics"
        plan.context = CONTEXT
        plan.doc_version = "0.2"
    db.session.flush()
