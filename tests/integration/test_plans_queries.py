"""The results, plan and comparison pages issue a bounded number of SQL
statements, whatever the number of answers, institutions and actions."""

from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db
from tests.integration.test_plans_support import (
    DOMAINS,
    client_for,
    fill_round,
    plan_round,
)

PAGES = ("results", "plan", "progress", "plan/learning")


@contextmanager
def counting(app):
    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _counts(app, client, round_id) -> dict:
    result = {}
    for page in PAGES:
        url = f"/assessments/{round_id}/{page}"
        assert client.get(url).status_code == 200, url          # warm the caches
        with counting(app) as statements:
            assert client.get(url).status_code == 200
        result[page] = len(statements)
    return result


def _grow(app, round_id, plan_id):
    """Twice the institutions answering, and many more actions, needs and flows."""
    from app.assessments.models import EvidenceFile, Round
    from app.assessments.plan.models import PlanAction, PlanFlow, PlanNeed

    with app.app_context():
        round_ = db.session.get(Round, round_id)
        round_.routing = {d: ["nso", "interior", "labour", "planning", "refugee-agency",
                              "civil-registration"] for d in set(DOMAINS.values())}
        db.session.commit()
    fill_round(app, round_id, {}, institutions=("planning", "refugee-agency",
                                                "civil-registration"))
    with app.app_context():
        for n in range(100, 140):
            db.session.add(PlanAction(plan_id=plan_id, number=n, domain="coordination",
                                      action=f"Extra action {n}", status="in_progress",
                                      lead_institution="nso"))
            db.session.add(PlanNeed(plan_id=plan_id, number=n, policy_question="Q?",
                                    indicator=f"Indicator {n}", disaggregation=["sex"]))
            db.session.add(PlanFlow(plan_id=plan_id, number=n, data=f"Flow {n}"))
        for i, qid in enumerate(DOMAINS):
            db.session.add(EvidenceFile(round_id=round_id, institution="nso", question_id=qid,
                                        original_name="law.pdf", stored_name=f"x{i}",
                                        content_type="application/pdf", size=10))
        db.session.commit()


def test_pages_use_a_bounded_number_of_queries(app, make_user):
    from app.assessments.plan.services import plan_of

    earlier = plan_round(app, make_user, validate=True)
    focal = client_for(app, earlier.email("focal"))
    response = focal.post(f"/assessments/{earlier.round_id}/next-round", data={"label": "2028"})
    round_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert focal.post(f"/assessments/{round_id}/plan/generate").status_code == 302
    with app.app_context():
        plan_id = plan_of(round_id).id
    before = _counts(app, focal, round_id)
    _grow(app, round_id, plan_id)
    after = _counts(app, focal, round_id)
    assert after == before, (before, after)
    assert all(n <= 25 for n in after.values()), after
