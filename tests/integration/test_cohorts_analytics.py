"""Workshop mode part 2: the pre-test, the trainer dashboard (gain, item analysis,
learners at risk), and every "not enough data" state."""

import re

from sqlalchemy import select

from app.cohorts.models import Cohort
from app.courses.models import Enrolment
from app.extensions import db
from app.quizzes import services as quizzes
from app.quizzes.models import QuizAttempt
from tests.integration import test_cohorts_support as support
from tests.integration.test_cohorts_analytics_support import (
    BASE,
    FINAL_HALF,
    FINAL_RIGHT,
    add_attempt,
    set_cohort,
    take,
    text,
)
from tests.integration.test_cohorts_support import client_for, join, make_cohort

world = support.world    # fixtures


def dashboard(app, world, cohort=None):
    response = client_for(app, world.trainer).get(f"/cohorts/{cohort or world.cohort}/dashboard")
    assert response.status_code == 200
    return text(response)


def attempts(app, **where):
    with app.app_context():
        stmt = select(QuizAttempt).order_by(QuizAttempt.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(QuizAttempt, key) == value)
        return list(db.session.scalars(stmt))


# --- pre-test ---------------------------------------------------------------------------------

def test_pretest_is_offered_taken_once_and_never_counts(app, world):
    set_cohort(app, world.cohort, pretest_quiz="final")
    learner = client_for(app, world.learner)
    page = text(learner.get(f"/cohorts/{world.cohort}/"))
    assert "Take the pre-test" in page and f"{BASE}/quizzes/final?pretest=1" in page
    # the normal final exam page points to the pre-test too
    assert "Take the pre-test first" in text(learner.get(f"{BASE}/quizzes/final"))
    form = learner.get(f"{BASE}/quizzes/final?pretest=1")
    assert "Pre-test: the final exam" in text(form) and "only once" in text(form)
    assert "attempts left" not in text(form)
    result = take(learner, "final", FINAL_HALF, pretest=True)
    assert result.status_code == 302
    shown = text(learner.get(result.headers["Location"]))
    # the score, but none of the answers or explanations
    assert "Your result: 50%" in shown and "This was a pre-test" in shown
    assert "Correct answer" not in shown and "Arrivals happen over a period." not in shown
    assert "It is a core topic." not in shown
    [pre] = attempts(app)
    assert pre.is_pretest and pre.attempt_no is None and not pre.passed
    with app.app_context():
        assert quizzes.counted_attempts(pre.enrolment_id, "final") == 0
    # once only: the page no longer offers it, and a second form is refused
    again = learner.get(f"{BASE}/quizzes/final?pretest=1")
    assert again.status_code == 302 and again.headers["Location"].endswith("/quizzes/final")
    with app.test_request_context():
        from app.auth.models import User
        from app.courses.catalogue import catalogue

        course = catalogue().get("field-basics")
        token = quizzes.start(db.session.get(User, world.learner), course,
                              course.default.final, pretest=True).token
    refused = learner.post(f"{BASE}/quizzes/final?pretest=1",
                           data={"token": token, **FINAL_RIGHT})
    assert refused.status_code == 400 and "only once" in text(refused)
    assert len(attempts(app)) == 1
    page = text(learner.get(f"/cohorts/{world.cohort}/"))
    assert "Take the pre-test" not in page and "Pre-test taken: 50%" in page
    # the counted final exam: attempt 1 of 3, the post-test
    assert "3 attempts left" in text(learner.get(f"{BASE}/quizzes/final"))
    assert take(learner, "final", FINAL_RIGHT).status_code == 302
    post = attempts(app, is_pretest=False)
    assert [a.attempt_no for a in post] == [1]
    html = dashboard(app, world)
    # pre 50, post 100: gain 50 points, g = 50 / 50 = 1.00
    row = re.search(r"Léa Learner</th><td>50.0</td><td>100.0</td><td>50.0</td><td>1.00</td>",
                    html)
    assert row, html[html.find("Pre-test and post-test of each learner"):][:1500]


