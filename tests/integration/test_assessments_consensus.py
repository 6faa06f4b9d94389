"""Spread of answers, consensus, validation (freezing) and results."""

import re

from sqlalchemy import select

from app.assessments.models import Answer, Consensus, Round
from app.extensions import db
from tests.fixtures.assessments.helpers import (
    DOMAIN,
    Q1,
    Q2,
    answer_page,
    client_for,
    form_fields,
    key,
    make_round,
)


def answer(app, setup, who, domain, values):
    client = client_for(app, setup.email(who))
    fields = answer_page(client, setup.round_id, domain)
    fields.update({f"{key(q)}__choice": v for q, v in values.items()})
    response = client.post(f"/assessments/{setup.round_id}/answer/{domain}", data=fields)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def answered_round(app, make_user):
    setup = make_round(app, make_user)
    answer(app, setup, "nso", DOMAIN, {Q1: "1", Q2: "2"})
    answer(app, setup, "interior", DOMAIN, {Q1: "3", Q2: "2"})         # Q1 spread 2
    answer(app, setup, "labour", DOMAIN, {Q1: "dont_know", Q2: "3"})  # Q2 spread 1
    return setup


def review_form(client, setup, domain=DOMAIN):
    response = client.get(f"/assessments/{setup.round_id}/review/{domain}")
    assert response.status_code == 200
    return response.get_data(as_text=True), form_fields(response.get_data(as_text=True))


def test_spread_is_shown_and_disagreements_of_two_levels_are_flagged(app, make_user):
    setup = answered_round(app, make_user)
    facilitator = client_for(app, setup.email("facilitator"))
    index = facilitator.get(f"/assessments/{setup.round_id}/review/").get_data(as_text=True)
    assert re.search(r'Legal and institutional framework</a></th>\s*<td>2</td>\s*'
                     r'<td><span class="badge badge-bad">1</span>', index)
    html, _ = review_form(facilitator, setup)
    q1 = html[html.index(f'id="q-{Q1}"'):html.index(f'id="q-{Q2}"')]
    q2 = html[html.index(f'id="q-{Q2}"'):]
    assert "Disagreement: answers differ by 2 levels" in q1 and "Spread: 2 levels" in q1
    assert "Disagreement" not in q2 and "Spread: 1 levels" in q2
    assert "Don&#39;t know" in q1                      # labour's answer is shown, not scored


def test_the_facilitator_records_consensus_with_justification_when_flagged(app, make_user):
    setup = answered_round(app, make_user)
    facilitator = client_for(app, setup.email("facilitator"))
    _, fields = review_form(facilitator, setup)
    fields.update({f"{key(Q1)}__choice": "2", f"{key(Q2)}__choice": "2"})
    response = facilitator.post(f"/assessments/{setup.round_id}/review/{DOMAIN}", data=fields)
    assert response.status_code == 400
    assert "explain the agreed level" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Consensus)).all() == []
    fields[f"{key(Q1)}__justification"] = "The law covers permits but not visas."
    response = facilitator.post(f"/assessments/{setup.round_id}/review/{DOMAIN}", data=fields)
    assert response.status_code == 302
    with app.app_context():
        rows = {c.question_id: c for c in db.session.scalars(select(Consensus)).unique()}
        assert rows[Q1].level == 2 and rows[Q1].justification.startswith("The law")
        assert rows[Q1].decided_by_id == setup.uid("facilitator")
        assert rows[Q2].level == 2 and rows[Q2].justification == ""


def test_two_facilitators_do_not_overwrite_each_other(app, make_user):
    setup = answered_round(app, make_user)
    facilitator = client_for(app, setup.email("facilitator"))
    focal = client_for(app, setup.email("focal"))
    _, mine = review_form(facilitator, setup)
    _, theirs = review_form(focal, setup)
    theirs.update({f"{key(Q2)}__choice": "3"})
    assert focal.post(f"/assessments/{setup.round_id}/review/{DOMAIN}",
                      data=theirs).status_code == 302
    mine.update({f"{key(Q2)}__choice": "2"})
    response = facilitator.post(f"/assessments/{setup.round_id}/review/{DOMAIN}", data=mine)
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(Consensus.level).where(
            Consensus.question_id == Q2)) == 3


def _validate(app, setup):
    facilitator = client_for(app, setup.email("facilitator"))
    _, fields = review_form(facilitator, setup)
    fields.update({f"{key(Q1)}__choice": "2", f"{key(Q1)}__justification": "Agreed.",
                   f"{key(Q2)}__choice": "3"})
    assert facilitator.post(f"/assessments/{setup.round_id}/review/{DOMAIN}",
                            data=fields).status_code == 302
    focal = client_for(app, setup.email("focal"))
    page = focal.get(f"/assessments/{setup.round_id}/validate").get_data(as_text=True)
    assert "3 questions have no consensus level" in page
    assert focal.post(f"/assessments/{setup.round_id}/validate").status_code == 302
    return focal, facilitator


