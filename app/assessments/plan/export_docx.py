"""The plan as an editable Word document (python-docx): real Heading 1/2/3
styles, real tables whose header row repeats on every page, a page break
between sections, landscape pages for the wide tables (actions, data flows),
page numbers in the footer. Opens and edits cleanly in Word and LibreOffice.

Charts are SVG, which Word documents cannot hold portably: the bar chart is
rendered as a table with text bars; the same numbers are in the score table.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from app.assessments.plan.generate import (
    Bullets,
    Chart,
    Facts,
    Heading,
    Paragraph,
    PlanDocument,
    Table,
)

RED = RGBColor(0xA4, 0x26, 0x2C)
MUTED = RGBColor(0x4A, 0x55, 0x60)
A4 = (Cm(21.0), Cm(29.7))


def _repeat_header(row) -> None:
    """Mark a table row as a header row repeated at the top of each page."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _set_cell(cell, text: str, *, bold: bool = False, size: float | None = None) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run("" if text is None else str(text))
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def _page_number_footer(section, text: str) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.text = ""
    run = paragraph.add_run(f"{text} · ")
    run.font.size = Pt(8)
    run.font.color.rgb = MUTED
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text_el = OxmlElement("w:t")
    text_el.text = "1"
    inner.append(text_el)
    field.append(inner)
    paragraph._p.append(field)


def _orient(section, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5 if landscape else 2.0))
    section.top_margin = section.bottom_margin = Cm(1.8)


class _Writer:
    def __init__(self, doc: PlanDocument):
        self.doc = doc
        self.word = Document()
        styles = self.word.styles
        styles["Normal"].font.size = Pt(10)
        styles["Normal"].font.name = "Calibri"
        self.section = self.word.sections[0]
        _orient(self.section, False)
        _page_number_footer(self.section, doc.footer)
        self.landscape = False

    def new_section(self, landscape: bool, first: bool) -> None:
        if first:
            return
        if landscape != self.landscape:
            self.section = self.word.add_section(WD_SECTION.NEW_PAGE)
            _orient(self.section, landscape)
            self.landscape = landscape
        else:
            self.word.add_page_break()

    def table(self, table: Table) -> None:
        wide = len(table.columns) > 6
        size = 7 if len(table.columns) > 12 else (8 if wide else 9)
        if table.caption:
            caption = self.word.add_paragraph(style="Caption")
            caption.add_run(table.caption)
        grid = self.word.add_table(rows=1, cols=len(table.columns))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = grid.rows[0]
        _repeat_header(header)
        for cell, name in zip(header.cells, table.columns, strict=True):
            _set_cell(cell, name, bold=True, size=size)
            _shade(cell, "E6ECF2")
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                _set_cell(cell, value, size=size)
        if table.widths and len(table.widths) == len(table.columns):
            usable = self.section.page_width - self.section.left_margin - \
                self.section.right_margin
            total = sum(table.widths)
            grid.autofit = False
            for column, weight in zip(grid.columns, table.widths, strict=True):
                width = int(usable * weight / total)
                column.width = width            # the grid (LibreOffice reads it)
                for cell in column.cells:       # and each cell (Word reads these)
                    cell.width = width
        self.word.add_paragraph()

    def bars(self, chart: Chart) -> None:
        rows = []
        for row in chart.table.rows:
            try:
                bar = "█" * round(float(row[1]) * 4)
            except ValueError:
                bar = ""
            rows.append([row[0], row[1], bar])
        self.table(Table([chart.table.columns[0], chart.table.columns[1], ""], rows,
                         caption=chart.caption, widths=[40, 12, 48]))

    def facts(self, facts: Facts) -> None:
        grid = self.word.add_table(rows=0, cols=2)
        grid.style = "Table Grid"
        for label, value in facts.rows:
            cells = grid.add_row().cells
            _set_cell(cells[0], label, bold=True)
            _set_cell(cells[1], value)
        self.word.add_paragraph()

    def paragraph(self, block: Paragraph) -> None:
        paragraph = self.word.add_paragraph()
        run = paragraph.add_run(block.text)
        if block.style == "placeholder":
            run.italic = True
            run.font.color.rgb = MUTED
        elif block.style == "note":
            run.font.size = Pt(9)
            run.font.color.rgb = MUTED
        elif block.style == "lead":
            run.font.size = Pt(11)

    def banner(self) -> None:
        paragraph = self.word.add_paragraph()
        run = paragraph.add_run(self.doc.draft_title)
        run.bold = True
        run.font.size = Pt(13)
        run.font.color.rgb = RED
        for item in self.doc.incomplete:
            self.word.add_paragraph(item, style="List Bullet")

    def write(self) -> bytes:
        doc = self.doc
        self.word.core_properties.title = doc.title
        self.word.core_properties.language = doc.language
        self.word.add_heading(doc.title, level=0)
        self.word.add_paragraph(doc.subtitle)
        if doc.incomplete:
            self.banner()
        for i, section in enumerate(doc.sections):
            self.new_section(section.landscape, first=i == 0)
            self.word.add_heading(f"{section.number}. {section.title}", level=1)
            for block in section.blocks:
                if isinstance(block, Heading):
                    self.word.add_heading(block.text, level=min(block.level, 3))
                elif isinstance(block, Paragraph):
                    self.paragraph(block)
                elif isinstance(block, Bullets):
                    style = "List Number" if block.ordered else "List Bullet"
                    for item in block.items:
                        self.word.add_paragraph(str(item), style=style)
                elif isinstance(block, Facts):
                    self.facts(block)
                elif isinstance(block, Table):
                    self.table(block)
                elif isinstance(block, Chart) and block.kind == "bars":
                    self.bars(block)
        out = io.BytesIO()
        self.word.save(out)
        return out.getvalue()


def render(doc: PlanDocument) -> bytes:
    return _Writer(doc).write()