def test_full_marks_at_the_pretest_do_not_complete_the_course(app, world):
    set_cohort(app, world.cohort, pretest_quiz="final")
    learner = client_for(app, world.learner)
    for key in ("counting/usual-residence", "counting/stocks-and-flows", "sources/census"):
        learner.post(f"{BASE}/{key}/done")
    take(learner, "counting", {"q-stock-or-flow": "a", "q-twelve-months": "true",
                               "q-rate": "50"})
    take(learner, "sources", {"q-core-topics": ["birth", "citizenship", "arrival"],
                              "q-name-source": "census"})
    take(learner, "final", FINAL_RIGHT, pretest=True)
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment).where(
            Enrolment.user_id == world.learner))
        assert enrolment.completed_at is None


def test_pretest_is_not_offered_without_a_cohort_asking(app, world, make_user):
    learner = client_for(app, world.learner)          # the cohort asks for no pre-test
    assert "Take the pre-test" not in text(learner.get(f"/cohorts/{world.cohort}/"))
    response = learner.get(f"{BASE}/quizzes/final?pretest=1")
    assert response.status_code == 302
    assert "Take the pre-test first" not in text(learner.get(f"{BASE}/quizzes/final"))
    # a module's knowledge check can be the pre-test too
    set_cohort(app, world.cohort, pretest_quiz="counting")
    assert f"{BASE}/quizzes/counting?pretest=1" in text(learner.get(f"/cohorts/{world.cohort}/"))


def test_pretest_is_closed_once_the_quiz_was_taken(app, world):
    set_cohort(app, world.cohort, pretest_quiz="final")
    learner = client_for(app, world.learner)
    take(learner, "final", FINAL_HALF)
    assert "Take the pre-test" not in text(learner.get(f"/cohorts/{world.cohort}/"))
    assert learner.get(f"{BASE}/quizzes/final?pretest=1").status_code == 302


