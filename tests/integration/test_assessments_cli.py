"""flask assessments validate|import|list, seed-demo, and the personal-data registry."""

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.assessments.models import (
    Answer,
    Consensus,
    EvidenceFile,
    FrameworkVersion,
    Membership,
    Round,
)
from app.auth.models import User
from app.core import privacy
from app.extensions import db
from tests.conftest import PASSWORD
from tests.fixtures.assessments.helpers import (
    DOMAIN,
    Q1,
    answer_page,
    client_for,
    key,
    make_round,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "assessments"


def test_validate_the_fixture_and_a_broken_copy(app, runner, tmp_path):
    result = runner.invoke(args=["assessments", "validate"])
    assert result.exit_code == 0, result.output
    assert "ok  mini  test-1  (3 domains, 5 questions, languages: en, fr)" in result.output
    broken = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", broken)
    text = (broken / "framework.yaml").read_text()
    (broken / "framework.yaml").write_text(text.replace("      4: Demand-driven products.",
                                                        "      5: Demand-driven products."))
    line = text[:text.index("      4: Demand-driven")].count("\n") + 1
    result = runner.invoke(args=["assessments", "validate", str(broken)])
    assert result.exit_code == 1
    assert f"mini/framework.yaml:{line}: domain 'dissemination': level 5 is outside 0–4" in (
        result.output)
    assert runner.invoke(args=["assessments", "validate", str(tmp_path / "none")]).exit_code == 1


def test_course_modules_are_checked_against_the_course_catalogue(app, runner, tmp_path):
    broken = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", broken)
    path = broken / "framework.yaml"
    path.write_text(path.read_text().replace("field-basics/sources", "field-basics/nowhere"))
    result = runner.invoke(args=["assessments", "validate", str(broken)])
    assert result.exit_code == 1 and "unknown course module 'field-basics/nowhere'" in (
        result.output)


def test_the_real_framework_validates_when_present(app):
    """The framework content of assessments/ (written separately) against courses/."""
    from app.assessments.loader import load_library

    root = Path(__file__).resolve().parents[2] / "assessments"
    courses = Path(__file__).resolve().parents[2] / "courses"
    if not any(root.glob("*/framework.yaml")):
        pytest.skip("no framework in assessments/ yet")
    modules = {f"{m.parent.parent.name}/{m.name}" for m in courses.glob("*/modules/*")
               if m.is_dir()}
    library = load_library(root, tuple(app.config["LANGUAGES"]), modules)
    assert [str(p) for p in library.problems] == []


def test_import_records_each_version_once_and_refuses_bad_content(app, runner, tmp_path):
    result = runner.invoke(args=["assessments", "import"])
    assert result.exit_code == 0 and "new   mini  test-1" in result.output
    result = runner.invoke(args=["assessments", "import"])
    assert result.exit_code == 0 and "same  mini" in result.output
    with app.app_context():
        row = db.session.scalar(select(FrameworkVersion))
        assert (row.framework_slug, row.version_label, row.domains, row.questions) == (
            "mini", "test-1", 3, 5)
    broken = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", broken)
    (broken / "framework.yaml").write_text("title: [unclosed\n")
    result = runner.invoke(args=["assessments", "import", str(broken)])
    assert result.exit_code == 1 and "Nothing imported" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FrameworkVersion)) == 1


