"""Question types (app/quizzes/question_types.py): checking the YAML keys,
reading what a learner typed or ticked, grading and the answer shown afterwards."""

from decimal import Decimal

import pytest

from app.quizzes.question_types import (
    QUESTION_TYPES,
    Option,
    Question,
    ResponseError,
    normalise_text,
    parse_number,
)


def make(type_, options=("a", "b", "c", "d"), unit="", **raw):
    """A question as the loader builds it, with the answer key from the type's check."""
    kind = QUESTION_TYPES[type_]
    opts = tuple(Option(o, f"Option <em>{o}</em>") for o in options) if kind.has_options \
        else ()
    key, problems = kind.check(raw, [o.id for o in opts])
    assert problems == []
    return Question(id="q1", type=type_, objective="o", prompt_html="Prompt?",
                    explanation_html="Because.", options=opts, key=key, unit=unit)


def parse(question, *values):
    return question.kind.parse(question, list(values))


def score(question, *values):
    return question.kind.grade(question, parse(question, *values))


def test_registry_holds_the_documented_types():
    assert list(QUESTION_TYPES) == ["single_choice", "multiple_choice", "true_false",
                                    "numeric", "short_text"]
    assert {name: t.input for name, t in QUESTION_TYPES.items()} == {
        "single_choice": "radio", "multiple_choice": "checkbox", "true_false": "radio",
        "numeric": "number", "short_text": "text"}
    assert [n for n, t in QUESTION_TYPES.items() if t.has_options] == [
        "single_choice", "multiple_choice"]


# --- single choice -------------------------------------------------------------------

def test_single_choice():
    q = make("single_choice", answer="b")
    assert q.key == {"answer": "b"}
    assert parse(q, "b") == "b" and score(q, "b") == 1.0
    assert score(q, "a") == 0.0
    assert parse(q, "b", "b") == "b"                    # the same box sent twice
    assert parse(q) is None and parse(q, "") is None     # blank
    assert q.kind.grade(q, None) == 0.0
    assert q.kind.answer_text(q) == "Option <em>b</em>"


@pytest.mark.parametrize("values", [["e"], ["a", "b"], ["b", "<script>"], ["A"]])
def test_single_choice_refuses_forged_or_several_options(values):
    q = make("single_choice", answer="b")
    with pytest.raises(ResponseError):
        parse(q, *values)


def test_single_choice_option_ids_may_be_numbers_in_yaml():
    q = make("single_choice", options=("1", "2"), answer=2)
    assert q.key == {"answer": "2"} and score(q, "2") == 1.0


def test_single_choice_check_reports_an_answer_that_is_not_an_option():
    _, problems = QUESTION_TYPES["single_choice"].check({"answer": "z"}, ["a", "b"])
    assert problems == ["answer 'z' is not one of the option ids ['a', 'b']"]
    _, problems = QUESTION_TYPES["single_choice"].check({}, ["a", "b"])
    assert problems == ["answer '' is not one of the option ids ['a', 'b']"]


# --- multiple choice -----------------------------------------------------------------

def test_multiple_choice_all_or_nothing_is_the_default():
    q = make("multiple_choice", answer=["c", "a"])
    assert q.key == {"answer": ["a", "c"], "scoring": "all_or_nothing",
                     "options": ["a", "b", "c", "d"]}
    assert parse(q, "c", "a") == ["a", "c"]              # stored sorted
    assert score(q, "a", "c") == 1.0
    assert score(q, "a") == 0.0                          # a subset
    assert score(q, "a", "b", "c") == 0.0                # a superset
    assert parse(q) is None and q.kind.grade(q, None) == 0.0
    assert q.kind.answer_text(q) == "Option <em>a</em>; Option <em>c</em>"


@pytest.mark.parametrize("ticked,credit", [
    # answer {a, c} among a, b, c, d: each option is worth 1/4, a right tick or a right blank
    (["a", "c"], 1.0),
    (["a"], 0.75),           # a ✓, b blank ✓, c blank ✗, d blank ✓
    (["a", "b"], 0.5),       # a ✓, b ✗, c ✗, d ✓
    (["a", "b", "c"], 0.75),  # a ✓, b ✗, c ✓, d ✓
    (["b", "d"], 0.0),       # every option wrong
    (["a", "b", "c", "d"], 0.5),
])
def test_multiple_choice_partial_credit(ticked, credit):
    q = make("multiple_choice", answer=["a", "c"], scoring="partial")
    assert score(q, *ticked) == credit


