"""Exports of the plan: DOCX, XLSX, CSV, Markdown and PDF from the same
document; formula-safe spreadsheets; the incomplete banner; the audit log;
the `flask plans export` command."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from tests.integration.test_plans_support import (
    Q1,
    Q2,
    action_form,
    actions,
    audit_events,
    client_for,
    generate,
    plan_round,
)

TITLES = ["Cover and document control", "Executive summary", "Context", "Method",
          "Assessment results", "Priority data needs matrix", "Strategic objectives",
          "Action plan", "Indicator monitoring framework",
          "Data flows and data protection annex", "Capacity development plan",
          "Budget and financing summary", "Governance and monitoring", "Timeline", "Annexes"]
EVIL = '=HYPERLINK("http://evil.example","click")'


def _ready(app, make_user, **kwargs):
    """A plan with an action whose text is a formula, and another with a cost."""
    setup = plan_round(app, make_user, **kwargs)
    generate(app, setup)
    drafted = actions(app, setup.round_id)
    focal = client_for(app, setup.email("focal"))
    url = f"/assessments/{setup.round_id}/plan/actions"
    assert focal.post(f"{url}/{drafted[Q1].id}", data=action_form(
        drafted[Q1], action=EVIL, partners="+IOM", lead_institution="nso")).status_code == 302
    assert focal.post(f"{url}/{drafted[Q2].id}", data=action_form(
        drafted[Q2], cost="1500.25", funding="donor", status="in_progress",
        starts_on="2027-02-01", ends_on="2027-11-30")).status_code == 302
    return setup, focal


def _export(client, round_id, fmt):
    response = client.post(f"/assessments/{round_id}/plan/export.{fmt}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert "attachment" in response.headers["Content-Disposition"]
    assert f".{fmt}" in response.headers["Content-Disposition"]
    return response


def test_docx_has_the_section_headings_and_one_row_per_action(app, make_user):
    setup, focal = _ready(app, make_user)
    data = _export(focal, setup.round_id, "docx").data
    document = Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"{i}. {t}" for i, t in enumerate(TITLES, start=1)]
    assert any(p.style.name == "Heading 2" for p in document.paragraphs)
    assert "Draft — incomplete" in "\n".join(p.text for p in document.paragraphs[:20])
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "ID"
                 and t.rows[0].cells[1].text == "Priority")
    assert len(table.rows) == 1 + 3
    assert {row.cells[0].text for row in table.rows[1:]} == {"A-01", "A-02", "A-03"}
    assert table.rows[0]._tr.trPr is not None                    # a repeated header row
    texts = [cell.text for row in table.rows for cell in row.cells]
    assert EVIL in texts and "1,500.25 USD" in texts
    orientations = {s.orientation for s in document.sections}
    assert len(orientations) == 2                                # a landscape part


def test_xlsx_action_table_is_formula_safe(app, make_user):
    setup, focal = _ready(app, make_user)
    wb = load_workbook(io.BytesIO(_export(focal, setup.round_id, "xlsx").data))
    assert wb.sheetnames[0] == "Action plan"
    ws = wb["Action plan"]
    assert ws["A2"].value.startswith("Draft — incomplete")
    header = [c.value for c in ws[4]]
    assert header[:3] == ["ID", "Priority", "Domain / question ref"] and "Status" in header
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    assert sorted(r[0] for r in rows) == ["A-01", "A-02", "A-03"]
    action_col = header.index("Action") + 1
    evil = next(ws.cell(r, action_col) for r in range(5, 8)
                if ws.cell(r, action_col).value == EVIL)
    assert evil.data_type == "s"                                  # text, not a formula
    partners = ws.cell(evil.row, header.index("Partner(s)") + 1)
    assert partners.value == "+IOM" and partners.data_type == "s"
    cost = next(r[header.index("Estimated cost")] for r in rows if r[0] == "A-02")
    assert cost == pytest.approx(1500.25)
    assert ws.freeze_panes == "B5"
    assert len(ws.data_validations.dataValidation) == 2
    assert wb.sheetnames[1:] == ["Priority data needs and indicat", "Inter-agency data flows"]


def test_csv_action_table_is_formula_safe(app, make_user):
    setup, focal = _ready(app, make_user)
    response = _export(focal, setup.round_id, "csv")
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0].startswith("Draft — incomplete") and rows[1] == []
    header = rows[2]
    body = [dict(zip(header, r, strict=True)) for r in rows[3:]]
    assert len(body) == 3
    assert any(r["Action"] == "'" + EVIL for r in body)
    assert any(r["Partner(s)"] == "'+IOM" for r in body)
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_markdown_contains_the_sections_and_the_banner(app, make_user):
    setup, focal = _ready(app, make_user)
    text = _export(focal, setup.round_id, "md").data.decode()
    for i, title in enumerate(TITLES, start=1):
        assert f"\n## {i}. {title}\n" in text
    assert "> **Draft — incomplete**" in text
    assert "| A-01 |" in text and "| A-02 |" in text and "| A-03 |" in text


@pytest.mark.pdf
def test_pdf_has_the_sections_and_an_action(app, make_user):
    from pypdf import PdfReader

    setup, focal = _ready(app, make_user)
    data = _export(focal, setup.round_id, "pdf").data
    assert data[:4] == b"%PDF"
    words = " ".join(" ".join(page.extract_text().split())
                     for page in PdfReader(io.BytesIO(data)).pages)
    for title in TITLES:
        assert title in words, title
    assert "A-02" in words and "Draft — incomplete" in words


def test_every_export_is_audited(app, make_user):
    setup, focal = _ready(app, make_user)
    contributor = client_for(app, setup.email("nso"))
    for fmt in ("md", "csv", "xlsx", "docx"):
        _export(contributor if fmt == "md" else focal, setup.round_id, fmt)
    events = audit_events(app, "plans.exported")
    assert [e.details["format"] for e in events] == ["md", "csv", "xlsx", "docx"]
    assert {e.subject for e in events} == {f"round:{setup.round_id}"}
    assert events[0].actor_id == setup.uid("nso") and events[1].actor_id == setup.uid("focal")
    assert all(e.details["via"] == "web" and e.details["complete"] is False for e in events)


def test_contributors_export_without_other_institutions_answers(app, make_user):
    setup, _focal = _ready(app, make_user)
    contributor = client_for(app, setup.email("nso"))
    text = _export(contributor, setup.round_id, "md").data.decode()
    assert "https://example.org/" not in text            # no institution's evidence
    full = _export(client_for(app, setup.email("focal")), setup.round_id, "md").data.decode()
    assert "https://example.org/interior/" in full


def test_a_finished_plan_has_no_banner(app, make_user):
    from app.assessments.plan.models import Plan

    setup = plan_round(app, make_user, validate=True,
                       consensus={Q1: 1, Q2: 2, "working-group": 3, "common-definitions": 0,
                                  "release-calendar": 4})
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.round_id == setup.round_id))
        plan.lead_agency, plan.context = "NSO", "Migration profile."
        for a in plan.actions:
            a.lead_institution, a.funding = "nso", "domestic"
            a.starts_on, a.ends_on, a.cost = date(2027, 1, 1), date(2027, 6, 1), Decimal(10)
        for f in plan.flows:
            f.dsa_status, f.dpia_status = "signed", "done"
        db.session.commit()
    focal = client_for(app, setup.email("focal"))
    text = _export(focal, setup.round_id, "md").data.decode()
    assert "Draft — incomplete" not in text
    rows = list(csv.reader(io.StringIO(_export(focal, setup.round_id, "csv").data.decode(
        "utf-8-sig"))))
    assert rows[0][0] == "ID"                                   # header first
    assert audit_events(app, "plans.exported")[-1].details["complete"] is True


def test_cli_exports_every_format(app, runner, make_user, tmp_path):
    setup, _focal = _ready(app, make_user)
    for fmt in ("pdf", "docx", "md", "xlsx", "csv"):
        if fmt == "pdf":
            continue                # rendered in the pdf-marked test below
        out = tmp_path / f"plan.{fmt}"
        with app.app_context():
            result = runner.invoke(args=["plans", "export", str(setup.round_id), "--format", fmt,
                                         "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0 and "draft, incomplete" in result.output
    assert Document(str(tmp_path / "plan.docx")).paragraphs
    events = audit_events(app, "plans.exported")
    assert [e.details["via"] for e in events] == ["cli"] * 4
    assert all(e.actor_id is None and e.details.get("cli_user") for e in events)


@pytest.mark.pdf
def test_cli_exports_a_pdf(app, runner, make_user, tmp_path):
    setup, _focal = _ready(app, make_user)
    out = tmp_path / "plan.pdf"
    with app.app_context():
        result = runner.invoke(args=["plans", "export", str(setup.round_id), "--format", "pdf",
                                     "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"%PDF"


def test_cli_errors(app, runner, make_user, tmp_path):
    setup = plan_round(app, make_user)
    with app.app_context():
        unknown = runner.invoke(args=["plans", "export", "999", "--format", "md", "-o",
                                      str(tmp_path / "x.md")])
        assert unknown.exit_code == 1 and "no assessment round with the id 999" in unknown.output
        bad = runner.invoke(args=["plans", "export", "abc", "--format", "md", "-o",
                                  str(tmp_path / "x.md")])
        assert bad.exit_code == 1
        fmt = runner.invoke(args=["plans", "export", str(setup.round_id), "--format", "odt",
                                  "-o", str(tmp_path / "x.odt")])
        assert fmt.exit_code == 1 and "unknown format 'odt'" in fmt.output
        # A round without a plan yet gets one drafted for the export.
        ok = runner.invoke(args=["plans", "export", str(setup.round_id), "--format", "md", "-o",
                                 str(tmp_path / "plan.md")])
        assert ok.exit_code == 0, ok.output
    assert "## 8. Action plan" in (tmp_path / "plan.md").read_text()
    assert not (tmp_path / "x.md").exists()


def test_control_characters_typed_in_the_plan_do_not_break_the_exports(app, make_user):
    """A control character pasted into a plan text (it cannot be stored in XML) must
    not make the Word export fail for every member of the round."""
    setup = plan_round(app, make_user)
    generate(app, setup)
    drafted = actions(app, setup.round_id)
    focal = client_for(app, setup.email("focal"))
    assert focal.post(f"/assessments/{setup.round_id}/plan/actions/{drafted[Q1].id}",
                      data=action_form(drafted[Q1], action="Adopt\x01 the law",
                                       risks="Delay\x0b in\nparliament")).status_code == 302
    document = Document(io.BytesIO(_export(focal, setup.round_id, "docx").data))
    texts = [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    assert "Adopt the law" in texts
