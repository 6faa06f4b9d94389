"""Cohort exports: the dashboard's tables as CSV (one file per table) or XLSX
(one sheet per table, or every table in one workbook with ``all.xlsx``).

Every cell goes through app.core.spreadsheets.safe_cell: a text beginning with
=, +, -, @, a tab or a carriage return gets a leading apostrophe, so a name
like ``=HYPERLINK("http://x")`` stays text in Excel and LibreOffice; in XLSX
texts are also stored as string cells (``write_text``), never as formulas.
Numbers stay numbers. Feedback is exported in aggregate only, with the same
"at least 5 answers" rule as the page.
"""

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from app.cohorts import formatting, forms
from app.cohorts.access import load_cohort
from app.cohorts.dashboard import Dashboard, load
from app.cohorts.feedback import LABELS as FEEDBACK_LABELS
from app.core.errors import NotFound
from app.core.i18n import country_name
from app.core.spreadsheets import safe_cell, write_text

TABLES = ("roster", "progress", "scores", "gain", "objectives", "items", "attendance",
          "feedback", "comments")
ALL = "all"


@dataclass
class Table:
    name: str
    title: str
    header: list
    rows: list[list]


def _round(value, digits: int = 1):
    return None if value is None else round(float(value), digits)


def _date(moment) -> str | None:
    return moment.date().isoformat() if moment is not None else None


def _title(view: Dashboard, slug: str) -> str:
    if slug == "final":
        return _("Final exam")
    module = view.edition.module(slug)
    return module.title if module else slug


def roster_table(view: Dashboard) -> Table:
    rows = [[v.name, v.member.email, v.member.display_organisation,
             country_name(v.member.country or getattr(v.member.user, "country", None)),
             str(forms.SEX_LABELS.get(v.member.sex, forms.SEX_LABELS[None])),
             _date(v.member.joined_at)] for v in view.learners]
    return Table("roster", _("Learners"), [_("Name"), _("E-mail address"), _("Organisation"),
                                           _("Country"), _("Sex"), _("Joined on")], rows)


def progress_table(view: Dashboard) -> Table:
    header = [_("Name"), *[m.title for m in view.modules], _("Lessons done"),
              _("Lessons in the course"), _("Progress (%)"), _("Completed on"),
              _("Last activity"), _("At risk")]
    rows = []
    for v in view.learners:
        status = v.row.status
        rows.append([v.name, *[str(forms.STATE_LABELS[s]) for s in v.modules],
                     status.lessons_done if status else 0,
                     len(view.course.lesson_keys), v.percent,
                     _date(v.row.enrolment.completed_at) if v.row.enrolment else None,
                     _date(v.last_activity),
                     "; ".join(risk_text(view, r) for r in v.risks)])
    return Table("progress", _("Progress"), header, rows)


def risk_text(view: Dashboard, flag: str) -> str:
    return str(forms.RISK_LABELS[flag]) % {"days": view.at_risk_days}


def scores_table(view: Dashboard) -> Table:
    quizzes = list(view.edition.quizzes)
    header = [_("Name")]
    for quiz in quizzes:
        title = _title(view, quiz.slug)
        header += [_("%(quiz)s: first attempt (%%)", quiz=title),
                   _("%(quiz)s: best (%%)", quiz=title), _("%(quiz)s: attempts", quiz=title)]
    rows = []
    for v in view.learners:
        row = [v.name]
        for quiz in quizzes:
            score = v.scores.get(quiz.slug)
            row += ([score.first, score.best, score.attempts] if score
                    else [None, None, 0])
        rows.append(row)
    return Table("scores", _("Quiz scores"), header, rows)


def g_text(v) -> object:
    gain = v.gain
    if gain.g_undefined:
        return _("undefined (pre-test 100%)")
    return _round(gain.g, 3)


def gain_table(view: Dashboard) -> Table:
    rows = [[v.name, v.pre, v.post, _round(v.gain.gain), g_text(v)] for v in view.learners]
    return Table("gain", _("Knowledge gain"), [_("Name"), _("Pre-test (%)"),
                                               _("Post-test (%)"), _("Gain (points)"),
                                               _("Normalised gain g")], rows)


def _figures_row(label: str, f) -> list:
    return [label, f.pre.n, _round(f.pre.mean), _round(f.pre.median), f.post.n,
            _round(f.post.mean), _round(f.post.median), f.both, _round(f.gain.mean),
            _round(f.gain.median), _round(f.g.mean, 3), _round(f.g.median, 3),
            _round(f.positive_share * 100) if f.positive_share is not None else None]


