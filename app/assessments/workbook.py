"""The offline questionnaire: an XLSX workbook of one institution's routed
questions, and reading it back cell by cell.

Pure code (openpyxl, no Flask, no database); the caller passes translated
texts in and checks the identification cells (round, institution, signature)
it gets back. Sheets:

- "Read me": what the workbook is for, how to fill it, the five levels;
- "Questions": one row per question. Column A (question id) and the last two
  columns (the answer's version and fingerprint when downloaded, to detect
  answers saved online in the meantime) are hidden; the sheet is protected
  except the answer cells, which have drop-down lists;
- "Lists" (hidden): the drop-down choices; "Meta" (hidden): identification.
"""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from app.assessments import rules
from app.assessments.constants import DONT_KNOW, LEVELS, NOT_APPLICABLE
from app.assessments.rules import AnswerValues, RawAnswer

FORMAT = "migration-data-academy/assessment-workbook/1"
COVER, QUESTIONS, LISTS, META = "Read me", "Questions", "Lists", "Meta"
COLUMNS = ("question_id", "domain", "number", "question", "guidance", "answer", "links", "note",
           "comment", "target_level", "target_year", "base_version", "base_fp")
COL = {name: i + 1 for i, name in enumerate(COLUMNS)}
EDITABLE = ("answer", "links", "note", "comment", "target_level", "target_year")
HIDDEN = ("question_id", "base_version", "base_fp")
WIDTHS = {"question_id": 24, "domain": 22, "number": 7, "question": 48, "guidance": 48,
          "answer": 26, "links": 36, "note": 36, "comment": 36, "target_level": 22,
          "target_year": 12, "base_version": 8, "base_fp": 18}
MAX_ROWS = 1000
_FIELD_COLUMN = {"choice": "answer", "links": "links", "note": "note", "comment": "comment",
                 "target_level": "target_level", "target_year": "target_year"}


@dataclass(frozen=True)
class Row:
    question_id: str
    domain: str             # domain title
    number: str
    text: str
    guidance: str           # plain text: guidance, level wording, references
    values: AnswerValues
    version: int


@dataclass(frozen=True)
class Spec:
    meta: dict                           # format is added; round, institution, language, token…
    title: str
    subtitle: str
    headers: dict                        # column name -> translated header
    instructions: list[str]
    scale: list[tuple[int, str, str]]    # (level, label, meaning)
    choices: list[tuple[str, str]]       # answer choices (code, label)
    rows: list[Row]


def _text_cell(cell, value) -> None:
    """Write text that is never read as a formula (evidence notes come from people)."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def build(spec: Spec) -> bytes:
    wb = Workbook()
    cover = wb.active
    cover.title = COVER
    sheet = wb.create_sheet(QUESTIONS)
    lists = wb.create_sheet(LISTS)
    meta = wb.create_sheet(META)
    lists.sheet_state = meta.sheet_state = "hidden"

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    cover["A1"] = spec.title
    cover["A1"].font = Font(bold=True, size=14)
    cover["A2"] = spec.subtitle
    line = 4
    for text in spec.instructions:
        _text_cell(cover.cell(line, 1), text)
        cover.cell(line, 1).alignment = wrap
        line += 1
    line += 1
    for level, label, meaning in spec.scale:
        cover.cell(line, 1, f"{level} – {label}").font = bold
        cover.cell(line, 2, meaning).alignment = wrap
        line += 1
    cover.column_dimensions["A"].width = 60
    cover.column_dimensions["B"].width = 70

    level_choices = [label for code, label in spec.choices if code.isdigit()]
    for i, (_, label) in enumerate(spec.choices, start=1):
        lists.cell(i, 1, label)
    for key, value in {"format": FORMAT, **spec.meta}.items():
        meta.append([key, str(value)])
    meta.protection.sheet = True

    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for name, col in COL.items():
        cell = sheet.cell(1, col, str(spec.headers.get(name, name)))
        cell.font, cell.fill, cell.alignment = bold, header_fill, wrap
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = WIDTHS[name]
        sheet.column_dimensions[letter].hidden = name in HIDDEN
    labels = dict(spec.choices)
    for r, row in enumerate(spec.rows, start=2):
        v = row.values
        cells = {
            "question_id": row.question_id, "domain": row.domain, "number": row.number,
            "question": row.text, "guidance": row.guidance,
            "answer": labels.get(v.choice, "") if v.choice else None,
            "links": "\n".join(v.links) or None, "note": v.note or None,
            "comment": v.comment or None,
            "target_level": labels.get(str(v.target_level)) if v.target_level is not None
            else None,
            "target_year": v.target_year, "base_version": row.version,
            "base_fp": v.fingerprint(),
        }
        for name, value in cells.items():
            cell = sheet.cell(r, COL[name])
            _text_cell(cell, value)
            cell.alignment = wrap
            if name in EDITABLE:
                cell.protection = Protection(locked=False)
    last = max(2, len(spec.rows) + 1)

    def column_range(name: str) -> str:
        letter = get_column_letter(COL[name])
        return f"{letter}2:{letter}{last}"

    answer_dv = DataValidation(type="list", formula1=f"={LISTS}!$A$1:$A${len(spec.choices)}",
                               allow_blank=True, showErrorMessage=True)
    target_dv = DataValidation(type="list", formula1=f"={LISTS}!$A$1:$A${len(level_choices)}",
                               allow_blank=True, showErrorMessage=True)
    year_dv = DataValidation(type="whole", operator="between", formula1=str(rules.YEAR_MIN),
                             formula2=str(rules.YEAR_MAX), allow_blank=True,
                             showErrorMessage=True)
    for dv, name in ((answer_dv, "answer"), (target_dv, "target_level"),
                     (year_dv, "target_year")):
        dv.errorTitle = str(spec.headers.get(name, name))
        dv.error = str(_l("Choose a value from the list.")) if name != "target_year" else str(
            _l("Enter a year between %(min)d and %(max)d.", min=rules.YEAR_MIN,
               max=rules.YEAR_MAX))
        sheet.add_data_validation(dv)
        dv.add(column_range(name))
    sheet.freeze_panes = "E2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading it back ----------------------------------------------------------------------

@dataclass(frozen=True)
class ParsedRow:
    row: int
    question_id: str
    values: AnswerValues
    base_version: int
    base_fp: str


@dataclass
class Parsed:
    meta: dict = field(default_factory=dict)
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _norm(text) -> str:
    text = str(text or "").casefold().replace("—", "-").replace("–", "-")
    return re.sub(r"\s+", " ", text).strip()


def choice_reader(choices: list[tuple[str, str]]) -> Callable[[object], str]:
    """Turn a cell (a drop-down label, a bare number, a code) into a choice code."""
    by_label = {_norm(label): code for code, label in choices}
    by_label.update({_norm(code): code for code, _ in choices})

    def read(value) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(int(value)) if float(value).is_integer() else str(value)
        text = _norm(value)
        if text in by_label:
            return by_label[text]
        match = re.match(r"^([0-9]+)\s*(?:[-:.)]|$)", text)
        return match.group(1) if match else str(value).strip()

    return read


def read_meta(data: bytes) -> tuple[dict, str | None]:
    """(identification cells, None) or ({}, problem)."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return {}, str(_l("This file is not an Excel workbook (.xlsx) that can be read."))
    try:
        if META not in wb.sheetnames or QUESTIONS not in wb.sheetnames:
            return {}, str(_l("This is not a questionnaire workbook downloaded from this "
                              "platform."))
        meta = {}
        for key, value, *_ in wb[META].iter_rows(min_row=1, max_row=50, max_col=2,
                                                  values_only=True):
            if key:
                meta[str(key)] = "" if value is None else str(value)
        if meta.get("format") != FORMAT:
            return {}, str(_l("This is not a questionnaire workbook downloaded from this "
                              "platform."))
        return meta, None
    finally:
        wb.close()


