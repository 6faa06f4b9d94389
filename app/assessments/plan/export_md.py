"""The plan as Markdown (GitHub tables). Formatting only: generate.py decides
what the document says."""

from app.assessments.plan.generate import (
    Bullets,
    Chart,
    Facts,
    Heading,
    Paragraph,
    PlanDocument,
    Table,
)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or " "


def _table(table: Table) -> list[str]:
    lines = []
    if table.caption:
        lines += [f"*{_cell(table.caption)}*", ""]
    lines.append("| " + " | ".join(_cell(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---" for _c in table.columns) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    if not table.rows:
        lines.append("| " + " | ".join("—" if i == 0 else " " for i, _c in enumerate(
            table.columns)) + " |")
    return [*lines, ""]


def _bars(chart: Chart) -> list[str]:
    """The bar chart as text bars (score out of 4, one block per 0.25)."""
    lines = [f"*{_cell(chart.caption)}*", "", "```"]
    for row in chart.table.rows:
        label, score = row[0], row[1]
        try:
            blocks = "█" * round(float(score) * 4)
        except ValueError:
            blocks = ""
        lines.append(f"{label[:40]:<40} {blocks} {score}")
    return [*lines, "```", ""]


def render(doc: PlanDocument) -> bytes:
    lines = [f"# {doc.title}", "", doc.subtitle, ""]
    if doc.incomplete:
        lines.append(f"> **{doc.draft_title}**")
        lines.append(">")
        lines += [f"> - {item}" for item in doc.incomplete]
        lines.append("")
    for section in doc.sections:
        lines += [f"## {section.number}. {section.title}", ""]
        for block in section.blocks:
            if isinstance(block, Heading):
                lines += [f"{'#' * (block.level + 1)} {block.text}", ""]
            elif isinstance(block, Paragraph):
                text = block.text
                if block.style == "placeholder":
                    text = f"*{text}*"
                elif block.style == "note":
                    text = f"> {text}"
                lines += [text, ""]
            elif isinstance(block, Bullets):
                for i, item in enumerate(block.items, start=1):
                    lines.append(f"{i}. {item}" if block.ordered else f"- {item}")
                lines.append("")
            elif isinstance(block, Facts):
                lines += [f"- **{label}:** {value}" for label, value in block.rows]
                lines.append("")
            elif isinstance(block, Table):
                lines += _table(block)
            elif isinstance(block, Chart) and block.kind == "bars":
                lines += _bars(block)
    lines += ["---", "", doc.footer, ""]
    return "\n".join(lines).encode("utf-8")
