"""The plan as PDF (WeasyPrint through app/core/pdf.py: local assets only),
charts included as inline SVG. Formatting only: generate.py decides content."""

from flask import render_template

from app.assessments.plan.generate import PlanDocument
from app.core.pdf import render_pdf


def html(doc: PlanDocument) -> str:
    return render_template("assessments/plan/print.html", doc=doc)


def render(doc: PlanDocument) -> bytes:
    return render_pdf(html(doc))
