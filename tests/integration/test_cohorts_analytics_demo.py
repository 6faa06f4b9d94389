"""seed-demo fills the demo workshop with pre-tests, post-tests, answers and
feedback, once; the dashboard, report and programme view then show numbers."""

import pytest
from sqlalchemy import func, select

from app.cohorts.models import Cohort, CohortFeedback
from app.extensions import db
from app.quizzes.models import AttemptAnswer, QuizAttempt
from tests.conftest import login
from tests.integration.test_cohorts_analytics_support import text


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (QuizAttempt, AttemptAnswer, CohortFeedback))


@pytest.mark.pdf
def test_seed_demo_adds_analytics_once(app, runner, monkeypatch):
    from app.cohorts import demo

    monkeypatch.setattr(demo, "COURSE", "field-basics")
    with app.app_context():
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = counts(app)
    with app.app_context():
        result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert counts(app) == first
    with app.app_context():
        cohort = db.session.scalar(select(Cohort))
        assert cohort.pretest_quiz == "final"
        pretests = db.session.scalar(select(func.count()).select_from(QuizAttempt).where(
            QuizAttempt.is_pretest.is_(True)))
        assert pretests == 11
        assert first[2] == 7                        # seven learners answered the survey
        cohort_id = cohort.id
    client = app.test_client()
    assert login(client, "trainer@example.org", "Trainer-Demo-2026").status_code == 302
    html = text(client.get(f"/cohorts/{cohort_id}/dashboard"))
    assert "7 learners answered the survey" in html
    assert "Failed a quiz twice" in html and "No activity for more than 7 days" in html
    assert "undefined (pre-test 100%)" in html                       # Mariam Diop
    assert client.get(f"/cohorts/{cohort_id}/report.pdf").status_code == 200
    programme = text(client.get("/cohorts/programme"))
    assert "Migration statistics workshop (demo)" in programme
    # the demo learner is offered the pre-test
    learner = app.test_client()
    assert login(learner, "learner@example.org", "Learner-Demo-2026").status_code == 302
    assert "Take the pre-test" in text(learner.get(f"/cohorts/{cohort_id}/"))


def test_seed_analytics_adds_to_a_cohort_seeded_before(app, runner, monkeypatch):
    """A database seeded by the first version (no analytics) gets them on the next run."""
    from app.cohorts import demo

    monkeypatch.setattr(demo, "COURSE", "field-basics")
    monkeypatch.setattr(demo, "seed_analytics", lambda cohort, course: None)
    monkeypatch.setattr("app.certificates.services.issue", lambda *a, **k: None)
    with app.app_context():
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts(app)[2] == 0
    monkeypatch.undo()
    monkeypatch.setattr(demo, "COURSE", "field-basics")
    with app.app_context():
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts(app)[2] == 7