def test_list_json(app, runner, make_user):
    result = runner.invoke(args=["assessments", "list", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    setup = make_round(app, make_user)
    for who, level in (("nso", "1"), ("interior", "3")):
        client = client_for(app, setup.email(who))
        fields = answer_page(client, setup.round_id)
        fields[f"{key(Q1)}__choice"] = level
        client.post(f"/assessments/{setup.round_id}/answer/{DOMAIN}", data=fields)
    with app.app_context():
        db.session.add(Consensus(round_id=setup.round_id, domain=DOMAIN, question_id=Q1,
                                 response="level", level=2, justification="ok"))
        db.session.commit()
    result = runner.invoke(args=["assessments", "list", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)                    # standard output holds only JSON
    assert rows == [{"id": setup.round_id, "country": "JO", "round": "2026",
                     "framework": "mini", "status": "open", "institutions": 2,
                     "domain_scores": {"legal-framework": 2.0, "coordination": None,
                                       "dissemination": None}}]
    text = runner.invoke(args=["assessments", "list"])
    assert text.exit_code == 0 and "institutions: 2" in text.output


def seed_demo(app, runner):
    # seed-demo is a plain click command: `flask` pushes the app context, the runner does not.
    with app.app_context():
        result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def test_seed_demo_creates_a_round_once(app, runner):
    result = seed_demo(app, runner)
    assert "nso.contributor@example.org" in result.output

    def counts():
        with app.app_context():
            return tuple(db.session.scalar(select(func.count()).select_from(model))
                         for model in (Round, Membership, Answer, Consensus, User))

    first = counts()
    seed_demo(app, runner)
    assert counts() == first
    every = json.loads(runner.invoke(args=["assessments", "list", "--format", "json"]).stdout)
    # The 2026 round, and the earlier validated round of the plan's demo (Progress page).
    assert sorted((r["round"], r["status"]) for r in every) == [("2024", "validated"),
                                                                ("2026", "open")]
    rows = [r for r in every if r["round"] == "2026"]
    assert rows[0]["country"] == "JO" and rows[0]["institutions"] == 3
    assert any(v is not None for v in rows[0]["domain_scores"].values())
    with app.app_context():
        consensus = db.session.scalar(select(func.count()).select_from(Consensus).where(
            Consensus.round_id == rows[0]["id"]))
        questions = 5
        assert questions // 2 < consensus < questions            # most, not all
        from app.assessments import scoring
        from app.assessments.services import round_data

        data = round_data(rows[0]["id"])
        assert any(d.flagged for d in scoring.disagreements(
            _mini(app), data.answer_levels()))                    # some disagreements
    # The demo focal point can sign in and see the round.
    client = app.test_client()
    from app.demo import demo_password

    client.post("/auth/login", data={"email": "focal@example.org",
                                     "password": demo_password("focal_point")})
    assert "Jordan 2026" in client.get("/assessments/").get_data(as_text=True)


def _mini(app):
    return app.extensions["assessment_frameworks"].get("mini")


def test_privacy_export_and_erase(app, make_user):
    setup = make_round(app, make_user)
    nso = client_for(app, setup.email("nso"))
    fields = answer_page(nso, setup.round_id)
    fields[f"{key(Q1)}__choice"] = "3"
    fields[f"{key(Q1)}__comment"] = "Saved by me"
    nso.post(f"/assessments/{setup.round_id}/answer/{DOMAIN}", data=fields)
    with app.app_context():
        db.session.add(EvidenceFile(round_id=setup.round_id, institution="nso",
                                    question_id=Q1, original_name="law.pdf",
                                    stored_name="0" * 32 + ".pdf",
                                    content_type="application/pdf", size=10,
                                    uploaded_by_id=setup.uid("nso")))
        db.session.commit()
    export = nso.post("/account/data/export").get_json()
    mine = export["data"]["self_assessments"]
    assert mine["memberships"][0]["institution"] == "nso"
    assert mine["answers_last_saved_by_you"][0]["comment"] == "Saved by me"
    assert mine["files_uploaded"][0]["name"] == "law.pdf"

    response = nso.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        answer = db.session.scalar(select(Answer))
        assert answer.updated_by_id is None and answer.level == 3   # the institution's answer
        assert db.session.scalar(select(EvidenceFile.uploaded_by_id)) is None
        assert db.session.scalar(select(Membership).where(
            Membership.user_id == setup.uid("nso"))) is None
    assert any(s.name == "self_assessments" for s in privacy.sources())
