"""Quizzes end to end: taking a quiz, one-time form tokens, answers checked only
on the server, attempt limits, pre-tests, and course completion.

Fixture quizzes (tests/fixtures/courses/field-basics):
  counting  single_choice, true_false, numeric (50 ± 0.5); French variant
  sources   multiple_choice (partial), short_text; max_attempts: 2
  final     single_choice, true_false; max_attempts: 3; pass mark 70 (the course's)
"""

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.core.errors import Conflict, ValidationError
from app.courses import services as course_services
from app.courses.catalogue import catalogue
from app.courses.models import Enrolment
from app.extensions import db
from app.quizzes import services
from app.quizzes.models import AttemptAnswer, QuizAttempt

BASE = "/courses/field-basics"
LESSONS = ("counting/usual-residence", "counting/stocks-and-flows", "sources/census")

RIGHT = {
    "counting": {"q-stock-or-flow": "a", "q-twelve-months": "true", "q-rate": "50,2"},
    "sources": {"q-core-topics": ["birth", "citizenship", "arrival"],
                "q-name-source": "  Population CENSUS "},
    "final": {"q-final-stock": "a", "q-final-census": "true"},
}
# Texts the learner must not see before submitting.
SECRETS = {
    "counting": ["It is counted at one point in time", "The threshold is 12 months.",
                 "50 / 100,000", "± 0.5"],
    "sources": ["Religion is not a core migration topic.", "The population census.",
                "population census", "recensement"],
    "final": ["Arrivals happen over a period.", "It is a core topic."],
}


# --- helpers -------------------------------------------------------------------------

def text(response):
    return response.get_data(as_text=True)


def enrol(client):
    assert client.post(f"{BASE}/enrol").status_code == 302


def open_quiz(client, quiz):
    response = client.get(f"{BASE}/quizzes/{quiz}")
    assert response.status_code == 200, response.status_code
    return response


def token_of(response):
    match = re.search(r'name="token" value="([^"]+)"', text(response))
    assert match, "no quiz form on the page"
    return match.group(1)


def new_token(client, quiz):
    return token_of(open_quiz(client, quiz))


def submit(client, quiz, answers, token=None):
    token = token if token is not None else new_token(client, quiz)
    return client.post(f"{BASE}/quizzes/{quiz}", data={"token": token, **answers})


def attempts(app, **where):
    with app.app_context():
        stmt = select(QuizAttempt).order_by(QuizAttempt.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(QuizAttempt, key) == value)
        return list(db.session.scalars(stmt))


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def enrolment_of(app, uid):
    with app.app_context():
        return db.session.scalar(select(Enrolment).where(Enrolment.user_id == uid))


@pytest.fixture
def completions(monkeypatch):
    """Record what completion sets off (certificates), without issuing anything."""
    calls = []
    monkeypatch.setattr(course_services, "_on_completed",
                        lambda enrolment, course: calls.append(enrolment.id))
    return calls


# --- the quiz page ---------------------------------------------------------------------

def test_quiz_needs_sign_in(client):
    response = client.get(f"{BASE}/quizzes/counting")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_quiz_needs_enrolment(app, client, login_as):
    login_as()
    assert client.get(f"{BASE}/quizzes/counting").headers["Location"] == f"{BASE}/"
    response = client.post(f"{BASE}/quizzes/counting", data={"token": "x", **RIGHT["counting"]})
    assert response.status_code == 302 and response.headers["Location"] == f"{BASE}/"
    assert count(app, QuizAttempt) == 0


@pytest.mark.parametrize("quiz", ["counting", "sources", "final"])
def test_answers_never_reach_the_quiz_page(client, login_as, quiz):
    login_as()
    enrol(client)
    html = text(open_quiz(client, quiz))
    assert 'name="token"' in html
    for secret in SECRETS[quiz]:
        assert secret not in html, secret
    assert "explanation" not in html and "Correct answer" not in html


