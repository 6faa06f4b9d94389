"""Exports of a round's plan, for the web and the CLI: one PlanDocument,
formatted as PDF, DOCX, Markdown, XLSX or CSV. Every export is audited
(who, when, which round, which format)."""

import re
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.assessments.models import Round
from app.assessments.plan import export_docx, export_md, export_pdf, export_xlsx
from app.assessments.plan.services import build_view, ensure_plan, language_of, plan_of
from app.core import audit
from app.core.errors import ValidationError

FORMATS = {
    "pdf": ("application/pdf", export_pdf.render),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             export_docx.render),
    "md": ("text/markdown; charset=utf-8", export_md.render),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             export_xlsx.render_xlsx),
    "csv": ("text/csv; charset=utf-8", export_xlsx.render_csv),
}


@dataclass
class Export:
    filename: str
    mimetype: str
    data: bytes
    complete: bool


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "plan"


def export_round(round_: Round, fmt: str, *, actor=None, show_details: bool = True,
                 via: str = "web", **details) -> Export:
    """The plan of ``round_`` in ``fmt`` (the caller has checked access). A round
    without a plan yet gets one drafted first (generation is idempotent)."""
    if fmt not in FORMATS:
        raise ValidationError(_l("Unknown export format."), field="format")
    plan = plan_of(round_.id) or ensure_plan(round_, actor, language_of(actor))
    view = build_view(round_, plan, show_details=show_details)
    mimetype, render = FORMATS[fmt]
    with force_locale(plan.language):
        data = render(view.document)
    audit.record("plans.exported", actor=actor, subject=f"round:{round_.id}", format=fmt,
                 via=via, complete=view.document.complete, **details)
    name = f"migration-data-plan-{_slug(round_.country)}-{_slug(round_.label)}-" \
           f"v{_slug(plan.doc_version)}.{fmt}"
    return Export(name, mimetype, data, view.document.complete)


def export(user, round_id: int, fmt: str) -> Export:
    """A member's export from the plan page: the annex shows each institution's
    answers only to those who may see them all."""
    from app.assessments.access import load_round

    access = load_round(user, round_id)
    return export_round(access.round, fmt, actor=user, show_details=access.can_see_all)
