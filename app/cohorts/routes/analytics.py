"""Pre/post gain, the trainers' dashboard, feedback, exports, the report and the programme view."""

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.cohorts import (
    aggregates,
    bp,
    dashboard,
    exports,
    feedback,
    figures,
    forms,
    programme,
    report,
    roster,
)
from app.cohorts.routes._common import course_choices as _course_choices
from app.cohorts.routes._common import status as _status
from app.core.errors import ValidationError
from app.core.forms import apply_errors
from app.core.i18n import current_language
from app.extensions import db

# --- part 2: pre-test and knowledge gain, dashboard, feedback, exports, report, programme -

@bp.get("/<int:cohort_id>/dashboard")
@login_required
def dashboard_page(cohort_id):
    view = dashboard.dashboard(current_user, cohort_id, current_language())
    paired_rows = [(v.name, v.pre, v.post) for v in view.gain_rows()]
    both = [v for v in view.learners if v.gain.both]
    charts = {
        "paired": (figures.paired(paired_rows, view.gain)
                   if len(paired_rows) <= figures.MAX_PAIRED else None),
        "distribution": figures.distribution([v.pre for v in view.learners],
                                             [v.post for v in view.learners]),
        "g": figures.g_histogram([v.gain.g for v in both]),
    }
    return render_template("cohorts/dashboard.html", view=view, access=view.access,
                           cohort=view.cohort, charts=charts, tables=exports.TABLES,
                           risk_text=exports.risk_text,
                           # translated once, not once per cell of a 300-row matrix
                           state_labels={k: str(v) for k, v in forms.STATE_LABELS.items()})


@bp.get("/<int:cohort_id>/export/<name>.<any(csv, xlsx):fmt>")
@login_required
def export(cohort_id, name, fmt):
    filename, data, mimetype = exports.export(current_user, cohort_id, name, fmt,
                                              current_language())
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})


@bp.get("/<int:cohort_id>/report.pdf")
@login_required
def report_pdf(cohort_id):
    pdf = report.render(report.context_for(current_user, cohort_id))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="workshop-report-{cohort_id}.pdf"',
        "Cache-Control": "private, no-store"})


@bp.route("/<int:cohort_id>/feedback", methods=["GET", "POST"])
@login_required
def feedback_page(cohort_id):
    view = roster.cohort_page(current_user, cohort_id, current_language())
    access = view.access
    if not access.is_member:
        if request.method == "POST" or not access.can_run:
            abort(403 if access.can_run else 404)
        # Trainers see the questions their learners answer (nothing to submit).
        return render_template("cohorts/feedback.html", view=view, access=access,
                               cohort=access.cohort, state=None, form=forms.FeedbackForm(),
                               questions=aggregates.QUESTIONS, preview=True,
                               close_date=feedback.closes_on(access.cohort))
    state = view.survey
    form = forms.FeedbackForm()
    if request.method == "GET" and state.feedback is not None:
        saved = state.feedback
        form = forms.FeedbackForm(formdata=None, comment=saved.comment or "", **{
            key: str(getattr(saved, key)) if getattr(saved, key) else None
            for key in aggregates.QUESTIONS})
    if state.open and form.validate_on_submit():
        try:
            feedback.save(current_user, cohort_id, {
                **{key: getattr(form, key).data for key in aggregates.QUESTIONS},
                "comment": form.comment.data})
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            flash(_("Thank you: your answers are saved."), "success")
            return redirect(url_for("cohorts.page", cohort_id=cohort_id))
    return render_template("cohorts/feedback.html", view=view, access=access,
                           cohort=access.cohort, state=state, form=form,
                           questions=aggregates.QUESTIONS, preview=False), _status(form)


@bp.get("/programme")
@login_required
def programme_page():
    filters = programme.parse_filters(request.args)
    view = programme.overview(current_user, filters)
    return render_template("cohorts/programme.html", view=view, filters=filters,
                           courses=_course_choices())


@bp.get("/programme.csv")
@login_required
def programme_csv():
    import csv
    import io

    from app.core.spreadsheets import safe_cell

    view = programme.overview(current_user, programme.parse_filters(request.args))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in programme.csv_rows(view):
        writer.writerow([safe_cell(c) for c in row])
    return Response(("\ufeff" + out.getvalue()).encode("utf-8"),
                    mimetype="text/csv; charset=utf-8", headers={
                        "Content-Disposition": 'attachment; filename="programme.csv"',
                        "Cache-Control": "private, no-store"})