def test_quiz_page_shows_every_question_and_option(client, login_as):
    login_as()
    enrol(client)
    html = text(open_quiz(client, "sources"))
    assert "Which are core census topics for migration?" in html
    for option in ("birth", "citizenship", "religion", "arrival"):
        assert f'type="checkbox" id="q-core-topics-{option}" name="q-core-topics" ' \
               f'value="{option}"' in html
    assert 'id="q-name-source-input" name="q-name-source"' in html
    assert "2 questions" in html and "2 attempts left" in html


def test_same_form_keeps_its_option_order(app, client, login_as):
    """Shuffled options are derived from the form's token, so a re-shown form
    (after a missing answer) keeps the order the learner saw."""
    login_as()
    enrol(client)
    page = open_quiz(client, "sources")
    order = re.findall(r'name="q-core-topics" value="(\w+)"', text(page))
    assert sorted(order) == ["arrival", "birth", "citizenship", "religion"]
    again = submit(client, "sources", {"q-core-topics": "birth"}, token=token_of(page))
    assert again.status_code == 400
    assert re.findall(r'name="q-core-topics" value="(\w+)"', text(again)) == order


# --- submitting --------------------------------------------------------------------------

def test_submit_shows_result_with_feedback_and_explanations(app, client, login_as):
    uid = login_as()
    enrol(client)
    response = submit(client, "counting", dict(RIGHT["counting"], **{"q-stock-or-flow": "b"}))
    assert response.status_code == 302
    (attempt,) = attempts(app)
    assert response.headers["Location"] == f"{BASE}/quizzes/counting/attempts/{attempt.id}"
    assert attempt.score == 66.7 and attempt.passed is False and attempt.attempt_no == 1
    assert attempt.enrolment_id == enrolment_of(app, uid).id
    assert attempt.language == "en" and attempt.quiz_slug == "counting"

    html = text(client.get(response.headers["Location"]))
    assert "Your result: 66.7%" in html and "Not passed yet. The pass mark is 70%." in html
    assert "It is counted at one point in time, so it is a stock." in html   # explanations
    assert "The threshold is 12 months." in html
    assert "Correct answer:</strong> A stock" in html
    assert html.count("badge-ok") == 2 and "Not correct" in html
    assert "50.2" in html                                  # the learner's number, as read
    assert "Try again" in html


def test_answers_are_stored_per_question(app, client, login_as):
    login_as()
    enrol(client)
    submit(client, "sources", {"q-core-topics": ["birth", "religion"],
                               "q-name-source": "Recensement"})
    (attempt,) = attempts(app)
    with app.app_context():
        answers = db.session.scalars(select(AttemptAnswer).where(
            AttemptAnswer.attempt_id == attempt.id).order_by(AttemptAnswer.position)).all()
        rows = [(a.question_id, a.position, a.objective, a.response, a.credit)
                for a in answers]
    # Partial credit: birth ✓, citizenship ✗, religion ✗, arrival ✗ -> 1/4.
    assert rows == [("core-topics", 0, "sources", ["birth", "religion"], 0.25),
                    ("name-source", 1, "sources", "Recensement", 1.0)]
    assert attempt.score == 62.5


def test_submitting_the_same_form_twice_records_one_attempt(app, client, login_as):
    login_as()
    enrol(client)
    token = new_token(client, "sources")
    first = submit(client, "sources", RIGHT["sources"], token=token)
    second = submit(client, "sources", RIGHT["sources"], token=token)
    # Even with other answers, the second submission is the first one's result.
    third = submit(client, "sources", {"q-core-topics": "religion", "q-name-source": "x"},
                   token=token)
    assert first.status_code == second.status_code == third.status_code == 302
    assert first.headers["Location"] == second.headers["Location"] == third.headers["Location"]
    (attempt,) = attempts(app)
    assert attempt.score == 100.0
    assert "1 attempt left" in text(open_quiz(client, "sources"))