def test_only_the_focal_point_validates_and_validation_freezes_everything(app, make_user):
    setup = answered_round(app, make_user)
    rid = setup.round_id
    facilitator = client_for(app, setup.email("facilitator"))
    assert facilitator.post(f"/assessments/{rid}/validate").status_code == 403
    focal, facilitator = _validate(app, setup)
    with app.app_context():
        round_ = db.session.get(Round, rid)
        assert round_.status == "validated" and round_.validated_at is not None
        snap = round_.snapshot
        assert snap["framework"]["version"] == "test-1"
        assert {(a["institution"], a["question"]) for a in snap["answers"]} >= {
            ("nso", Q1), ("interior", Q1), ("labour", Q2)}
        assert snap["summary"]["domains"][0]["score"] == (2 * 2 + 3 * 1) / 3
        assert "@" not in str(snap)                             # no personal data in it
        answers_before = db.session.scalar(select(Answer.version).where(
            Answer.question_id == Q1, Answer.institution == "nso"))

    nso = client_for(app, setup.email("nso"))
    fields = answer_page(nso, rid)                              # still readable
    fields[f"{key(Q1)}__choice"] = "4"
    writes = [
        (nso, f"/assessments/{rid}/answer/{DOMAIN}", fields),
        (nso, f"/assessments/{rid}/workbook/upload", {}),
        (facilitator, f"/assessments/{rid}/review/{DOMAIN}", {f"{key(Q1)}__choice": "4"}),
        (focal, f"/assessments/{rid}/validate", {}),
        (focal, f"/assessments/{rid}/status", {"to": "open"}),
        (focal, f"/assessments/{rid}/members", {"email": "late@example.org",
                                                "role": "contributor", "institution": "nso"}),
        (focal, f"/assessments/{rid}/routing", {"route": "coordination:nso"}),
    ]
    for client, url, data in writes:
        response = client.post(url, data=data)
        assert response.status_code == 403, url
    assert "validated" in nso.post(writes[0][1], data=fields).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Answer.version).where(
            Answer.question_id == Q1, Answer.institution == "nso")) == answers_before
        assert db.session.get(Round, rid).routing["coordination"] == ["nso", "interior",
                                                                      "labour"]
    assert "Validated" in focal.get(f"/assessments/{rid}/").get_data(as_text=True)


def test_results_show_scores_charts_and_details_to_those_who_may_see_them(app, make_user):
    setup = answered_round(app, make_user)
    rid = setup.round_id
    facilitator = client_for(app, setup.email("facilitator"))
    _, fields = review_form(facilitator, setup)
    fields.update({f"{key(Q1)}__choice": "1", f"{key(Q1)}__justification": "Only permits.",
                   f"{key(Q2)}__choice": "3"})
    facilitator.post(f"/assessments/{rid}/review/{DOMAIN}", data=fields)
    html = facilitator.get(f"/assessments/{rid}/results").get_data(as_text=True)
    assert "Provisional" in html and "not a ranking" in html
    assert html.count('role="img"') == 2 and "<title id=" in html and "<desc id=" in html
    # legal framework = (1*2 + 3*1) / 3 = 1.67; overall = the same (one domain scored)
    assert "<td>1.67</td>" in html and "42%" in html
    assert "<strong>1.7</strong>" in html
    assert "Only permits." in html and "Add migration statistics to the NSO" in html
    assert "Disagreement between institutions" in html and "Interior / immigration: 3" in html
    assert "/courses/field-basics/#counting" in html
    # A contributor sees the scores but not what each institution answered.
    contributor = client_for(app, setup.email("nso")).get(f"/assessments/{rid}/results")
    text = contributor.get_data(as_text=True)
    assert contributor.status_code == 200 and "<td>1.67</td>" in text
    assert "Disagreement between institutions" not in text


def test_validated_results_come_from_the_snapshot(app, make_user):
    setup = answered_round(app, make_user)
    focal, _ = _validate(app, setup)
    with app.app_context():
        # Even if a row changed behind the application's back, the frozen scores stay.
        db.session.execute(Consensus.__table__.update().values(level=0))
        db.session.commit()
    html = focal.get(f"/assessments/{setup.round_id}/results").get_data(as_text=True)
    assert "frozen" in html and "<td>2.33</td>" in html
    contributor = client_for(app, setup.email("nso"))
    text = contributor.get(f"/assessments/{setup.round_id}/results").get_data(as_text=True)
    assert "Disagreement between institutions" in text            # open to all once validated