def objectives_table(view: Dashboard) -> Table:
    header = [_("Scope"), _("Pre-tests"), _("Pre-test mean (%)"), _("Pre-test median (%)"),
              _("Post-tests"), _("Post-test mean (%)"), _("Post-test median (%)"),
              _("Learners with both"), _("Mean gain (points)"), _("Median gain (points)"),
              _("Mean g"), _("Median g"), _("Share with a positive gain (%)")]
    rows = [_figures_row(_("Whole test"), view.gain)]
    rows += [_figures_row(o.text, o.figures) for o in view.objectives]
    return Table("objectives", _("Gain by objective"), header, rows)


def items_table(view: Dashboard) -> Table:
    header = [_("Quiz"), _("Question id"), _("Question"), _("Objective"), _("Answers"),
              _("Difficulty p (mean credit)"), _("Fully correct (%)"), _("Discrimination"),
              _("Flags")]
    rows = []
    for quiz_items in view.items:
        for question, stats in quiz_items.rows:
            rows.append([_title(view, quiz_items.quiz.slug), question.id,
                         formatting.plain_text(question.prompt_html), question.objective,
                         stats.n, _round(stats.difficulty, 3),
                         _round(stats.correct_share * 100) if stats.correct_share is not None
                         else None, _round(stats.discrimination, 3),
                         "; ".join(str(forms.FLAG_LABELS[f]) for f in stats.flags)])
    return Table("items", _("Item analysis"), header, rows)


def attendance_table(view: Dashboard) -> Table:
    held = view.roster.held
    header = [_("Name"), *[f"{s.starts_at.date().isoformat()} {s.topic}" for s in held],
              _("Present"), _("Sessions counted"), _("Attendance rate (%)")]
    rows = [[v.name, *[str(forms.MARK_LABELS[v.row.marks[s.id]]) if v.row.marks.get(s.id)
                       else _("not marked") for s in held],
             v.row.rate.present, v.row.rate.counted, v.row.rate.percent]
            for v in view.learners]
    return Table("attendance", _("Attendance"), header, rows)


def feedback_table(view: Dashboard) -> Table:
    summary = view.feedback
    header = [_("Question"), _("Answers"), _("Mean (1–5)"), "1", "2", "3", "4", "5"]
    if not summary.enough:
        return Table("feedback", _("Feedback"), header, [[
            _("Not enough answers to show results without identifying anyone "
              "(%(n)d of at least %(min)d).", n=summary.answers, min=summary.minimum)]])
    rows = [[str(FEEDBACK_LABELS[q.key]), q.n, _round(q.mean, 2), *q.counts]
            for q in summary.questions]
    rows.append([_("Satisfaction (mean of relevance, content and training)"),
                 summary.satisfaction.n, _round(summary.satisfaction.mean, 2)])
    return Table("feedback", _("Feedback"), header, rows)


def comments_table(view: Dashboard) -> Table:
    summary = view.feedback
    rows = [[c] for c in summary.comments] if summary.enough else []
    return Table("comments", _("Comments"), [_("Comment (without names, alphabetical)")], rows)


BUILDERS = {"roster": roster_table, "progress": progress_table, "scores": scores_table,
            "gain": gain_table, "objectives": objectives_table, "items": items_table,
            "attendance": attendance_table, "feedback": feedback_table,
            "comments": comments_table}


def tables(view: Dashboard, names=TABLES) -> list[Table]:
    return [BUILDERS[name](view) for name in names]


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads the accents right), comma-separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in table.header])
    for row in table.rows:
        writer.writerow([safe_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(found: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in found:
        sheet = book.create_sheet(table.name[:31])
        for r, row in enumerate([table.header, *table.rows], start=1):
            for c, value in enumerate(row, start=1):
                write_text(sheet.cell(row=r, column=c), safe_cell(value))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(user, cohort_id: int, name: str, fmt: str,
           language: str | None = None) -> tuple[str, bytes, str]:
    """(file name, data, MIME type) of one table (CSV or XLSX) or of every table
    (``all``, XLSX only)."""
    access = load_cohort(user, cohort_id, run=True)
    if fmt not in ("csv", "xlsx") or (name not in TABLES and not (name == ALL
                                                                   and fmt == "xlsx")):
        raise NotFound()
    view = load(access.cohort, language=language, with_items=name in ("items", ALL))
    stem = f"workshop-{access.cohort.id}-{name}"
    if fmt == "csv":
        return f"{stem}.csv", csv_bytes(BUILDERS[name](view)), "text/csv; charset=utf-8"
    found = tables(view) if name == ALL else [BUILDERS[name](view)]
    return (f"{stem}.xlsx", xlsx_bytes(found),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