def test_missing_answer_is_refused_and_nothing_is_stored(app, client, login_as):
    login_as()
    enrol(client)
    token = new_token(client, "counting")
    answers = dict(RIGHT["counting"])
    del answers["q-rate"]
    response = submit(client, "counting", dict(answers, **{"q-twelve-months": ""}), token=token)
    assert response.status_code == 400
    html = text(response)
    assert "Please answer every question before submitting." in html
    assert "2 questions still need an answer." in html
    assert html.count("Answer this question.") == 2
    assert 'value="a" checked' in html                     # what was given is kept
    assert count(app, QuizAttempt) == 0 and count(app, AttemptAnswer) == 0
    # The same form, completed, is then accepted.
    assert submit(client, "counting", RIGHT["counting"], token=token).status_code == 302
    assert len(attempts(app)) == 1


@pytest.mark.parametrize("quiz,field,value", [
    ("counting", "q-stock-or-flow", "c"),                   # not an option
    ("counting", "q-stock-or-flow", ["a", "b"]),            # two radio values
    ("sources", "q-core-topics", ["birth", "nationality"]),
    ("counting", "q-twelve-months", "maybe"),
    ("counting", "q-rate", "fifty"),
])
def test_forged_or_unreadable_answer_is_refused(app, client, login_as, quiz, field, value):
    login_as()
    enrol(client)
    response = submit(client, quiz, dict(RIGHT[quiz], **{field: value}))
    assert response.status_code == 400
    assert "We could not read this answer." in text(response)
    assert count(app, QuizAttempt) == 0


def test_extra_fields_are_ignored(app, client, login_as):
    login_as()
    enrol(client)
    response = submit(client, "final", dict(RIGHT["final"], **{
        "q-bonus": "a", "score": "100", "passed": "true", "q-final-stock-2": "b"}))
    assert response.status_code == 302
    (attempt,) = attempts(app)
    with app.app_context():
        ids = set(db.session.scalars(select(AttemptAnswer.question_id).where(
            AttemptAnswer.attempt_id == attempt.id)))
    assert ids == {"final-stock", "final-census"}


@pytest.mark.parametrize("tamper", [
    lambda t: t.rsplit(".", 1)[0] + "." + "A" * 27,                   # another signature
    lambda t: t[:5] + ("x" if t[5] != "x" else "y") + t[6:],         # the signed data
    lambda t: "x" + t,
    lambda t: "",
])
def test_tampered_token_is_refused(app, client, login_as, tamper):
    login_as()
    enrol(client)
    response = submit(client, "final", RIGHT["final"], token=tamper(new_token(client, "final")))
    assert response.status_code == 400
    assert "This quiz form is not valid. Please start it again." in text(response)
    assert count(app, QuizAttempt) == 0


def test_token_of_another_quiz_is_refused(app, client, login_as):
    login_as()
    enrol(client)
    response = submit(client, "final", RIGHT["final"], token=new_token(client, "counting"))
    assert response.status_code == 400 and "not valid" in text(response)
    assert count(app, QuizAttempt) == 0


def test_token_of_another_learner_is_refused(app, client, login_as):
    login_as()
    enrol(client)
    theirs = new_token(client, "final")
    client.post("/auth/logout")
    login_as()
    enrol(client)
    response = submit(client, "final", RIGHT["final"], token=theirs)
    assert response.status_code == 400 and "not valid" in text(response)
    assert count(app, QuizAttempt) == 0


def test_expired_token_is_refused(app, client, login_as, monkeypatch):
    login_as()
    enrol(client)
    token = new_token(client, "final")
    monkeypatch.setattr(services, "TOKEN_MAX_AGE", -1)
    response = submit(client, "final", RIGHT["final"], token=token)
    assert response.status_code == 400
    assert "This quiz form has expired. Please start it again." in text(response)
    assert count(app, QuizAttempt) == 0


# --- attempts ------------------------------------------------------------------------------

