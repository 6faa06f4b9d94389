"""Generating the plan (idempotent, never overwriting edits), editing actions,
needs, flows and texts with optimistic concurrency, and who may do what."""

from sqlalchemy import select

from app.extensions import db
from tests.integration.test_plans_support import (
    CAL,
    DEFS,
    Q1,
    Q2,
    WG,
    action_form,
    actions,
    audit_events,
    client_for,
    fill_round,
    generate,
    plan_of,
    plan_round,
)


def test_generating_drafts_an_action_per_gap_and_the_needs_and_flows(app, make_user):
    setup = plan_round(app, make_user)
    focal = client_for(app, setup.email("focal"))
    page = focal.get(f"/assessments/{setup.round_id}/plan").get_data(as_text=True)
    assert "No plan yet" in page and "Generate the plan" in page
    generate(app, setup)
    drafted = actions(app, setup.round_id)
    assert set(drafted) == {Q1, Q2, DEFS}                   # levels 1, 2, 0; not WG (3)
    a1 = drafted[Q1]
    assert a1.baseline_level == 1 and a1.target_level == 2     # institutions' target
    assert a1.action == "Add migration statistics to the NSO's programme."   # level 1 text
    assert a1.course_module == "field-basics/counting" and a1.status == "not_started"
    assert drafted[DEFS].importance == 3                        # level 0
    plan = plan_of(app, setup.round_id)
    assert len(plan.needs) == 10 and {f.from_institution for f in plan.flows} == {
        "interior", "labour"}
    assert plan.objectives and "Legal and institutional framework" in plan.objectives
    assert audit_events(app, "plans.generated")[0].subject == f"round:{setup.round_id}"
    html = focal.get(f"/assessments/{setup.round_id}/plan").get_data(as_text=True)
    assert "Draft — incomplete" in html and "1 of 5 questions have no consensus" in html
    assert f"/assessments/{setup.round_id}/plan/actions/{a1.id}" in html    # edit link


def test_regenerating_adds_new_gaps_and_keeps_edits(app, make_user):
    setup = plan_round(app, make_user)
    generate(app, setup)
    a1 = actions(app, setup.round_id)[Q1]
    focal = client_for(app, setup.email("focal"))
    response = focal.post(f"/assessments/{setup.round_id}/plan/actions/{a1.id}",
                          data=action_form(a1, action="Our own wording", lead_institution="nso"))
    assert response.status_code == 302
    generate(app, setup)                                        # nothing new: idempotent
    assert len(actions(app, setup.round_id)) == 3
    # A new gap appears (release-calendar agreed at 1) and Q1's level changes.
    from app.assessments.constants import LEVEL
    from app.assessments.models import Consensus

    with app.app_context():
        db.session.add(Consensus(round_id=setup.round_id, domain="dissemination",
                                 question_id=CAL, response=LEVEL, level=1))
        row = db.session.scalar(select(Consensus).where(Consensus.round_id == setup.round_id,
                                                        Consensus.question_id == Q1))
        row.level = 0
        db.session.commit()
    generate(app, setup)
    after = actions(app, setup.round_id)
    assert set(after) == {Q1, Q2, DEFS, CAL} and after[CAL].number == 4
    assert after[Q1].action == "Our own wording" and after[Q1].baseline_level == 1  # edited
    assert len(audit_events(app, "plans.refreshed")) == 2


def test_validation_generates_the_plan(app, make_user):
    setup = plan_round(app, make_user, validate=True)
    assert set(actions(app, setup.round_id)) == {Q1, Q2, DEFS}


