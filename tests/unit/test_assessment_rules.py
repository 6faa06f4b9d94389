"""What a valid answer is, and how concurrent edits are decided (pure)."""

import pytest

from app.assessments import rules
from app.assessments.rules import AnswerValues, RawAnswer


def test_a_full_answer_is_cleaned():
    values, errors = rules.clean(RawAnswer(
        choice="3", links="https://example.org/law\r\nhttp://example.org/decree https://example.org/law",
        note="  Article 12.\r\n", comment="ok", target_level="4", target_year="2028"))
    assert errors == {}
    assert values == AnswerValues(response="level", level=3,
                                  links=("https://example.org/law", "http://example.org/decree"),
                                  note="Article 12.", comment="ok", target_level=4,
                                  target_year=2028)
    assert values.choice == "3" and values.scored_level == 3 and values.answered


@pytest.mark.parametrize("choice, response, level", [
    ("", None, None), ("0", "level", 0), ("4", "level", 4),
    ("dont_know", "dont_know", None), ("not_applicable", "not_applicable", None)])
def test_choices(choice, response, level):
    values, errors = rules.clean(RawAnswer(choice=choice))
    assert errors == {} and (values.response, values.level) == (response, level)
    assert values.scored_level == (level if response == "level" else None)


@pytest.mark.parametrize("raw, field", [
    (RawAnswer(choice="5"), "choice"),
    (RawAnswer(choice="-1"), "choice"),
    (RawAnswer(choice="three"), "choice"),
    (RawAnswer(links="javascript:alert(1)"), "links"),
    (RawAnswer(links="ftp://example.org/file"), "links"),
    (RawAnswer(links="www.example.org"), "links"),
    (RawAnswer(links="https://" + "a" * 600 + ".org"), "links"),
    (RawAnswer(links=" ".join(f"https://example.org/{i}" for i in range(11))), "links"),
    (RawAnswer(note="x" * 2001), "note"),
    (RawAnswer(comment="y" * 2001), "comment"),
    (RawAnswer(target_level="7"), "target_level"),
    (RawAnswer(target_year="1999"), "target_year"),
    (RawAnswer(target_year="2101"), "target_year"),
    (RawAnswer(target_year="soon"), "target_year"),
])
def test_bad_values_are_refused_with_a_message(raw, field):
    values, errors = rules.clean(raw)
    assert values is None and field in errors and errors[field]


def test_every_problem_is_reported_at_once():
    _, errors = rules.clean(RawAnswer(choice="9", links="file:///etc/passwd", note="z" * 3000,
                                      target_year="3000"))
    assert set(errors) == {"choice", "links", "note", "target_year"}
    assert "2000" in errors["note"] and "3000" in errors["note"]


def test_fingerprints_follow_the_values():
    a = AnswerValues(response="level", level=2, links=("https://x.org",))
    assert a.fingerprint() == AnswerValues.from_dict(a.to_dict()).fingerprint()
    assert a.fingerprint() != AnswerValues(response="level", level=3,
                                           links=("https://x.org",)).fingerprint()
    assert AnswerValues().empty and not a.empty


def test_justification_rules():
    assert rules.check_justification("  fine ", required=True) == ("fine", None)
    assert rules.check_justification("", required=True)[1]
    assert rules.check_justification("", required=False) == ("", None)
    assert rules.check_justification("j" * 2001, required=False)[1]


@pytest.mark.parametrize("submitted, version, base, current, current_version, resolution, "
                         "expected", [
    ("A", 1, "A0", "A", 2, None, rules.SKIP),          # same as now
    ("B", 2, "A", "A", 2, None, rules.WRITE),          # nobody saved in between
    ("A0", 1, "A0", "C", 2, None, rules.SKIP),         # not edited here, changed elsewhere
    ("B", 1, "A0", "C", 2, None, rules.CONFLICT),       # both changed it
    ("B", 0, "E", "C", 1, None, rules.CONFLICT),       # both created it
    ("B", 2, "C", "C", 2, "mine", rules.WRITE),        # chose mine after the conflict page
    ("B", 2, "C", "C", 2, "theirs", rules.SKIP),       # chose theirs
    ("B", 2, "C", "D", 3, "mine", rules.CONFLICT),     # changed again meanwhile
])
def test_merge_decision(submitted, version, base, current, current_version, resolution,
                        expected):
    assert rules.merge_decision(submitted_fp=submitted, submitted_version=version, base_fp=base,
                                current_fp=current, current_version=current_version,
                                resolution=resolution) == expected