def test_attempt_limit_is_enforced_and_shown(app, client, login_as):
    login_as()
    enrol(client)
    tokens = [new_token(client, "sources") for _ in range(3)]    # three forms opened
    wrong = {"q-core-topics": "religion", "q-name-source": "survey"}
    assert submit(client, "sources", wrong, token=tokens[0]).status_code == 302
    assert "1 attempt left" in text(open_quiz(client, "sources"))
    last = submit(client, "sources", wrong, token=tokens[1])
    assert last.status_code == 302
    html = text(open_quiz(client, "sources"))
    assert "You have used all your attempts for this quiz." in html
    assert 'name="token"' not in html and "0 attempts left" in html
    response = submit(client, "sources", RIGHT["sources"], token=tokens[2])
    assert response.status_code == 403
    assert "You have used all 2 attempts for this quiz." in text(response)
    assert [a.attempt_no for a in attempts(app)] == [1, 2]
    assert "Try again" not in text(client.get(last.headers["Location"]))


def test_attempts_are_numbered_per_quiz(app, client, login_as):
    login_as()
    enrol(client)
    submit(client, "final", {"q-final-stock": "b", "q-final-census": "false"})
    submit(client, "counting", RIGHT["counting"])
    submit(client, "final", RIGHT["final"])
    assert [(a.quiz_slug, a.attempt_no, a.score) for a in attempts(app)] == [
        ("final", 1, 0.0), ("counting", 1, 100.0), ("final", 2, 100.0)]
    html = text(open_quiz(client, "final"))
    assert "Your best score so far: 100%" in html and "1 attempt left" in html


def test_another_learner_cannot_see_my_attempt(app, client, login_as):
    login_as()
    enrol(client)
    mine = submit(client, "final", RIGHT["final"]).headers["Location"]
    assert client.get(mine).status_code == 200
    client.post("/auth/logout")
    login_as()
    assert client.get(mine).status_code == 404                 # not enrolled
    enrol(client)
    assert client.get(mine).status_code == 404                 # enrolled, still not theirs


def test_attempt_is_only_shown_under_its_own_quiz(client, login_as):
    login_as()
    enrol(client)
    location = submit(client, "final", RIGHT["final"]).headers["Location"]
    assert client.get(location.replace("/quizzes/final/", "/quizzes/counting/")
                      ).status_code == 404


def test_french_variant_is_graded_with_the_same_key(app, client, login_as):
    login_as(locale="fr")
    enrol(client)
    html = text(open_quiz(client, "counting"))
    assert "Stock ou flux" in html and "pour 100 000" in html
    assert "compté à un moment donné" not in html               # the French explanation
    submit(client, "counting", {"q-stock-or-flow": "a", "q-twelve-months": "true",
                                "q-rate": "49,6"})
    submit(client, "counting", {"q-stock-or-flow": "b", "q-twelve-months": "true",
                                "q-rate": "50"})
    right, wrong = attempts(app)
    assert (right.language, right.score, right.passed) == ("fr", 100.0, True)
    assert (wrong.language, wrong.score, wrong.passed) == ("fr", 66.7, False)
    with app.app_context():
        quiz = catalogue().get("field-basics").default.quiz("counting")
    assert right.content_hash == quiz.content_hash           # the same version of the quiz
    html = text(client.get(f"{BASE}/quizzes/counting/attempts/{right.id}"))
    assert "compté à un moment donné, donc c" in html           # explained in French


# --- services: races and pre-tests ---------------------------------------------------------

def _context(uid, quiz_slug):
    user = db.session.get(User, uid)
    course = catalogue().get("field-basics")
    return user, course, course.default.quiz(quiz_slug)


def _form(answers):
    return {k: v if isinstance(v, list) else [v] for k, v in answers.items()}