def test_partial_credit_of_the_fixture_question():
    # core-topics: answer birth, citizenship, arrival among four options.
    q = make("multiple_choice", options=("birth", "citizenship", "religion", "arrival"),
             answer=["birth", "citizenship", "arrival"], scoring="partial")
    assert score(q, "birth") == 0.5                      # birth ✓ religion-blank ✓
    assert score(q, "birth", "citizenship", "religion") == 0.5
    assert score(q, "birth", "citizenship", "arrival") == 1.0
    assert q.kind.grade(q, None) == 0.0                  # unanswered earns nothing
    assert q.kind.grade(q, []) == 0.0


def test_multiple_choice_refuses_forged_options():
    q = make("multiple_choice", answer=["a"])
    with pytest.raises(ResponseError, match="unknown option"):
        parse(q, "a", "z")


@pytest.mark.parametrize("raw,problems", [
    ({"answer": "a"}, ["answer must be a non-empty list of option ids"]),
    ({"answer": []}, ["answer must be a non-empty list of option ids"]),
    ({"answer": ["a", "x"]}, ["answer ids ['x'] are not option ids ['a', 'b']"]),
    ({"answer": ["a"], "scoring": "most"}, ["scoring must be all_or_nothing or partial"]),
])
def test_multiple_choice_check(raw, problems):
    assert QUESTION_TYPES["multiple_choice"].check(raw, ["a", "b"])[1] == problems


# --- true / false --------------------------------------------------------------------

def test_true_false():
    q = make("true_false", answer=True)
    assert parse(q, "true") is True and parse(q, "false") is False
    assert score(q, "true") == 1.0 and score(q, "false") == 0.0
    assert parse(q) is None and parse(q, "") is None
    assert q.kind.grade(q, None) == 0.0
    assert q.kind.answer_text(q) == "true"
    q = make("true_false", answer=False)
    assert score(q, "false") == 1.0 and score(q, "true") == 0.0
    assert q.kind.grade(q, None) == 0.0                  # blank is not "false"
    assert q.kind.answer_text(q) == "false"


@pytest.mark.parametrize("values", [["yes"], ["True"], ["1"], ["true", "false"]])
def test_true_false_refuses_other_values(values):
    with pytest.raises(ResponseError):
        parse(make("true_false", answer=True), *values)


@pytest.mark.parametrize("answer", ["true", 1, None])
def test_true_false_check_needs_a_boolean(answer):
    assert QUESTION_TYPES["true_false"].check({"answer": answer}, [])[1] == [
        "answer must be true or false"]


# --- numeric -------------------------------------------------------------------------

@pytest.mark.parametrize("text,number", [
    ("12.5", "12.5"), ("12,5", "12.5"), ("1 234,5", "1234.5"), ("1,234.5", "1234.5"),
    ("1.234,5", "1234.5"), ("1\u00a0234", "1234"), ("1\u202f234,25", "1234.25"),
    ("-3", "-3"), ("+4", "4"), ("  7 ", "7"), ("50%", "50"), (".5", "0.5"),
    ("1,234,567", "1234567"), ("1'234.5", "1234.5"), ("0", "0"),
    ("٥٠", "50"),                                        # Arabic-Indic digits
])
def test_parse_number(text, number):
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize("text", ["abc", "", "12a", "1e5", "1.2.3", "--3", "3-", ",", "NaN",
                                  "Infinity", "½"])
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(ResponseError, match="not a number"):
        parse_number(text)


def test_numeric_parse_and_blank():
    q = make("numeric", answer=50, tolerance=0.5, unit="per 100,000")
    assert q.key == {"answer": "50", "tolerance": "0.5"}
    assert parse(q, "1 234,5") == "1234.5"               # stored as a plain number string
    assert parse(q, "") is None and parse(q, "   ") is None and parse(q) is None
    assert q.kind.grade(q, None) == 0.0
    with pytest.raises(ResponseError):
        parse(q, "fifty")


