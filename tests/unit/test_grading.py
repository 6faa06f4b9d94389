"""Grading (app/quizzes/grading.py): pure functions from form values to a score."""

import pytest

from app.quizzes.grading import GradeResult, ItemResult, grade, read_responses
from app.quizzes.question_types import QUESTION_TYPES, Option, Question


def question(qid, type_, options=(), **raw):
    kind = QUESTION_TYPES[type_]
    opts = tuple(Option(o, o) for o in options)
    key, problems = kind.check(raw, list(options))
    assert problems == []
    return Question(id=qid, type=type_, objective="o", prompt_html=qid,
                    explanation_html="", options=opts, key=key)


SC = question("sc", "single_choice", ("a", "b"), answer="a")
MC = question("mc", "multiple_choice", ("a", "b", "c", "d"), answer=["a", "c"],
              scoring="partial")
TF = question("tf", "true_false", answer=True)
NUM = question("num", "numeric", answer=50, tolerance=0.5)
TXT = question("txt", "short_text", answer=["census"])
QUIZ = (SC, MC, TF, NUM, TXT)

ALL_RIGHT = {"q-sc": ["a"], "q-mc": ["a", "c"], "q-tf": ["true"], "q-num": ["50,2"],
             "q-txt": ["Census"]}


def test_read_responses_turns_form_values_into_responses():
    read = read_responses(QUIZ, ALL_RIGHT)
    assert read.responses == {"sc": "a", "mc": ["a", "c"], "tf": True, "num": "50.2",
                              "txt": "Census"}
    assert read.problems == {} and read.missing == ()


def test_read_responses_ignores_fields_of_other_questions():
    form = dict(ALL_RIGHT, **{"q-other": ["x"], "csrf_token": ["t"], "score": ["100"],
                              "q-sc-extra": ["b"]})
    read = read_responses(QUIZ, form)
    assert set(read.responses) == {"sc", "mc", "tf", "num", "txt"}
    assert read.problems == {} and read.missing == ()


def test_read_responses_reports_missing_answers():
    form = {"q-sc": ["a"], "q-tf": [""], "q-num": ["  "]}
    read = read_responses(QUIZ, form)
    assert read.missing == ("mc", "tf", "num", "txt")
    assert read.responses == {"sc": "a", "mc": None, "tf": None, "num": None, "txt": None}
    assert read.problems == {}


def test_read_responses_reports_unreadable_answers_without_raising():
    form = dict(ALL_RIGHT, **{"q-sc": ["z"], "q-num": ["fifty"], "q-tf": ["maybe"]})
    read = read_responses(QUIZ, form)
    assert read.problems == {"sc": "unknown option", "num": "not a number",
                             "tf": "choose true or false"}
    assert set(read.responses) == {"mc", "txt"}
    assert read.missing == ()


def test_grade_all_right():
    result = grade(QUIZ, read_responses(QUIZ, ALL_RIGHT).responses, 70)
    assert result == GradeResult(100.0, True, (
        ItemResult("sc", "a", 1.0), ItemResult("mc", ["a", "c"], 1.0),
        ItemResult("tf", True, 1.0), ItemResult("num", "50.2", 1.0),
        ItemResult("txt", "Census", 1.0)))
    assert all(item.correct for item in result.items)


def test_grade_weighs_questions_equally_and_counts_partial_credit():
    # sc right (1), mc "a" only: a✓ b✓ c✗ d✓ = 0.75, tf wrong (0), num right (1),
    # txt wrong (0): (1 + 0.75 + 0 + 1 + 0) / 5 = 55%.
    responses = {"sc": "a", "mc": ["a"], "tf": False, "num": "49.5", "txt": "survey"}
    result = grade(QUIZ, responses, 70)
    assert [i.credit for i in result.items] == [1.0, 0.75, 0.0, 1.0, 0.0]
    assert result.score == 55.0 and result.passed is False
    assert [i.correct for i in result.items] == [True, False, False, True, False]


def test_missing_responses_earn_nothing():
    result = grade(QUIZ, {"sc": "a"}, 20)
    assert result.score == 20.0 and result.passed is True     # exactly at the pass mark
    assert [i.response for i in result.items] == ["a", None, None, None, None]
    # Partial credit: unanswered is not "every box left blank" (b and d would earn 50%).
    assert grade((MC,), {}, 50).score == 0.0
    assert grade((MC,), {"mc": None}, 50).score == 0.0


@pytest.mark.parametrize("right,total,score", [
    (1, 3, 33.3), (2, 3, 66.7), (1, 6, 16.7), (5, 6, 83.3), (2, 7, 28.6), (0, 4, 0.0),
    (4, 4, 100.0),
])
def test_score_is_a_percentage_rounded_to_one_decimal(right, total, score):
    questions = tuple(question(f"q{i}", "true_false", answer=True) for i in range(total))
    responses = {f"q{i}": i < right for i in range(total)}
    assert grade(questions, responses, 50).score == score


@pytest.mark.parametrize("pass_mark,passed", [(69.9, True), (70, True), (70.1, False)])
def test_exactly_at_the_pass_mark_passes(pass_mark, passed):
    questions = tuple(question(f"q{i}", "true_false", answer=True) for i in range(10))
    responses = {f"q{i}": i < 7 for i in range(10)}           # 7 of 10: 70%
    result = grade(questions, responses, pass_mark)
    assert result.score == 70.0 and result.passed is passed


def test_pass_mark_is_compared_with_the_rounded_score_the_learner_sees():
    questions = tuple(question(f"q{i}", "true_false", answer=True) for i in range(3))
    result = grade(questions, {"q0": True, "q1": True}, 66.7)   # 66.666… shown as 66.7
    assert result.score == 66.7 and result.passed is True


def test_a_quiz_without_questions_scores_zero():
    assert grade((), {}, 50) == GradeResult(0.0, False, ())


def test_item_correct_needs_full_credit():
    assert ItemResult("q", None, 1.0).correct and not ItemResult("q", None, 0.75).correct