def parse(data: bytes, *, known: set[str], choices: list[tuple[str, str]]) -> Parsed:
    """Read every row of the "Questions" sheet; collect every problem (with its cell)."""
    result = Parsed()
    meta, problem = read_meta(data)
    if problem:
        result.problems.append(problem)
        return result
    result.meta = meta
    read_choice = choice_reader(choices)
    target_choices = [(c, label) for c, label in choices if c not in (DONT_KNOW, NOT_APPLICABLE)]
    read_target = choice_reader(target_choices)
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    seen: set[str] = set()
    try:
        sheet = wb[QUESTIONS]
        for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=len(COLUMNS),
                                                       values_only=True), start=2):
            if number > MAX_ROWS + 1:
                result.problems.append(str(_l("The workbook has more than %(max)d rows.",
                                              max=MAX_ROWS)))
                break
            cells = tuple(cells) + (None,) * (len(COLUMNS) - len(cells))
            value = dict(zip(COLUMNS, cells, strict=True))
            _parse_row(result, number, value, known, seen, read_choice, read_target)
    finally:
        wb.close()
    return result


def _cell(name: str, row: int) -> str:
    return f"{get_column_letter(COL[name])}{row}"


def _parse_row(result: Parsed, number: int, value: dict, known: set[str], seen: set[str],
               read_choice, read_target) -> None:
    qid = str(value["question_id"] or "").strip()
    has_content = any(value[name] not in (None, "") for name in EDITABLE)
    if not qid:
        if has_content:
            result.problems.append(str(_l(
                "Row %(row)d has answers but no question id: do not add rows or edit the "
                "hidden column A. Download a new workbook.", row=number)))
        return
    if qid not in known:
        result.problems.append(str(_l(
            "Row %(row)d: “%(id)s” is not one of the questions of this workbook (the question "
            "ids in the hidden column A must not be edited). Download a new workbook.",
            row=number, id=qid[:80])))
        return
    if qid in seen:
        result.problems.append(str(_l("Row %(row)d: the question “%(id)s” appears twice.",
                                      row=number, id=qid)))
        return
    seen.add(qid)
    raw = RawAnswer(choice=read_choice(value["answer"]),
                    links=_str(value["links"]), note=_str(value["note"]),
                    comment=_str(value["comment"]),
                    target_level=read_target(value["target_level"]),
                    target_year=_str(value["target_year"]))
    choice = raw.choice
    if choice and choice not in rules.CHOICES:
        raw.choice = "invalid"
    if raw.target_level and not (raw.target_level.isdigit() and int(raw.target_level) in
                                 LEVELS):
        raw.target_level = "invalid"
    values, errors = rules.clean(raw)
    try:
        base_version = int(value["base_version"] or 0)
    except (TypeError, ValueError):
        errors["base_version"] = str(_l("a hidden column was changed"))
        base_version = 0
    for name, message in errors.items():
        column = _FIELD_COLUMN.get(name, "base_version")
        result.problems.append(str(_l("Cell %(cell)s (question %(number)s): %(message)s",
                                      cell=_cell(column, number),
                                      number=_str(value["number"]) or qid, message=message)))
    if not errors:
        result.rows.append(ParsedRow(number, qid, values, base_version,
                                     _str(value["base_fp"])))


def _str(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