def test_two_forms_racing_for_the_same_attempt_number(app, client, login_as, monkeypatch):
    uid = login_as()
    enrol(client)
    with app.test_request_context():
        user, course, quiz = _context(uid, "final")
        first, second = services.start(user, course, quiz), services.start(user, course, quiz)
        services.submit(user, course, quiz, first.token, _form(RIGHT["final"]))
        db.session.commit()
        # The second form counted attempts before the first one was stored.
        monkeypatch.setattr(services, "counted_attempts", lambda *args: 0)
        with pytest.raises(Conflict):
            services.submit(user, course, quiz, second.token, _form(RIGHT["final"]))
        db.session.rollback()
    assert [a.attempt_no for a in attempts(app)] == [1]


def test_the_same_form_racing_itself_returns_the_stored_attempt(app, client, login_as,
                                                                monkeypatch):
    uid = login_as()
    enrol(client)
    with app.test_request_context():
        user, course, quiz = _context(uid, "final")
        form = services.start(user, course, quiz)
        stored, created = services.submit(user, course, quiz, form.token, _form(RIGHT["final"]))
        db.session.commit()
        assert created
        real = services.attempt_for_token
        calls = iter([None])       # the racing request does not see the stored one at first
        monkeypatch.setattr(services, "attempt_for_token",
                            lambda nonce: next(calls, None) or real(nonce))
        again, created = services.submit(user, course, quiz, form.token, _form(RIGHT["final"]))
        assert not created and again.id == stored.id
        db.session.commit()
    assert len(attempts(app)) == 1


def test_pretest_attempts_never_count(app, client, login_as, completions):
    uid = login_as()
    enrol(client)
    for key in LESSONS:
        client.post(f"{BASE}/{key}/done")
    submit(client, "counting", RIGHT["counting"])
    submit(client, "sources", RIGHT["sources"])
    with app.test_request_context():
        user, course, quiz = _context(uid, "final")
        for _ in range(4):            # more pre-tests than the final's 3 attempts
            form = services.start(user, course, quiz, pretest=True)
            attempt, created = services.submit(user, course, quiz, form.token,
                                               _form(RIGHT["final"]))
            assert created and attempt.is_pretest and attempt.attempt_no is None
            assert attempt.score == 100.0 and attempt.passed is False
            db.session.commit()
        enrolment_id = course_services.get_enrolment(user, "field-basics").id
        assert services.counted_attempts(enrolment_id, "final") == 0
        assert services.attempts_left(enrolment_id, quiz) == 3
        assert course_services.passed_quizzes([enrolment_id])[enrolment_id] == {
            "counting", "sources"}
        assert course_services.best_final_score(enrolment_id) is None
    # A full score on the pre-test does not complete the course.
    assert enrolment_of(app, uid).completed_at is None and completions == []
    html = text(open_quiz(client, "final"))
    assert "3 attempts left" in html
    result = text(client.get(f"{BASE}/quizzes/final/attempts/{attempts(app)[-1].id}"))
    assert "This was a pre-test" in result
    # The real final then counts as attempt 1 and completes the course.
    submit(client, "final", RIGHT["final"])
    real = attempts(app, is_pretest=False, quiz_slug="final")
    assert [a.attempt_no for a in real] == [1]
    assert enrolment_of(app, uid).completed_at is not None and len(completions) == 1


def test_pretest_comes_before_the_counted_attempts(app, client, login_as):
    uid = login_as()
    enrol(client)
    submit(client, "final", RIGHT["final"])
    with app.test_request_context():
        user, course, quiz = _context(uid, "final")
        form = services.start(user, course, quiz, pretest=True)
        with pytest.raises(ValidationError):
            services.submit(user, course, quiz, form.token, _form(RIGHT["final"]))
        db.session.rollback()
    assert len(attempts(app)) == 1


def test_pretest_needs_enrolment(app, client, login_as):
    uid = login_as()
    with app.test_request_context():
        user, course, quiz = _context(uid, "final")
        form = services.start(user, course, quiz, pretest=True)
        with pytest.raises(ValidationError):
            services.submit(user, course, quiz, form.token, _form(RIGHT["final"]))
        db.session.rollback()
        with pytest.raises(ValidationError):      # a made-up user id in the token
            services.submit(SimpleNamespace(id=uid + 1000), course, quiz, form.token, {})
    assert count(app, QuizAttempt) == 0


