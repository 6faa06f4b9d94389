"""The workshop report: a PDF of one to three A4 pages for a ministry or a
donor. Participants by organisation, country and sex (where the trainers
recorded it), attendance, completion, knowledge gain with a chart, feedback
in aggregate (from 5 answers) and certificates issued.

Like the certificate and the sign-in sheet, the template receives plain values
only (a frozen dataclass of strings, numbers and tuples): nothing in it can
reach the database.
"""

from collections import Counter
from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _

from app.cohorts import figures, formatting, forms
from app.cohorts.access import load_cohort
from app.cohorts.dashboard import Dashboard, load
from app.cohorts.feedback import LABELS as FEEDBACK_LABELS
from app.cohorts.services import trainer_names
from app.core.db import utcnow
from app.core.i18n import country_name, current_language, text_direction
from app.core.pdf import render_pdf

#: Organisations and countries listed one by one; the others are counted together.
MAX_LISTED = 8
#: Up to this many learners the chart shows each learner; beyond, distributions.
MAX_PAIRED = 25


@dataclass(frozen=True)
class ReportContext:
    language: str
    direction: str
    cohort_name: str
    course_title: str
    dates: str
    mode: str
    venue: str
    trainers: str
    generated_on: str
    participants: int
    by_organisation: tuple[tuple[str, int], ...]
    by_country: tuple[tuple[str, int], ...]
    by_sex: tuple[tuple[str, int], ...]
    sex_recorded: bool
    sessions_held: int
    sessions_planned: int
    attendance: str
    completed: int
    completion: str
    certificates: int
    pretest_title: str
    gain_rows: tuple[tuple[str, int, str, str], ...]      # (figure, n, mean, median)
    positive_share: str
    class_g: str
    gain_note: str                                         # "" when there are figures
    objectives: tuple[tuple[str, int, str, str, str], ...]  # (objective, n, pre, post, g)
    chart_svg: str
    chart_svg_2: str
    feedback_answers: int
    feedback_enough: bool
    feedback_rows: tuple[tuple[str, int, str], ...]        # (question, answers, mean)
    satisfaction: str
    comments: int


def _counted(values, limit: int = MAX_LISTED, other: str = "") -> tuple[tuple[str, int], ...]:
    counts = Counter(values).most_common()
    listed = counts[:limit]
    rest = sum(n for _v, n in counts[limit:])
    return tuple(listed) + (((other, rest),) if rest else ())


def build(view: Dashboard, language: str) -> ReportContext:
    cohort = view.cohort
    learners = view.learners
    unknown = _("Not known")
    organisations = _counted((v.member.display_organisation or unknown for v in learners),
                             other=_("Other organisations"))
    countries = _counted((country_name(v.member.country
                                       or getattr(v.member.user, "country", None), language)
                          or unknown for v in learners), other=_("Other countries"))
    sexes = Counter(v.member.sex for v in learners)
    by_sex = tuple((str(forms.SEX_LABELS[key]), sexes[key])
                   for key in ("female", "male", "other", "not_stated", None) if sexes[key])
    f = view.gain
    gain_rows, gain_note = (), ""
    if view.pretest_quiz is None:
        gain_note = _("This workshop did not ask for a pre-test, so knowledge gain is not "
                      "measured.")
    elif not f.both:
        gain_note = _("Not enough data: no learner has taken both the pre-test and the "
                      "post-test yet (%(pre)d pre-tests, %(post)d post-tests).",
                      pre=f.pre.n, post=f.post.n)
    if view.pretest_quiz is not None:
        gain_rows = (
            (_("Pre-test score (%)"), f.pre.n, formatting.number(f.pre.mean),
             formatting.number(f.pre.median)),
            (_("Post-test score (%)"), f.post.n, formatting.number(f.post.mean),
             formatting.number(f.post.median)),
            (_("Gain (points)"), f.gain.n, formatting.number(f.gain.mean),
             formatting.number(f.gain.median)),
            (_("Normalised gain g"), f.g.n, formatting.number(f.g.mean, 2),
             formatting.number(f.g.median, 2)))
    objectives = tuple((o.text, o.figures.both, formatting.number(o.figures.pre.mean),
                        formatting.number(o.figures.post.mean),
                        formatting.number(o.figures.g.mean, 2))
                       for o in view.objectives) if f.both else ()
    chart, chart_2 = "", ""
    if f.both:
        rows = [v for v in learners if v.pre is not None and v.post is not None]
        if len(rows) <= MAX_PAIRED:
            chart = figures.paired([(v.name, v.pre, v.post) for v in rows], f,
                                   id_prefix="report-paired") or ""
        else:
            chart = figures.distribution([v.pre for v in rows], [v.post for v in rows],
                                         id_prefix="report-distribution") or ""
        chart_2 = figures.g_histogram([v.gain.g for v in rows], id_prefix="report-g",
                                      width=400, height=300) or ""
    feedback = view.feedback
    rate = view.attendance
    title = view.edition.title
    return ReportContext(
        language=language, direction=text_direction(language), cohort_name=cohort.name,
        course_title=title,
        dates=(formatting.day(cohort.starts_on, "long") if cohort.starts_on == cohort.ends_on
               else _("%(start)s to %(end)s", start=formatting.day(cohort.starts_on, "long"),
                      end=formatting.day(cohort.ends_on, "long"))),
        mode=str(forms.MODE_LABELS.get(cohort.mode, cohort.mode)), venue=cohort.venue or "",
        trainers=trainer_names(cohort), generated_on=formatting.day(utcnow().date(), "long"),
        participants=len(learners), by_organisation=organisations, by_country=countries,
        by_sex=by_sex, sex_recorded=any(v.member.sex for v in learners),
        sessions_held=len(view.roster.held_ids), sessions_planned=len(view.roster.sessions),
        attendance=(_("%(rate)d%% (%(present)d present of %(counted)d learner-sessions)",
                      rate=rate.percent, present=rate.present, counted=rate.counted)
                    if rate.percent is not None else _("not recorded yet")),
        completed=view.completed, completion=formatting.percent(view.completion_share),
        certificates=view.certificates_issued,
        pretest_title=(_("the final exam") if view.pretest_quiz and view.pretest_quiz.is_final
                       else (view.edition.module(view.pretest_quiz.module_slug).title
                             if view.pretest_quiz else "")),
        gain_rows=gain_rows, positive_share=formatting.percent(f.positive_share),
        class_g=formatting.number(f.class_g, 2), gain_note=gain_note, objectives=objectives,
        chart_svg=chart, chart_svg_2=chart_2, feedback_answers=feedback.answers,
        feedback_enough=feedback.enough,
        feedback_rows=tuple((str(FEEDBACK_LABELS[q.key]), q.n, formatting.number(q.mean, 1))
                            for q in feedback.questions),
        satisfaction=formatting.number(feedback.satisfaction.mean, 1),
        comments=len(feedback.comments))


def context_for(user, cohort_id: int) -> ReportContext:
    access = load_cohort(user, cohort_id, run=True)
    language = current_language()
    return build(load(access.cohort, language=language, with_items=False), language)


def render(context: ReportContext) -> bytes:
    return render_pdf(render_template("cohorts/report.html", c=context))
