"""The offline workbook, built and read back without the application."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from app.assessments import workbook
from app.assessments.rules import AnswerValues
from app.assessments.workbook import COL, QUESTIONS

CHOICES = [("0", "0 – Absent"), ("1", "1 – Requires further progress"),
           ("2", "2 – Partially meets"), ("3", "3 – Meets"), ("4", "4 – Fully meets"),
           ("dont_know", "Don't know"), ("not_applicable", "Not applicable")]
KNOWN = {"q-one", "q-two", "q-three"}


def spec(rows=None) -> workbook.Spec:
    existing = AnswerValues(response="level", level=2, links=("https://example.org/a",),
                            note="=SUM(A1:A9)", target_level=3, target_year=2028)
    return workbook.Spec(
        meta={"round": 7, "institution": "nso", "language": "en", "token": "signed"},
        title="Title", subtitle="Subtitle", headers={"answer": "Your answer"},
        instructions=["Fill it in."], scale=[(i, f"L{i}", f"meaning {i}") for i in range(5)],
        choices=CHOICES,
        rows=rows or [
            workbook.Row("q-one", "1. Legal", "1.1", "First?", "Guidance", existing, 3),
            workbook.Row("q-two", "1. Legal", "1.2", "Second?", "Guidance", AnswerValues(), 0),
            workbook.Row("q-three", "2. Coordination", "2.1", "Third?", "G", AnswerValues(), 0),
        ])


def edit(data: bytes, changes: dict[tuple[int, str], object], *, append=None) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    sheet = wb[QUESTIONS]
    for (row, column), value in changes.items():
        sheet.cell(row, COL[column]).value = value
    if append:
        sheet.append(append)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parse(data: bytes):
    return workbook.parse(data, known=KNOWN, choices=CHOICES)


def test_the_workbook_has_its_sheets_lists_and_protection():
    wb = load_workbook(io.BytesIO(workbook.build(spec())))
    assert wb.sheetnames == ["Read me", "Questions", "Lists", "Meta"]
    assert wb["Lists"].sheet_state == "hidden" and wb["Meta"].sheet_state == "hidden"
    sheet = wb["Questions"]
    assert sheet.protection.sheet
    assert sheet.column_dimensions["A"].hidden                     # question ids
    assert not sheet.cell(2, COL["answer"]).protection.locked
    assert sheet.cell(2, COL["question"]).protection.locked
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert validations["F2:F4"].formula1 == "=Lists!$A$1:$A$7"       # answer drop-down
    assert validations["J2:J4"].formula1 == "=Lists!$A$1:$A$5"       # target level
    assert validations["K2:K4"].type == "whole"                      # target year
    assert [wb["Lists"].cell(i, 1).value for i in range(1, 8)] == [c[1] for c in CHOICES]
    assert sheet.cell(2, COL["answer"]).value == "2 – Partially meets"
    note = sheet.cell(2, COL["note"])
    assert note.value == "=SUM(A1:A9)" and note.data_type == "s"     # never a formula


def test_an_untouched_workbook_reads_back_as_it_was_written():
    parsed = parse(workbook.build(spec()))
    assert parsed.problems == []
    assert parsed.meta["round"] == "7" and parsed.meta["institution"] == "nso"
    first = parsed.rows[0]
    assert first.question_id == "q-one" and first.base_version == 3
    assert first.values == spec().rows[0].values
    assert first.base_fp == first.values.fingerprint()
    assert parsed.rows[1].values == AnswerValues()


def test_filled_cells_are_read():
    data = edit(workbook.build(spec()), {
        (3, "answer"): "4 – Fully meets", (3, "links"): "https://a.org/1\nhttp://b.org/2",
        (3, "target_level"): "4 – fully MEETS", (3, "target_year"): 2030,
        (4, "answer"): "Don't know", (4, "comment"): "Ask the NSO"})
    parsed = parse(data)
    assert parsed.problems == []
    second, third = parsed.rows[1].values, parsed.rows[2].values
    assert (second.level, second.links, second.target_level, second.target_year) == (
        4, ("https://a.org/1", "http://b.org/2"), 4, 2030)
    assert third.response == "dont_know" and third.comment == "Ask the NSO"


@pytest.mark.parametrize("typed, level", [(3, 3), (3.0, 3), ("3", 3), ("3 - meets", 3),
                                          ("3 – Meets", 3)])
def test_levels_typed_by_hand(typed, level):
    parsed = parse(edit(workbook.build(spec()), {(3, "answer"): typed}))
    assert parsed.problems == [] and parsed.rows[1].values.level == level


@pytest.mark.parametrize("column, value, cell, message", [
    ("answer", "7", "F3", "Choose a level from 0 to 4"),
    ("answer", "maybe", "F3", "Choose a level from 0 to 4"),
    ("links", "www.example.org", "G3", "not a web link"),
    ("note", "n" * 2001, "H3", "at most 2000 characters"),
    ("target_year", 1850, "K3", "between 2000 and 2100"),
    ("target_level", "Not applicable", "J3", "target level"),
])
def test_bad_cells_are_reported_with_their_cell(column, value, cell, message):
    parsed = parse(edit(workbook.build(spec()), {(3, column): value}))
    assert len(parsed.problems) == 1
    assert f"Cell {cell} (question 1.2)" in parsed.problems[0] and message in parsed.problems[0]


def test_every_bad_cell_is_reported_at_once():
    parsed = parse(edit(workbook.build(spec()), {(2, "answer"): "9", (4, "links"): "ftp://x"}))
    assert len(parsed.problems) == 2


def test_an_edited_question_id_is_refused():
    parsed = parse(edit(workbook.build(spec()), {(3, "question_id"): "q-invented"}))
    assert len(parsed.problems) == 1 and "q-invented" in parsed.problems[0]
    assert "must not be edited" in parsed.problems[0]


def test_duplicated_rows_and_added_rows_are_refused():
    parsed = parse(edit(workbook.build(spec()), {(3, "question_id"): "q-one"}))
    assert any("appears twice" in p for p in parsed.problems)
    parsed = parse(edit(workbook.build(spec()), {}, append=[None, None, None, "Mine?", None,
                                                          "3 – Meets"]))
    assert any("no question id" in p for p in parsed.problems)


def test_not_a_workbook_or_not_ours():
    assert "not an Excel workbook" in parse(b"PK\x03\x04 broken zip").problems[0]
    assert "not an Excel workbook" in parse(b"%PDF-1.4").problems[0]
    out = io.BytesIO()
    Workbook().save(out)
    assert "not a questionnaire workbook" in parse(out.getvalue()).problems[0]


def test_choice_reader():
    read = workbook.choice_reader(CHOICES)
    assert read(None) == "" and read("  ") == ""
    assert read("NOT APPLICABLE") == "not_applicable"
    assert read("dont_know") == "dont_know"
    assert read(2) == "2" and read("2: partially") == "2"
    assert read("anything else") == "anything else"
