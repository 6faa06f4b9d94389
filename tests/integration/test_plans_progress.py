"""Progress over rounds: the next round pre-filled from a validated one, the
comparison page, and the change since the last round in the plan."""

from sqlalchemy import select

from app.extensions import db
from tests.fixtures.assessments.helpers import answer_page, key
from tests.integration.test_plans_support import (
    CONSENSUS,
    DEFS,
    Q1,
    Q2,
    WG,
    action_form,
    actions,
    audit_events,
    client_for,
    plan_round,
)


def _next_round(app, setup, label="2028"):
    focal = client_for(app, setup.email("focal"))
    page = focal.get(f"/assessments/{setup.round_id}/next-round")
    assert page.status_code == 200 and 'value="2028"' in page.get_data(as_text=True)
    response = focal.post(f"/assessments/{setup.round_id}/next-round", data={"label": label})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rstrip("/").split("/")[-1]), focal


def test_the_next_round_starts_from_the_validated_one(app, make_user):
    from app.assessments.models import Answer, Consensus, Membership, Round

    setup = plan_round(app, make_user, validate=True)
    new_id, focal = _next_round(app, setup)
    with app.app_context():
        new = db.session.get(Round, new_id)
        assert (new.country, new.label, new.status, new.previous_id) == (
            "JO", "2028", "draft", setup.round_id)
        members = db.session.scalars(select(Membership).where(
            Membership.round_id == new_id)).all()
        focal_row = next(m for m in members if m.role == "focal_point")
        assert focal_row.user_id == setup.uid("focal") and focal_row.accepted_at
        others = [m for m in members if m is not focal_row]
        assert len(others) == 6 and all(m.user_id is None for m in others)   # pending
        answers = db.session.scalars(select(Answer).where(Answer.round_id == new_id)).all()
        assert len(answers) == 15 and {a.source for a in answers} == {"carried"}
        consensus = db.session.scalars(select(Consensus).where(
            Consensus.round_id == new_id)).all()
        assert {c.question_id: c.level for c in consensus} == CONSENSUS
        assert all(c.carried_over for c in consensus)
    assert audit_events(app, "plans.next_round_started")[0].details["new_round"] == new_id
    # Only once per name; other members cannot start it; a round in progress cannot.
    again = focal.post(f"/assessments/{setup.round_id}/next-round", data={"label": "2028"})
    assert again.status_code == 400 and "already has a round" in again.get_data(as_text=True)
    facilitator = client_for(app, setup.email("facilitator"))
    assert facilitator.post(f"/assessments/{setup.round_id}/next-round",
                            data={"label": "2030"}).status_code == 403
    assert focal.get(f"/assessments/{new_id}/next-round").status_code == 403


def test_carried_answers_and_levels_are_confirmed_by_saving(app, make_user):
    from app.assessments.constants import OPEN
    from app.assessments.models import Answer, Consensus, Membership, Round

    setup = plan_round(app, make_user, validate=True)
    new_id, focal = _next_round(app, setup)
    with app.app_context():
        db.session.get(Round, new_id).status = OPEN
        # The NSO contributor accepts the new invitation.
        row = db.session.scalar(select(Membership).where(Membership.round_id == new_id,
                                                         Membership.email == setup.email("nso")))
        row.user_id = setup.uid("nso")
        db.session.commit()
    nso = client_for(app, setup.email("nso"))
    html = nso.get(f"/assessments/{new_id}/answer/legal-framework").get_data(as_text=True)
    assert "Carried over" in html
    fields = answer_page(nso, new_id)
    assert fields[f"{key(Q1)}__choice"] == "1"
    assert nso.post(f"/assessments/{new_id}/answer/legal-framework",
                    data=fields).status_code == 302
    with app.app_context():
        sources = {a.question_id: a.source for a in db.session.scalars(select(Answer).where(
            Answer.round_id == new_id, Answer.institution == "nso"))}
        assert sources[Q1] == sources[Q2] == "web" and sources[WG] == "carried"
    review = focal.get(f"/assessments/{new_id}/review/legal-framework").get_data(as_text=True)
    assert "Carried over" in review
    plan_html = focal.post(f"/assessments/{new_id}/plan/generate", follow_redirects=True)
    assert "4 consensus levels were carried over" in plan_html.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Consensus).where(
            Consensus.round_id == new_id, Consensus.question_id == Q1)).carried_over


def test_the_comparison_shows_changes_targets_and_action_status(app, make_user):
    from app.assessments.models import Consensus, Round

    setup = plan_round(app, make_user, validate=True)
    earlier = actions(app, setup.round_id)
    focal = client_for(app, setup.email("focal"))
    assert focal.post(f"/assessments/{setup.round_id}/plan/actions/{earlier[Q1].id}",
                      data=action_form(earlier[Q1], status="done")).status_code == 302
    first = focal.get(f"/assessments/{setup.round_id}/progress").get_data(as_text=True)
    assert "this round is the baseline" in first and "Start the next round" in first
    new_id, _focal = _next_round(app, setup)
    with app.app_context():
        for qid, level in ((Q1, 3), (DEFS, 0)):
            row = db.session.scalar(select(Consensus).where(Consensus.round_id == new_id,
                                                            Consensus.question_id == qid))
            row.level, row.carried_over = level, False
        db.session.get(Round, new_id).status = "in_review"
        db.session.commit()
    html = focal.get(f"/assessments/{new_id}/progress").get_data(as_text=True)
    assert "Jordan 2028 compared with 2026." in html
    # statistics-law-mandate: 1 -> 3, target 2 (the 2026 plan's action), attained; A-01 done
    assert "+2" in html and "A-01: Done" in html
    assert "Targets attained: 1 of 4" in html
    plan = focal.post(f"/assessments/{new_id}/plan/generate", follow_redirects=True)
    assert "Change since 2026" in plan.get_data(as_text=True)


def test_another_teams_round_of_the_same_country_is_not_its_previous_round(app, make_user):
    """Any focal point may create a round for any country: that must not show them
    the validated results of another team's round (comparison page, plan)."""
    setup = plan_round(app, make_user, validate=True)
    spy = make_user("focal_point")
    with app.app_context():
        from app.auth.models import User
        email = db.session.get(User, spy).email
    client = client_for(app, email)
    response = client.post("/assessments/new", data={
        "country": "JO", "label": "2027", "framework": "mini",
        "institution": "data-protection"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    with app.app_context():
        from app.assessments.models import Round
        spy_round = db.session.scalar(select(Round).where(Round.label == "2027")).id
    html = client.get(f"/assessments/{spy_round}/progress").get_data(as_text=True)
    assert "compared with 2026" not in html and "A-01" not in html
    plan = client.post(f"/assessments/{spy_round}/plan/generate", follow_redirects=True)
    assert "Change since 2026" not in plan.get_data(as_text=True)
    # The same team's next round, created directly (not through "next round"), still
    # compares with its own earlier round.
    focal = client_for(app, setup.email("focal"))
    response = focal.post("/assessments/new", data={
        "country": "JO", "label": "2029", "framework": "mini",
        "institution": "data-protection"})
    assert response.status_code == 302
    with app.app_context():
        own = db.session.scalar(select(Round).where(Round.label == "2029")).id
    assert "compared with 2026" in focal.get(f"/assessments/{own}/progress").get_data(
        as_text=True)