def test_settings_choose_the_pretest(app, world):
    trainer = client_for(app, world.trainer)
    form = text(trainer.get(f"/cohorts/{world.cohort}/edit"))
    assert 'name="pretest_quiz"' in form and "Knowledge check: Counting people" in form
    data = {"name": "Test workshop", "course": "field-basics", "starts_on": "2026-03-01",
            "ends_on": "2026-03-31", "mode": "blended", "timezone": "Africa/Dakar",
            "capacity": "30", "min_attendance": "75", "co_trainers": "co.a@example.org",
            "pretest_quiz": "sources"}
    assert trainer.post(f"/cohorts/{world.cohort}/edit", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Cohort, world.cohort).pretest_quiz == "sources"
    bad = trainer.post(f"/cohorts/{world.cohort}/edit", data={**data, "pretest_quiz": "nope"})
    assert bad.status_code == 400 and "for the pre-test" in text(bad)
    assert trainer.post(f"/cohorts/{world.cohort}/edit",
                        data={**data, "pretest_quiz": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(Cohort, world.cohort).pretest_quiz is None


# --- dashboard ---------------------------------------------------------------------------------

def test_dashboard_permissions(app, world):
    url = f"/cohorts/{world.cohort}/dashboard"
    assert client_for(app, world.trainer).get(url).status_code == 200
    assert client_for(app, world.co_trainer).get(url).status_code == 200
    assert client_for(app, world.admin).get(url).status_code == 200
    assert client_for(app, world.other_trainer).get(url).status_code == 404
    assert client_for(app, world.learner).get(url).status_code == 403
    assert client_for(app, world.outsider).get(url).status_code == 404
    assert app.test_client().get(url).status_code == 302
    for extra in ("report.pdf", "export/gain.csv", "export/all.xlsx"):
        assert client_for(app, world.other_trainer).get(
            f"/cohorts/{world.cohort}/{extra}").status_code == 404
        assert client_for(app, world.learner).get(
            f"/cohorts/{world.cohort}/{extra}").status_code == 403


def test_dashboard_figures_item_analysis_and_risk(app, world, make_user):
    """Five learners with hand-checked gains, a broken question and one stuck learner."""
    set_cohort(app, world.cohort, pretest_quiz="final")
    names = ["Ann", "Ben", "Cat", "Dan", "Eve"]
    uids = [make_user(full_name=n, email=f"{n.lower()}@example.org") for n in names]
    for uid in uids:
        join(app, world.cohort, uid)
    # final exam: final-stock, final-census. Scores: pre / post
    plan = {  # name: (pre credits, post credits)
        "Ann": ({"final-stock": 0, "final-census": 0}, {"final-stock": 1, "final-census": 1}),
        "Ben": ({"final-stock": 0, "final-census": 1}, {"final-stock": 1, "final-census": 1}),
        "Cat": ({"final-stock": 1, "final-census": 1}, {"final-stock": 1, "final-census": 0}),
        "Dan": ({"final-stock": 0, "final-census": 0}, {"final-stock": 0, "final-census": 1}),
        "Eve": ({"final-stock": 0, "final-census": 1}, None),
    }
    for name, uid in zip(names, uids, strict=True):
        pre, post = plan[name]
        add_attempt(app, uid, "final", pre, pretest=True)
        if post:
            add_attempt(app, uid, "final", post)
    # a later, better attempt does not change the post-test (the first counted one)
    add_attempt(app, uids[3], "final", {"final-stock": 1, "final-census": 1}, attempt_no=2)
    # Ben is stuck at the "sources" check; nobody gets "name-source" right
    for no in (1, 2):
        add_attempt(app, uids[1], "sources", {"core-topics": 0.5, "name-source": 0},
                    attempt_no=no, passed=False)
    for uid in (uids[0], uids[2]):
        add_attempt(app, uid, "sources", {"core-topics": 1, "name-source": 0}, passed=False)
    html = dashboard(app, world)
    # Ann 0 -> 100: gain 100, g = 100 / 100 = 1.00
    # Ben 50 -> 100: gain 50, g = 50 / 50 = 1.00
    # Cat 100 -> 50: gain −50, g undefined (pre = 100)
    # Dan 0 -> 50: gain 50, g = 50 / 100 = 0.50
    # Eve 50 -> no post-test
    for row in ("Ann</th><td>0.0</td><td>100.0</td><td>100.0</td><td>1.00",
                "Ben</th><td>50.0</td><td>100.0</td><td>50.0</td><td>1.00",
                "Dan</th><td>0.0</td><td>50.0</td><td>50.0</td><td>0.50",
                "Cat</th><td>100.0</td><td>50.0</td><td>−50.0</td><td><span class=\"muted\">"
                "undefined (pre-test 100%)"):
        assert row in html, row
    assert re.search(r"Eve</th><td>50.0</td><td><span class=\"muted\">not taken yet", html)
    # cohort: pre 0, 50, 100, 0, 50 -> mean 40, median 50; post 100, 100, 50, 50 -> mean 75
    # gain 100, 50, −50, 50 -> mean 37.5, median 50; g 1, 1, 0.5 -> mean 0.83, median 1.00
    figures = html[html.find("Knowledge gain of the workshop"):]
    assert "Pre-test score (%)</th><td>5</td><td>40.0</td><td>50.0</td>" in figures
    assert "Post-test score (%)</th><td>4</td><td>75.0</td><td>75.0</td>" in figures
    assert "Gain (points)</th><td>4</td><td>37.5</td><td>50.0</td>" in figures
    assert "Normalised gain g</th><td>3</td><td>0.83</td><td>1.00</td>" in figures
    assert "75% of the 4 learners with both tests scored higher" in html
    assert "<svg" in html and "<title" in html and "<desc" in html
    # item analysis of the "sources" check: name-source nobody right, 3 answers
    assert "Nobody correct" in html
    # at risk: Ben failed "sources" twice
    risk = html[html.find('id="risk"'):html.find('id="progress"')]
    assert "Ben" in risk and "Failed a quiz twice" in risk and "Data sources" in risk
    # the matrix has text, not colour alone
    assert "Not started" in html and "Module 1: Counting people" in html


def test_inactive_learners_are_at_risk(app, world):
    from datetime import timedelta

    from app.core.db import utcnow

    add_attempt(app, world.learner, "counting", {"stock-or-flow": 0, "twelve-months": 0,
                                                 "rate": 0}, passed=False)
    with app.app_context():
        long_ago = utcnow() - timedelta(days=30)
        db.session.execute(QuizAttempt.__table__.update().values(submitted_at=long_ago))
        enrolment = db.session.scalar(select(Enrolment))
        enrolment.last_activity_at = long_ago
        db.session.commit()
    html = dashboard(app, world)
    assert "No activity for more than 7 days" in html
    app.config["COHORT_AT_RISK_DAYS"] = 0
    try:
        assert "No activity for more than" not in dashboard(app, world)
    finally:
        app.config["COHORT_AT_RISK_DAYS"] = 7


# --- not enough data: every page renders ---------------------------------------------------

def all_pages(cohort_id):
    return [f"/cohorts/{cohort_id}/dashboard", f"/cohorts/{cohort_id}/manage",
            *[f"/cohorts/{cohort_id}/export/{name}.csv" for name in (
                "roster", "progress", "scores", "gain", "objectives", "items", "attendance",
                "feedback", "comments")],
            f"/cohorts/{cohort_id}/export/all.xlsx", f"/cohorts/{cohort_id}/export/gain.xlsx",
            "/cohorts/programme", "/cohorts/programme.csv"]


def test_empty_cohort_without_pretest(app, world):
    empty = make_cohort(app, world.trainer, name="Nobody yet")
    trainer = client_for(app, world.trainer)
    for url in all_pages(empty):
        assert trainer.get(url).status_code == 200, url
    html = text(trainer.get(f"/cohorts/{empty}/dashboard"))
    assert "Nobody has joined the workshop yet" in html
    assert "does not ask for a pre-test" in html
    assert "Not enough answers to show results without identifying anyone" in html


def test_pretest_without_post_tests_and_single_learner(app, world):
    set_cohort(app, world.cohort, pretest_quiz="final")
    trainer = client_for(app, world.trainer)
    html = text(trainer.get(f"/cohorts/{world.cohort}/dashboard"))
    assert "Not enough data yet: 0 learner(s) took the pre-test" in html
    add_attempt(app, world.learner, "final", {"final-stock": 0, "final-census": 1}, pretest=True)
    html = text(trainer.get(f"/cohorts/{world.cohort}/dashboard"))
    assert "1 learner(s) took the pre-test and 0 the post-test" in html
    for url in all_pages(world.cohort):
        assert trainer.get(url).status_code == 200, url
    # a single learner with pre = 100 and a post-test
    add_attempt(app, world.learner, "final", {"final-stock": 1, "final-census": 1},
                pretest=True)          # (a second pre-test row: the first one is used)
    add_attempt(app, world.learner, "final", {"final-stock": 1, "final-census": 1})
    html = text(trainer.get(f"/cohorts/{world.cohort}/dashboard"))
    assert "Léa Learner</th><td>50.0</td><td>100.0</td><td>50.0</td><td>1.00" in html
    for url in all_pages(world.cohort):
        assert trainer.get(url).status_code == 200, url


def test_single_learner_with_pre_100(app, world):
    set_cohort(app, world.cohort, pretest_quiz="final")
    add_attempt(app, world.learner, "final", {"final-stock": 1, "final-census": 1}, pretest=True)
    add_attempt(app, world.learner, "final", {"final-stock": 1, "final-census": 1})
    trainer = client_for(app, world.trainer)
    html = text(trainer.get(f"/cohorts/{world.cohort}/dashboard"))
    assert "g is undefined for 1 learner(s) who scored 100" in html
    assert "Normalised gain g</th><td>0</td><td>—</td>" in html
    for url in all_pages(world.cohort):
        assert trainer.get(url).status_code == 200, url


def test_course_missing_from_the_catalogue_is_a_clear_error(app, world):
    with app.app_context():
        db.session.get(Cohort, world.cohort).course_slug = "withdrawn-course"
        db.session.commit()
    response = client_for(app, world.trainer).get(f"/cohorts/{world.cohort}/dashboard")
    assert response.status_code in (400, 409, 422)
