"""Formula-safe spreadsheet cells (app/core/spreadsheets.py)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from app.core.spreadsheets import safe_cell, safe_row, write_text


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("Plain text", "Plain text"), ("a=b", "a=b"), ("", ""), (None, ""),
])
def test_safe_cell_neutralises_formulas(value, expected):
    assert safe_cell(value) == expected


def test_numbers_and_dates_are_kept():
    assert safe_row([-5, Decimal("-1.5"), date(2027, 1, 1), True]) == [
        -5, Decimal("-1.5"), date(2027, 1, 1), True]


def test_xlsx_text_is_never_a_formula():
    wb = Workbook()
    ws = wb.active
    write_text(ws["A1"], "=1+1")
    write_text(ws["A2"], "-cmd|' /C calc'!A0")
    write_text(ws["A3"], 12.5)
    write_text(ws["A4"], "bad\x01char")
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    assert (ws["A1"].value, ws["A1"].data_type) == ("=1+1", "s")
    assert ws["A2"].data_type == "s"
    assert ws["A3"].value == 12.5
    assert ws["A4"].value == "badchar"