# --- completion ------------------------------------------------------------------------------

def test_full_completion_path(app, client, login_as, completions):
    uid = login_as()
    enrol(client)

    def not_yet():
        enrolment = enrolment_of(app, uid)
        assert enrolment.completed_at is None and enrolment.final_score is None
        assert enrolment.completed_version is None and completions == []

    submit(client, "final", RIGHT["final"])                # the final first: not enough
    not_yet()
    for key in LESSONS[:2]:
        client.post(f"{BASE}/{key}/done")
        not_yet()
    submit(client, "counting", RIGHT["counting"])
    not_yet()
    submit(client, "sources", {"q-core-topics": ["birth"], "q-name-source": "census"})
    not_yet()                                              # 75%: passed, a lesson still left
    assert attempts(app, quiz_slug="sources")[0].passed is True
    response = client.post(f"{BASE}/{LESSONS[2]}/done")     # the last step
    assert response.status_code == 302
    enrolment = enrolment_of(app, uid)
    assert enrolment.completed_at is not None
    assert enrolment.final_score == 100.0
    with app.app_context():
        content_hash = catalogue().get("field-basics").content_hash
    assert enrolment.completed_version == content_hash
    assert completions == [enrolment.id]
    assert "Congratulations: you have completed this course!" in text(
        client.get(response.headers["Location"]))
    # Completion happens once: more lessons marked or quizzes passed change nothing.
    client.post(f"{BASE}/{LESSONS[0]}/done")
    submit(client, "final", RIGHT["final"])
    assert enrolment_of(app, uid).completed_at == enrolment.completed_at
    assert completions == [enrolment.id]
    html = text(client.get(f"{BASE}/"))
    assert "Completed" in html and "final score 100%" in html


def test_completion_needs_the_final_at_the_pass_mark(app, client, login_as, completions):
    uid = login_as()
    enrol(client)
    for key in LESSONS:
        client.post(f"{BASE}/{key}/done")
    submit(client, "counting", RIGHT["counting"])
    submit(client, "sources", RIGHT["sources"])
    failed = submit(client, "final", {"q-final-stock": "a", "q-final-census": "false"})
    assert enrolment_of(app, uid).completed_at is None               # 50% < 70%
    assert "You have completed this course." not in text(client.get(failed.headers["Location"]))
    passed = submit(client, "final", RIGHT["final"])
    enrolment = enrolment_of(app, uid)
    assert enrolment.completed_at is not None and enrolment.final_score == 100.0
    assert completions == [enrolment.id]
    assert "You have completed this course." in text(client.get(passed.headers["Location"]))


def test_knowledge_checks_must_be_passed_not_just_taken(app, client, login_as, completions):
    uid = login_as()
    enrol(client)
    for key in LESSONS:
        client.post(f"{BASE}/{key}/done")
    submit(client, "counting", {"q-stock-or-flow": "b", "q-twelve-months": "false",
                                "q-rate": "50"})                     # 33.3%
    submit(client, "sources", RIGHT["sources"])
    submit(client, "final", RIGHT["final"])
    assert enrolment_of(app, uid).completed_at is None and completions == []
    submit(client, "counting", RIGHT["counting"])
    assert enrolment_of(app, uid).completed_at is not None and len(completions) == 1


def test_a_stored_response_that_is_no_longer_an_option_is_shown_escaped(app, client, login_as):
    """Option HTML is sanitised Markdown; a stored response that no longer matches an
    option (the course changed since) is plain text and must not be marked safe."""
    login_as()
    enrol(client)
    response = submit(client, "counting", RIGHT["counting"])
    with app.app_context():
        answer = db.session.scalar(select(AttemptAnswer).where(
            AttemptAnswer.question_id == "stock-or-flow"))
        answer.response = "<img src=x onerror=alert(1)>"
        db.session.commit()
    html = text(client.get(response.headers["Location"]))
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
