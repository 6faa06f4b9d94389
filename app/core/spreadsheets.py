"""Spreadsheet cells that stay data: no formula injection in CSV or XLSX exports.

A text cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which some programs strip before reading the rest) is run as a formula
by Excel and LibreOffice when the file is opened. Exports of text that people
typed (action titles, names, notes) must neutralise it:

- CSV: ``safe_cell(value)`` prefixes such a text with an apostrophe, which
  spreadsheet programs read as "this is text" and do not display;
- XLSX: ``write_text(cell, value)`` stores any text as a string cell, never as
  a formula (openpyxl otherwise turns "=…" into a formula).

Numbers, dates and booleans are returned unchanged: they cannot hold formulas.
"""

from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value):
    """A CSV-ready value: texts that a spreadsheet would run as a formula get a
    leading apostrophe; None becomes the empty text; other values are kept."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = str(value)
    return "'" + text if is_risky(text) else text


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


def write_text(cell, value) -> None:
    """Put ``value`` in an openpyxl cell; any text is stored as text, never a formula."""
    if value is None or value == "":
        cell.value = None
        return
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        cell.value = value
        return
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.data_type = "s"
