"""Sessions, attendance, QR check-in and sign-in sheets."""

from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.cohorts import (
    bp,
    forms,
    roster,
    schedule,
    services,
    sheet,
)
from app.cohorts.access import load_cohort
from app.cohorts.models import MARKS
from app.cohorts.routes._common import status as _status
from app.core.errors import ValidationError
from app.core.forms import EmptyForm, apply_errors
from app.extensions import db

# --- sessions and attendance ------------------------------------------------------------

def _session_values(form) -> schedule.SessionValues:
    return schedule.SessionValues(topic=form.topic.data, day=form.day.data,
                                  start=form.start.data, end=form.end.data,
                                  place=form.place.data, meeting_url=form.meeting_url.data)


@bp.route("/<int:cohort_id>/sessions", methods=["GET", "POST"])
@login_required
def sessions(cohort_id):
    access = load_cohort(current_user, cohort_id, run=True)
    form = forms.SessionForm()
    if form.validate_on_submit():
        try:
            schedule.add_session(current_user, cohort_id, _session_values(form))
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            flash(_("The session is added."), "success")
            return redirect(url_for("cohorts.sessions", cohort_id=cohort_id))
    loaded = roster.load(access.cohort)
    return render_template("cohorts/sessions.html", access=access, cohort=access.cohort,
                           roster=loaded, form=form, now=services.utcnow(),
                           action_form=EmptyForm()), _status(form)


@bp.route("/<int:cohort_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def session_edit(cohort_id, session_id):
    access = load_cohort(current_user, cohort_id, run=True)
    session = schedule.session_of(access, session_id)
    if request.method == "GET":
        values = schedule.values_of(access.cohort, session)
        form = forms.SessionForm(formdata=None, obj=values)
    else:
        form = forms.SessionForm()
        if form.validate_on_submit():
            try:
                schedule.update_session(current_user, cohort_id, session_id,
                                        _session_values(form))
            except ValidationError as err:
                db.session.rollback()
                apply_errors(form, err)
            else:
                db.session.commit()
                flash(_("The session is saved."), "success")
                return redirect(url_for("cohorts.session_page", cohort_id=cohort_id,
                                        session_id=session_id))
    return render_template("cohorts/session_edit.html", access=access, cohort=access.cohort,
                           session=session, form=form), _status(form)


@bp.post("/<int:cohort_id>/sessions/<int:session_id>/delete")
@login_required
def session_delete(cohort_id, session_id):
    if EmptyForm().validate_on_submit():
        try:
            schedule.delete_session(current_user, cohort_id, session_id)
        except ValidationError as err:
            db.session.rollback()
            flash(str(err.message), "error")
            return redirect(url_for("cohorts.session_page", cohort_id=cohort_id,
                                    session_id=session_id))
        db.session.commit()
        flash(_("The session is deleted."), "success")
    return redirect(url_for("cohorts.sessions", cohort_id=cohort_id))


@bp.route("/<int:cohort_id>/sessions/<int:session_id>", methods=["GET", "POST"])
@login_required
def session_page(cohort_id, session_id):
    access = load_cohort(current_user, cohort_id, run=True)
    session = schedule.session_of(access, session_id)
    form = EmptyForm()
    if form.validate_on_submit():
        marks = {}
        for key, value in request.form.items():
            if key.startswith("m") and key[1:].isdigit() and value in MARKS:
                marks[int(key[1:])] = value
        try:
            changed = schedule.record_marks(current_user, cohort_id, session_id, marks,
                                            from_sheet=request.form.get("from_sheet") == "y")
        except ValidationError as err:
            db.session.rollback()
            flash(str(err.message), "error")
        else:
            db.session.commit()
            flash(_("Attendance saved (%(n)d change(s)).", n=changed), "success")
            return redirect(url_for("cohorts.session_page", cohort_id=cohort_id,
                                    session_id=session_id))
    people = services.members(cohort_id)
    marks = roster.marks_of(cohort_id)
    now = services.utcnow()
    opens, closes = schedule.checkin_window(session)
    url = schedule.checkin_url(session) if now <= closes else None
    return render_template("cohorts/session.html", access=access, cohort=access.cohort,
                           session=session, people=people,
                           marks={m.id: marks.get(m.id, {}).get(session.id) for m in people},
                           form=form, checkin_url=url, opens=opens, closes=closes, now=now,
                           qr=schedule.qr_svg_data_uri(url) if url else None)


@bp.get("/<int:cohort_id>/sessions/<int:session_id>/qr")
@login_required
def session_qr(cohort_id, session_id):
    """The check-in code alone, large, for a projector."""
    access = load_cohort(current_user, cohort_id, run=True)
    session = schedule.session_of(access, session_id)
    opens, closes = schedule.checkin_window(session)
    url = schedule.checkin_url(session)
    return render_template("cohorts/session_qr.html", cohort=access.cohort, session=session,
                           checkin_url=url, qr=schedule.qr_svg_data_uri(url), opens=opens,
                           closes=closes, closed=services.utcnow() > closes)


@bp.get("/<int:cohort_id>/sessions/<int:session_id>/sign-in-sheet.pdf")
@login_required
def sign_in_sheet(cohort_id, session_id):
    context = sheet.build(current_user, cohort_id, session_id,
                          with_qr=request.args.get("qr") == "1")
    pdf = sheet.render(context)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="sign-in-sheet-{session_id}.pdf"',
        "Cache-Control": "private, no-store"})


@bp.get("/<int:cohort_id>/attendance")
@login_required
def attendance_page(cohort_id):
    access = load_cohort(current_user, cohort_id, run=True)
    return render_template("cohorts/attendance.html", access=access, cohort=access.cohort,
                           roster=roster.load(access.cohort))


@bp.get("/checkin/<token>")
@login_required
def checkin(token):
    found = schedule.check_state(current_user, token)
    return render_template("cohorts/checkin.html", found=found, token=token,
                           cohort=found.cohort, form=EmptyForm())


@bp.post("/checkin/<token>")
@login_required
def checkin_confirm(token):
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("cohorts.checkin", token=token))
    found = schedule.check_in(current_user, token)
    db.session.commit()
    flash(_("You are already marked present for “%(topic)s”.", topic=found.session.topic)
          if found.already else
          _("Thank you: you are marked present for “%(topic)s”.", topic=found.session.topic),
          "success")
    return redirect(url_for("cohorts.page", cohort_id=found.cohort.id))
