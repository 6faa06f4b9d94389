"""The plan in "download my data" and "delete my account": who edited a row
last, and invitations to run a workshop sent to the person's address."""

from sqlalchemy import select

from app.extensions import db
from tests.integration.test_plans_support import (
    Q1,
    action_form,
    actions,
    client_for,
    generate,
    plan_round,
)


def test_plan_edits_and_invitations_are_exported_and_erased(app, make_user):
    from app.assessments.plan.models import PlanAction, PlanCohortRequest
    from app.auth.models import User
    from app.core import privacy

    setup = plan_round(app, make_user, validate=True)
    generate(app, setup)
    a1 = actions(app, setup.round_id)[Q1]
    focal = client_for(app, setup.email("focal"))
    focal.post(f"/assessments/{setup.round_id}/plan/actions/{a1.id}",
               data=action_form(a1, lead_institution="nso"))
    focal.post(f"/assessments/{setup.round_id}/plan/cohort", data={
        "course": "field-basics", "name": "Workshop", "starts_on": "2027-03-01",
        "ends_on": "2027-03-02", "mode": "online", "timezone": "UTC",
        "trainer_email": "invitee@example.org"})
    invitee = make_user("learner", email="invitee@example.org")
    with app.app_context():
        focal_user = db.session.get(User, setup.uid("focal"))
        data = privacy.export_user(focal_user)["data"]["self_assessments"]
        rows = data["plan_rows_last_edited_by_you"]
        assert {(r["table"], r["code"]) for r in rows} >= {("plan_actions", "A-01")}
        assert data["workshop_invitations"][0]["you_asked"] is True
        invited = privacy.export_user(db.session.get(User, invitee))["data"]
        assert invited["self_assessments"]["workshop_invitations"][0]["workshop"] == "Workshop"
        privacy.erase_user(db.session.get(User, invitee))
        privacy.erase_user(focal_user)
        db.session.commit()
        assert db.session.get(PlanAction, a1.id).updated_by_id is None
        request = db.session.scalar(select(PlanCohortRequest))
        assert (request.status, request.trainer_email, request.requested_by_id) == (
            "cancelled", None, None)