def test_editing_an_action_and_the_conflict_on_a_stale_version(app, make_user):
    setup = plan_round(app, make_user)
    generate(app, setup)
    a2 = actions(app, setup.round_id)[Q2]
    focal = client_for(app, setup.email("focal"))
    facilitator = client_for(app, setup.email("facilitator"))
    url = f"/assessments/{setup.round_id}/plan/actions/{a2.id}"
    page = focal.get(url).get_data(as_text=True)
    assert "Action A-02" in page and 'name="version"' in page
    stale = action_form(a2)
    saved = facilitator.post(url, data=action_form(
        a2, lead_institution="interior", partners="IOM", starts_on="2027-01-01",
        ends_on="2027-12-31", cost="25000.50", funding="donor", status="in_progress",
        importance="3", needs_dsa="y"))
    assert saved.status_code == 302
    after = actions(app, setup.round_id)[Q2]
    assert (after.lead_institution, str(after.cost), after.funding, after.status,
            after.importance, after.needs_dsa, after.version) == (
        "interior", "25000.50", "donor", "in_progress", 3, True, a2.version + 1)
    assert after.priority == (after.target_level - after.baseline_level) * 3
    # The focal point saves from the page loaded before: refused, nothing saved.
    conflict = focal.post(url, data={**stale, "lead_institution": "labour"})
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert "Someone else saved this" in html and "Their version" in html
    assert actions(app, setup.round_id)[Q2].lead_institution == "interior"
    # Saving again from the conflict page (it carries the current version) replaces it.
    again = focal.post(url, data={**stale, "version": str(after.version),
                                  "lead_institution": "labour"})
    assert again.status_code == 302
    assert actions(app, setup.round_id)[Q2].lead_institution == "labour"
    assert len(audit_events(app, "plans.action_updated")) == 2


def test_action_values_are_checked(app, make_user):
    setup = plan_round(app, make_user)
    generate(app, setup)
    a1 = actions(app, setup.round_id)[Q1]
    focal = client_for(app, setup.email("focal"))
    url = f"/assessments/{setup.round_id}/plan/actions/{a1.id}"
    for bad, message in (({"cost": "lots"}, "Enter an amount"),
                         ({"starts_on": "2027-05-01", "ends_on": "2027-01-01"},
                          "end cannot be before"),
                         ({"status": "sleeping"}, "Choose a value"),
                         ({"action": ""}, "Describe the action"),
                         ({"course_module": "other/module"}, "course module")):
        response = focal.post(url, data=action_form(a1, **bad))
        assert response.status_code == 400 and message in response.get_data(as_text=True), bad


def test_manual_actions_can_be_added_and_deleted_drafted_ones_cannot(app, make_user):
    setup = plan_round(app, make_user)
    generate(app, setup)
    focal = client_for(app, setup.email("focal"))
    base = f"/assessments/{setup.round_id}/plan/actions"
    response = focal.post(f"{base}/new", data={
        "domain": "coordination", "action": "Train the working group", "status": "not_started",
        "importance": "2", "currency": "EUR", "cost": "1000", "lead_institution": "nso"})
    assert response.status_code == 302
    manual = actions(app, setup.round_id)["A-04"]
    assert manual.drafted_from is None and manual.currency == "EUR"
    drafted = actions(app, setup.round_id)[Q1]
    refused = focal.post(f"{base}/{drafted.id}/delete", follow_redirects=True)
    assert "drafted from a gap" in refused.get_data(as_text=True)
    assert focal.post(f"{base}/{manual.id}/delete").status_code == 302
    assert "A-04" not in actions(app, setup.round_id)
    generate(app, setup)                  # the next number is never reused
    assert focal.post(f"{base}/new", data={"domain": "coordination", "action": "Another",
                                           "status": "done", "importance": "1",
                                           "currency": "USD"}).status_code == 302
    assert "A-05" in actions(app, setup.round_id)


