"""The feedback survey (at least 5 answers, comments without names, one per
learner), personal data, the exports (CSV and XLSX, formula neutralisation)
and the workshop report PDF."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.cohorts.models import CohortFeedback
from app.extensions import db
from tests.conftest import complete_course
from tests.integration import test_cohorts_support as support
from tests.integration.test_cohorts_analytics_support import (
    add_attempt,
    add_feedback,
    ended_cohort_dates,
    set_cohort,
    text,
)
from tests.integration.test_cohorts_support import client_for, join

world = support.world    # fixtures

ANSWERS = {"relevance": "5", "content": "4", "trainer": "5", "pace": "3", "apply": "4",
           "comment": "Useful exercises"}


def feedback_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CohortFeedback))


# --- the survey --------------------------------------------------------------------------------

def test_survey_opens_on_completion_or_the_last_day(app, world):
    learner = client_for(app, world.learner)
    # the cohort ran in March 2026: its last day has passed, the survey closed 30 days later
    page = text(learner.get(f"/cohorts/{world.cohort}/feedback"))
    assert "The survey closed on" in page
    assert learner.post(f"/cohorts/{world.cohort}/feedback", data=ANSWERS).status_code == 200
    assert feedback_count(app) == 0
    from datetime import timedelta

    from app.core.db import utcnow

    today = utcnow().date()
    set_cohort(app, world.cohort, starts_on=today, ends_on=today + timedelta(days=5))
    assert "The survey opens when you complete the course" in text(
        learner.get(f"/cohorts/{world.cohort}/feedback"))
    assert "Give your feedback" not in text(learner.get(f"/cohorts/{world.cohort}/"))
    learner.post(f"/cohorts/{world.cohort}/feedback", data=ANSWERS)
    assert feedback_count(app) == 0
    complete_course(app, world.learner)        # completing the course opens it
    assert "Give your feedback on the workshop" in text(learner.get(f"/cohorts/{world.cohort}/"))
    assert learner.post(f"/cohorts/{world.cohort}/feedback", data=ANSWERS).status_code == 302
    assert feedback_count(app) == 1


def test_one_answer_per_learner_editable_and_checked(app, world):
    set_cohort(app, world.cohort, **ended_cohort_dates())
    learner = client_for(app, world.learner)
    assert learner.post(f"/cohorts/{world.cohort}/feedback", data=ANSWERS).status_code == 302
    again = learner.post(f"/cohorts/{world.cohort}/feedback",
                         data={**ANSWERS, "relevance": "2", "comment": ""})
    assert again.status_code == 302
    with app.app_context():
        [row] = db.session.scalars(select(CohortFeedback)).all()
        assert row.relevance == 2 and row.comment is None and row.content == 4
    page = text(learner.get(f"/cohorts/{world.cohort}/feedback"))
    assert "You have answered" in page
    assert re.search(r'<input checked id="relevance-\d" name="relevance" type="radio" '
                     r'value="2">', page)
    assert learner.post(f"/cohorts/{world.cohort}/feedback",
                        data={**ANSWERS, "relevance": "9"}).status_code == 400
    assert learner.post(f"/cohorts/{world.cohort}/feedback",
                        data={**ANSWERS, "comment": "x" * 1001}).status_code == 400
    assert learner.post(f"/cohorts/{world.cohort}/feedback", data={}).status_code == 400
    assert feedback_count(app) == 1
    # trainers see the questions but cannot answer; outsiders get nothing
    trainer = client_for(app, world.trainer)
    preview = trainer.get(f"/cohorts/{world.cohort}/feedback")
    assert preview.status_code == 200 and "This is the survey your learners answer" in text(
        preview)
    assert trainer.post(f"/cohorts/{world.cohort}/feedback", data=ANSWERS).status_code == 403
    assert client_for(app, world.outsider).post(
        f"/cohorts/{world.cohort}/feedback", data=ANSWERS).status_code == 404
    assert client_for(app, world.other_learner).get(
        f"/cohorts/{world.cohort}/feedback").status_code == 404


def test_results_need_five_answers_and_comments_have_no_names(app, world, make_user):
    members = [world.member]
    for i in range(4):
        uid = make_user(full_name=f"Zed Person{i}", email=f"zed{i}@example.org")
        members.append(join(app, world.cohort, uid))
    comments = ["Zebra crossing", "apples are good", "More maps", "", None]
    for member, comment in zip(members[:4], comments, strict=False):
        add_feedback(app, member, comment=comment)
    trainer = client_for(app, world.trainer)
    html = text(trainer.get(f"/cohorts/{world.cohort}/dashboard"))
    assert "Not enough answers to show results without identifying anyone: 4 of at least 5" \
        in html
    assert "Zebra crossing" not in html and "apples are good" not in html
    csv_text = trainer.get(f"/cohorts/{world.cohort}/export/feedback.csv").data.decode("utf-8-sig")
    assert "Not enough answers" in csv_text and "Mean" in csv_text
    assert trainer.get(f"/cohorts/{world.cohort}/export/comments.csv").data.decode(
        "utf-8-sig").strip().count("\n") == 0
    add_feedback(app, members[4], relevance=1, comment="  Zebra  crossing again ")
    html = text(trainer.get(f"/cohorts/{world.cohort}/dashboard"))
    section = html[html.find('id="feedback"'):html.find('id="downloads"')]
    assert "5 learners answered the survey" in section
    # relevance 4, 4, 4, 4, 1 -> mean 17 / 5 = 3.4
    assert "Relevance to the job</th><td>5</td><td>3.4</td><td>1</td><td>0</td><td>0</td>" \
        "<td>4</td><td>0</td>" in section
    listed = section[section.find('<ul class="comments">'):]
    order = [listed.find(c) for c in ("apples are good", "More maps", "Zebra crossing</li>",
                                      "Zebra crossing again")]
    assert all(i > 0 for i in order) and order == sorted(order)      # alphabetical
    for name in ("Léa Learner", "Zed Person", "zed0@example.org"):
        assert name not in section
    rows = list(csv.reader(io.StringIO(trainer.get(
        f"/cohorts/{world.cohort}/export/comments.csv").data.decode("utf-8-sig"))))
    assert rows[1:] == [["apples are good"], ["More maps"], ["Zebra crossing"],
                        ["Zebra crossing again"]]


def test_personal_data_export_and_erasure_of_feedback(app, world):
    set_cohort(app, world.cohort, **ended_cohort_dates())
    learner = client_for(app, world.learner)
    learner.post(f"/cohorts/{world.cohort}/feedback", data=ANSWERS)
    data = json.loads(learner.post("/account/data/export").data)
    [mine] = data["data"]["workshops"]["feedback"]
    assert mine["comment"] == "Useful exercises" and mine["relevance"] == 5
    with app.app_context():
        from app.auth.models import User
        from app.core import privacy

        privacy.erase_user(db.session.get(User, world.learner))
        db.session.commit()
        [row] = db.session.scalars(select(CohortFeedback)).all()
        assert row.comment is None and row.relevance == 5      # ratings stay, anonymous


# --- exports ---------------------------------------------------------------------------------

def test_exports_neutralise_formulas(app, world, make_user):
    evil = make_user(full_name='=HYPERLINK("http://x")', email="evil@example.org",
                     organisation="@SUM(A1)")
    join(app, world.cohort, evil)
    set_cohort(app, world.cohort, pretest_quiz="final")
    add_attempt(app, evil, "final", {"final-stock": 1, "final-census": 0}, pretest=True)
    add_attempt(app, evil, "final", {"final-stock": 0, "final-census": 0})
    trainer = client_for(app, world.trainer)
    response = trainer.get(f"/cohorts/{world.cohort}/export/roster.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    names = {r[0] for r in rows[1:]}
    assert "'=HYPERLINK(\"http://x\")" in names and "Léa Learner" in names
    assert any(r[2] == "'@SUM(A1)" for r in rows[1:])
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    gain = list(csv.reader(io.StringIO(trainer.get(
        f"/cohorts/{world.cohort}/export/gain.csv").data.decode("utf-8-sig"))))
    # pre 50, post 0: gain −50 stays a number (not neutralised text), g = −50 / 50 = −1
    evil_row = next(r for r in gain if r[0].startswith("'="))
    assert evil_row[1:] == ["50.0", "0.0", "-50.0", "-1.0"]
    book = load_workbook(io.BytesIO(trainer.get(
        f"/cohorts/{world.cohort}/export/all.xlsx").data))
    assert book.sheetnames == ["roster", "progress", "scores", "gain", "objectives", "items",
                               "attendance", "feedback", "comments"]
    values = [c for row in book["roster"].iter_rows() for c in row]
    cell = next(c for c in values if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.value == "'=HYPERLINK(\"http://x\")" and cell.data_type == "s"
    gain_sheet = {row[0].value: row for row in book["gain"].iter_rows()}
    assert gain_sheet["'=HYPERLINK(\"http://x\")"][3].value == -50.0
    single = load_workbook(io.BytesIO(trainer.get(
        f"/cohorts/{world.cohort}/export/items.xlsx").data))
    assert single.sheetnames == ["items"]
    assert trainer.get(f"/cohorts/{world.cohort}/export/nope.csv").status_code == 404
    assert trainer.get(f"/cohorts/{world.cohort}/export/all.csv").status_code == 404


def test_export_tables_have_the_dashboard_figures(app, world):
    set_cohort(app, world.cohort, pretest_quiz="final")
    add_attempt(app, world.learner, "final", {"final-stock": 0, "final-census": 1}, pretest=True)
    add_attempt(app, world.learner, "final", {"final-stock": 1, "final-census": 1})
    trainer = client_for(app, world.trainer)
    trainer.post(f"/cohorts/{world.cohort}/sessions/{world.session}",
                 data={f"m{world.member}": "present"})

    def table(name):
        return list(csv.reader(io.StringIO(trainer.get(
            f"/cohorts/{world.cohort}/export/{name}.csv").data.decode("utf-8-sig"))))

    assert table("gain")[1] == ["Léa Learner", "50.0", "100.0", "50.0", "1.0"]
    objectives = table("objectives")
    assert objectives[1][0] == "Whole test" and objectives[1][7] == "1"
    attendance = table("attendance")
    assert attendance[1][1] == "Present" and attendance[1][-1] == "100"
    progress = table("progress")
    assert progress[0][1] == "Counting people" and progress[1][0] == "Léa Learner"
    scores = table("scores")
    assert "Final exam: first attempt (%)" in scores[0]
    items = table("items")
    assert items[0][0] == "Quiz" and any(r[1] == "final-stock" for r in items[1:])


# --- report ----------------------------------------------------------------------------------

def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.mark.pdf
def test_report_pdf_has_the_key_figures(app, world, make_user):
    set_cohort(app, world.cohort, pretest_quiz="final")
    members = [world.member]
    for i in range(5):
        uid = make_user(full_name=f"Learner {i}", email=f"l{i}@example.org",
                        organisation="Statistics Office", country="SN")
        members.append(join(app, world.cohort, uid))
        add_attempt(app, uid, "final", {"final-stock": 0, "final-census": 0}, pretest=True)
        add_attempt(app, uid, "final", {"final-stock": 1, "final-census": i % 2})
    for member in members:
        add_feedback(app, member, relevance=5, content=4, trainer=3)
    response = client_for(app, world.trainer).get(f"/cohorts/{world.cohort}/report.pdf")
    assert response.status_code == 200 and response.data[:4] == b"%PDF"
    found, pages = pdf_text(response.data)
    assert 1 <= pages <= 3
    flat = " ".join(found.split())
    assert "workshop report" in flat.lower() and "Test workshop" in flat
    assert "Statistics Office" in flat and "Senegal" in flat
    # pre 0 for all five; post 50, 100, 50, 100, 50 -> mean 70; g = post / 100 -> 0.70
    assert "70.0" in flat and "0.70" in flat
    assert "Sex: not recorded" in flat
    # feedback: 6 answers; satisfaction (5 + 4 + 3) / 3 = 4.0
    assert "6 participants answered the survey" in flat and "4.0" in flat


@pytest.mark.pdf
def test_report_pdf_for_an_empty_cohort(app, world):
    empty = support.make_cohort(app, world.trainer, name="Nobody yet")
    response = client_for(app, world.trainer).get(f"/cohorts/{empty}/report.pdf")
    assert response.status_code == 200
    found, pages = pdf_text(response.data)
    flat = " ".join(found.split())
    assert pages == 1 and "Not enough data: nobody has joined" in flat
    assert "did not ask for a pre-test" in flat
