"""National data plan figures for `make bench` (run in the bench instance, like
bench/certificates.py): `python -m bench.plans` prints one JSON object,
{"plan_pdf_s": …, "plan_docx_s": …}: the median of 3 full exports (load the
round, build the document, render) of a round of the full 10-domain
"migration-data" framework with three institutions' answers on every
question, a consensus on every question, and 40 actions with every column
filled. Targets: PDF ≤ 6 s, DOCX ≤ 1 s.
"""

import json
import secrets
import statistics
import time
from datetime import date
from decimal import Decimal

from app import create_app
from app.assessments import services
from app.assessments.answers import write_answer
from app.assessments.constants import LEVEL, OPEN
from app.assessments.frameworks import library
from app.assessments.models import Consensus, Membership, Round
from app.assessments.plan import services as plans
from app.assessments.plan.exports import export_round
from app.assessments.plan.models import PlanAction
from app.assessments.rules import AnswerValues
from app.auth.services import create_user
from app.core.db import utcnow
from app.extensions import db

RUNS = 3
ACTIONS = 40
INSTITUTIONS = ("nso", "interior", "labour")
LEADS = ("nso", "interior", "labour", "planning", "data-protection", "foreign-affairs")
LEVELS = (0, 1, 2, 3, 2, 1, 4, 2, 3, 1)


def build_round() -> int:
    framework = library().get("migration-data")
    if framework is None:
        raise RuntimeError("the migration-data framework is not loaded")
    tag = secrets.token_hex(3)
    focal = create_user(email=f"bench-focal-{tag}@bench.example.org",
                        full_name="Bench Focal Point", role="focal_point",
                        password=secrets.token_urlsafe(16), check_password=False)
    round_ = services.create_round(focal, country="KE", label=f"bench {tag}",
                                   framework_slug=framework.slug, institution="nso")
    people = {}
    for institution in INSTITUTIONS:
        user = create_user(email=f"bench-{institution}-{tag}@bench.example.org",
                           full_name=f"Bench {institution}", password=secrets.token_urlsafe(16),
                           check_password=False)
        people[institution] = user
        db.session.add(Membership(round_id=round_.id, user_id=user.id, email=user.email,
                                  role="contributor", institution=institution,
                                  nonce=secrets.token_hex(16), accepted_at=utcnow()))
    round_.routing = {d.slug: list(INSTITUTIONS) for d in framework.domains}
    round_.status, round_.opened_at = OPEN, utcnow()
    db.session.flush()
    for i, q in enumerate(framework.default.questions):
        level = LEVELS[i % len(LEVELS)]
        for j, institution in enumerate(INSTITUTIONS):
            write_answer(round_, institution, q, AnswerValues(
                response=LEVEL, level=min(4, level + (j % 2)),
                links=(f"https://example.org/evidence/{i}/{institution}",),
                note="The annual report, chapter 3.", comment="Discussed with the unit.",
                target_level=min(4, level + 1), target_year=2028), None, people[institution],
                "web")
        db.session.add(Consensus(round_id=round_.id, domain=q.domain, question_id=q.id,
                                 response=LEVEL, level=level,
                                 justification="Agreed at the validation workshop."))
    db.session.flush()
    services.validate_round(focal, round_.id)          # generates the plan
    plan = plans.plan_of(round_.id)
    missing = ACTIONS - len(plan.actions)
    for number in plans.reserve_numbers(plan, max(0, missing)):
        plan.actions.append(PlanAction(number=number, domain=framework.domains[0].slug,
                                       action=f"Additional action {number} agreed at the "
                                              "workshop, with a deliverable and a budget.",
                                       status="not_started"))
    for i, a in enumerate(sorted(plan.actions, key=lambda x: x.number)[:ACTIONS]):
        a.lead_institution, a.partners = LEADS[i % len(LEADS)], "IOM; UN DESA; UNHCR"
        a.output = "A published report and a signed agreement"
        a.starts_on, a.ends_on = date(2027 + i % 3, 1 + i % 12, 1), date(2030, 6, 30)
        a.cost, a.funding = Decimal(10000 + 2500 * i), ("domestic", "donor", "mixed")[i % 3]
        a.milestone, a.risks = "Draft reviewed by the working group", "Staff turnover"
        a.protection_note = "DPIA before any record linkage."
        a.status = ("not_started", "in_progress", "done", "blocked")[i % 4]
    plan.lead_agency, plan.context = "National Bureau of Statistics", "Profile. " * 40
    db.session.commit()
    if len(plan.actions) < ACTIONS:
        raise RuntimeError(f"only {len(plan.actions)} actions")
    return round_.id


def timed(round_id: int, fmt: str, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        db.session.expire_all()
        round_ = db.session.get(Round, round_id)
        started = time.perf_counter()
        result = export_round(round_, fmt, actor=None, via="bench")
        times.append(time.perf_counter() - started)
        db.session.rollback()
        if not result.data:
            raise RuntimeError(f"empty {fmt} export")
    return round(statistics.median(times), 3)


def main() -> dict:
    app = create_app()
    app.config.update(PASSWORD_HASH_METHOD="scrypt:1024:8:1")  # noqa: S106 (cheap hashes)
    with app.app_context():
        round_id = build_round()
        for fmt in ("docx", "pdf"):      # warm-up: imports, fonts, templates (a server has
            timed(round_id, fmt, runs=1)  # them loaded); the 3 timed runs follow
        return {"plan_pdf_s": timed(round_id, "pdf"), "plan_docx_s": timed(round_id, "docx")}


if __name__ == "__main__":
    print(json.dumps(main()))