@pytest.mark.parametrize("typed,credit", [
    ("50", 1.0), ("50,5", 1.0), ("49.5", 1.0),           # exactly at the tolerance: right
    ("50.51", 0.0), ("49,49", 0.0), ("-50", 0.0),
])
def test_numeric_tolerance_edges(typed, credit):
    assert score(make("numeric", answer=50, tolerance=0.5), typed) == credit


def test_numeric_without_tolerance_needs_the_exact_value():
    q = make("numeric", answer=12.5)
    assert q.key["tolerance"] == "0"
    assert score(q, "12,5") == 1.0 and score(q, "12.50") == 1.0
    assert score(q, "12.5001") == 0.0


def test_numeric_compares_decimals_not_floats():
    # 0.3 - 0.1 is 0.19999999999999998 in floats: the edge must still count as right.
    assert score(make("numeric", answer=0.1, tolerance=0.2), "0.3") == 1.0


def test_numeric_answer_text():
    q = make("numeric", answer=50, tolerance=0.5, unit="per 100,000")
    assert q.kind.answer_text(q) == "50 per 100,000 (± 0.5)"
    q = make("numeric", answer=7)
    assert q.kind.answer_text(q) == "7"


@pytest.mark.parametrize("raw,problems", [
    ({"answer": "50"}, ["answer must be a number"]),
    ({"answer": True}, ["answer must be a number"]),
    ({"answer": 5, "tolerance": -1}, ["tolerance must be a number of at least 0"]),
    ({"answer": 5, "tolerance": "1"}, ["tolerance must be a number of at least 0"]),
])
def test_numeric_check(raw, problems):
    assert QUESTION_TYPES["numeric"].check(raw, [])[1] == problems


# --- short text ----------------------------------------------------------------------

@pytest.mark.parametrize("text,normal", [
    ("Census", "census"),
    ("  Population    census ", "population census"),
    ("RÉCENSEMENT", "recensement"),
    ("Recensement.", "recensement"),
    ("«census»", "census"),
    ("census!?", "census"),
    ("population\u00a0census", "population census"),
    ("Ｃｅｎｓｕｓ", "census"),                     # full-width letters
])
def test_normalise_text(text, normal):
    assert normalise_text(text) == normal


def test_short_text_grading():
    q = make("short_text", answer=["census", "Population census", "recensement"])
    assert q.key["accepted"] == ["census", "population census", "recensement"]
    for typed in ("census", "CENSUS", " population  Census. ", "Récensement!"):
        assert score(q, typed) == 1.0, typed
    for typed in ("censuses", "a census", "survey", "population-census"):
        assert score(q, typed) == 0.0, typed
    assert parse(q, "   ") is None and parse(q) is None
    assert q.kind.grade(q, None) == 0.0
    assert q.kind.answer_text(q) == "census / Population census / recensement"


def test_answer_texts_from_plain_yaml_are_escaped():
    """The result page shows answer_text with |safe: plain texts must come escaped."""
    q = make("short_text", answer=["<18 years", "a & b"])
    assert q.kind.answer_text(q) == "&lt;18 years / a &amp; b"
    q = make("numeric", answer=5, unit="<b>km</b>")
    assert q.kind.answer_text(q) == "5 &lt;b&gt;km&lt;/b&gt;"


def test_short_text_response_is_trimmed_and_capped():
    q = make("short_text", answer=["x"])
    assert parse(q, "  census  ") == "census"
    assert len(parse(q, "y" * 5000)) == 500


def test_short_text_check():
    check = QUESTION_TYPES["short_text"].check
    assert check({"answer": "census"}, [])[0] == {"answer": ["census"],
                                                  "accepted": ["census"]}
    assert check({"answer": [1998]}, [])[0]["accepted"] == ["1998"]
    for bad in ([], [""], ["ok", "  "], None, [{"a": 1}]):
        assert check({"answer": bad}, [])[1] == ["answer must be a list of accepted answers"]
