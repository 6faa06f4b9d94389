"""The demo: the 2026 round's plan with edited actions, an earlier validated
2024 round with a finished plan, progress between them; idempotent."""

import io

from docx import Document
from sqlalchemy import func, select

from app.extensions import db
from tests.conftest import login


def _seed(app, runner):
    with app.app_context():
        result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def test_demo_plans_and_progress(app, runner):
    from app.assessments.models import Round
    from app.assessments.plan.models import Plan, PlanAction, PlanFlow, PlanNeed
    from app.demo import demo_password

    _seed(app, runner)

    def counts():
        with app.app_context():
            return tuple(db.session.scalar(select(func.count()).select_from(m))
                         for m in (Round, Plan, PlanAction, PlanNeed, PlanFlow))

    first = counts()
    _seed(app, runner)
    assert counts() == first and first[:2] == (2, 2)
    with app.app_context():
        current = db.session.scalar(select(Round).where(Round.label == "2026"))
        earlier = db.session.scalar(select(Round).where(Round.label == "2024"))
        assert current.previous_id == earlier.id and earlier.status == "validated"
        edited = db.session.scalars(select(PlanAction).join(Plan).where(
            Plan.round_id == current.id, PlanAction.edited_at.is_not(None))).all()
        assert edited and all(a.lead_institution and a.cost for a in edited)
        current_id, earlier_id = current.id, earlier.id
    client = app.test_client()
    login(client, "focal@example.org", demo_password("focal_point"))
    plan = client.get(f"/assessments/{current_id}/plan").get_data(as_text=True)
    assert "Change since 2024" in plan and "Draft — incomplete" in plan
    progress = client.get(f"/assessments/{current_id}/progress").get_data(as_text=True)
    assert "Jordan 2026 compared with 2024." in progress
    finished = client.get(f"/assessments/{earlier_id}/plan").get_data(as_text=True)
    assert "Draft — incomplete" not in finished and "Approved" in finished
    docx = client.post(f"/assessments/{current_id}/plan/export.docx")
    headings = [p.text for p in Document(io.BytesIO(docx.data)).paragraphs
                if p.style.name == "Heading 1"]
    assert len(headings) == 15
