"""The action table as XLSX (openpyxl) and CSV, formula-safe.

XLSX: one sheet per table ("Actions", "Data needs", "Data flows"); each starts
with the plan's title (row 1) and its status line (row 2: "Draft — incomplete:
…" or complete), the header in row 4, one row per action from row 5, frozen
under the header, with column widths, wrapped text, and drop-down lists for the
status and funding columns. Every text is written as text, never as a formula
(app/core/spreadsheets.py).

CSV: the action table only, UTF-8 with a byte-order mark (Excel reads the
accents), texts neutralised with ``safe_cell``. An incomplete plan's CSV starts
with one line saying so and what is missing, then an empty line, then the
header: tools that expect the header first should skip two lines.
"""

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.assessments.plan.generate import PlanDocument, Table
from app.core.spreadsheets import safe_row, write_text

HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
HEADER_FILL = PatternFill("solid", fgColor="E6ECF2")
WRAP = Alignment(wrap_text=True, vertical="top")


def status_line(doc: PlanDocument) -> str:
    if doc.incomplete:
        return f"{doc.draft_title}: " + " ".join(doc.incomplete)
    return doc.subtitle


def _sheet(ws, doc: PlanDocument, table: Table) -> None:
    write_text(ws.cell(1, 1), f"{doc.title} · {table.caption}")
    ws.cell(1, 1).font = Font(bold=True, size=13)
    write_text(ws.cell(2, 1), status_line(doc))
    ws.cell(2, 1).font = Font(bold=bool(doc.incomplete),
                              color="A4262C" if doc.incomplete else "4A5560")
    for col, name in enumerate(table.columns, start=1):
        cell = ws.cell(HEADER_ROW, col)
        write_text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    for r, row in enumerate(table.rows, start=FIRST_ROW):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c)
            write_text(cell, value)
            cell.alignment = WRAP
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
    for c, width in enumerate(table.widths or [], start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(FIRST_ROW, 2)
    last = max(FIRST_ROW + len(table.rows) - 1, FIRST_ROW) + 200   # room for new rows
    for c, options in (table.choices or {}).items():
        values = [o.replace(",", " ").replace('"', "'") for o in options if o]
        if not values or len(",".join(values)) > 250:
            continue
        check = DataValidation(type="list", formula1='"' + ",".join(values) + '"',
                               allow_blank=True)
        letter = get_column_letter(c + 1)
        check.add(f"{letter}{FIRST_ROW}:{letter}{last}")
        ws.add_data_validation(check)


def render_xlsx(doc: PlanDocument) -> bytes:
    wb = Workbook()
    first = True
    for key in ("actions", "needs", "flows"):
        table = doc.sheets.get(key)
        if table is None:
            continue
        ws = wb.active if first else wb.create_sheet()
        ws.title = table.caption[:31].replace("/", "-")
        first = False
        _sheet(ws, doc, table)
    wb.properties.title = doc.title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render_csv(doc: PlanDocument) -> bytes:
    table = doc.sheets["actions"]
    out = io.StringIO()
    writer = csv.writer(out)
    if doc.incomplete:
        writer.writerow(safe_row([status_line(doc)]))
        writer.writerow([])
    writer.writerow(safe_row(table.columns))
    for row in table.rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