def test_needs_flows_and_texts_are_edited(app, make_user):
    setup = plan_round(app, make_user)
    generate(app, setup)
    plan = plan_of(app, setup.round_id)
    need, flow = plan.needs[0], plan.flows[0]
    focal = client_for(app, setup.email("focal"))
    base = f"/assessments/{setup.round_id}/plan"
    response = focal.post(f"{base}/needs/{need.id}", data={
        "version": str(need.version), "policy_question": "Who lives here?",
        "indicator": "Migrant stock", "disaggregation": ["sex", "age", "disability"],
        "available": ["sex"], "priority": "3", "gap_type": "data", "responsible": "nso"})
    assert response.status_code == 302
    response = focal.post(f"{base}/flows/{flow.id}", data={
        "version": str(flow.version), "from_institution": "interior", "to_institution": "nso",
        "data": "Residence permits", "dsa_status": "signed", "dpia_status": "done",
        "sdc_rules": "=cells below 10 suppressed"})
    assert response.status_code == 302
    response = focal.post(f"{base}/settings", data={
        "version": str(plan.version), "doc_version": "1.0", "approval_status": "submitted",
        "lead_agency": "Department of Statistics", "language": "fr", "currency": "jod",
        "context": "Migrants are 30% of the population.", "starts_on": "2027-01-01"})
    assert response.status_code == 302
    after = plan_of(app, setup.round_id)
    assert after.needs[0].disaggregation == ["sex", "age", "disability"]
    assert after.needs[0].edited_at is not None
    assert after.flows[0].dsa_status == "signed"
    assert (after.doc_version, after.language, after.currency) == ("1.0", "fr", "JOD")
    # The document now follows the plan's language.
    html = focal.get(base).get_data(as_text=True)
    assert "Plan national de données migratoires" in html or 'lang="fr"' in html
    stale = focal.post(f"{base}/settings", data={"version": str(plan.version),
                                                 "doc_version": "2.0", "language": "en",
                                                 "approval_status": "draft",
                                                 "currency": "USD"})
    assert stale.status_code == 409
    flow_page = focal.post(f"{base}/flows/new", data={"data": "", "dsa_status": "unknown",
                                                      "dpia_status": "unknown"})
    assert flow_page.status_code == 400 and "Say which data flow" in flow_page.get_data(
        as_text=True)


def test_who_may_see_and_edit_the_plan(app, make_user, login_as, client):
    setup = plan_round(app, make_user)
    generate(app, setup)
    a1 = actions(app, setup.round_id)[Q1]
    base = f"/assessments/{setup.round_id}/plan"
    contributor = client_for(app, setup.email("nso"))
    observer = client_for(app, setup.email("observer"))
    for member in (contributor, observer):
        html = member.get(base).get_data(as_text=True)
        assert "Action plan" in html and f"{base}/actions/{a1.id}" not in html   # no edit link
        assert member.get(f"{base}/actions/{a1.id}").status_code == 403
        assert member.post(f"{base}/actions/{a1.id}", data=action_form(
            a1, lead_institution="nso")).status_code == 403
        assert member.post(f"{base}/generate").status_code == 403
        assert member.get(f"{base}/settings").status_code == 403
    assert actions(app, setup.round_id)[Q1].lead_institution is None
    # Someone from another round, and guessed ids, learn nothing.
    other = plan_round(app, make_user, country="SN", label="2026")
    generate(app, other)
    other_action = actions(app, other.round_id)[Q1]
    outsider = client_for(app, other.email("focal"))
    for url in (base, f"{base}/actions/{a1.id}", f"{base}/settings", f"{base}/learning",
                f"/assessments/{setup.round_id}/progress",
                f"/assessments/{setup.round_id}/benchmark"):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"{base}/export.pdf").status_code == 404
    focal = client_for(app, setup.email("focal"))
    assert focal.get(f"{base}/actions/{other_action.id}").status_code == 404
    assert focal.get(f"{base}/actions/99999").status_code == 404
    assert focal.get(f"{base}/needs/99999").status_code == 404
    assert focal.get("/assessments/99999/plan").status_code == 404
    assert focal.post(f"{base}/export.exe").status_code == 404
    # An admin sees the plan but is not one of the round's editors.
    login_as("admin")
    assert client.get(base).status_code == 200
    assert client.get(f"{base}/actions/{a1.id}").status_code == 403


def test_a_plan_before_any_consensus_says_so(app, make_user):
    setup = plan_round(app, make_user, consensus={})
    generate(app, setup)
    html = client_for(app, setup.email("focal")).get(
        f"/assessments/{setup.round_id}/plan").get_data(as_text=True)
    assert "5 of 5 questions have no consensus level yet." in html
    assert actions(app, setup.round_id) == {}
    fill_round(app, setup.round_id, {WG: 1}, institutions=())
    generate(app, setup)
    assert set(actions(app, setup.round_id)) == {WG}
