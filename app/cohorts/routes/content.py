"""Announcements, materials and the workshop's certificates."""

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.cohorts import (
    bp,
    certificates,
    content,
    forms,
)
from app.cohorts.access import load_cohort
from app.cohorts.routes._common import status as _status
from app.core.errors import ValidationError
from app.core.forms import EmptyForm, apply_errors
from app.core.i18n import current_language
from app.extensions import db

# --- announcements and materials -----------------------------------------------------------

@bp.route("/<int:cohort_id>/announcements", methods=["GET", "POST"])
@login_required
def announcements(cohort_id):
    access = load_cohort(current_user, cohort_id, run=True)
    form = forms.AnnouncementForm()
    if form.validate_on_submit():
        try:
            content.post_announcement(current_user, cohort_id, form.title.data, form.body.data)
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            flash(_("The announcement is posted and is being e-mailed to the learners."),
                  "success")
            return redirect(url_for("cohorts.announcements", cohort_id=cohort_id))
    return render_template("cohorts/announcements.html", access=access, cohort=access.cohort,
                           form=form, items=content.announcements(cohort_id),
                           action_form=EmptyForm()), _status(form)


@bp.post("/<int:cohort_id>/announcements/<int:announcement_id>/delete")
@login_required
def announcement_delete(cohort_id, announcement_id):
    if EmptyForm().validate_on_submit():
        content.delete_announcement(current_user, cohort_id, announcement_id)
        db.session.commit()
        flash(_("The announcement is deleted."), "success")
    return redirect(url_for("cohorts.announcements", cohort_id=cohort_id))


@bp.route("/<int:cohort_id>/materials", methods=["GET", "POST"])
@login_required
def materials(cohort_id):
    access = load_cohort(current_user, cohort_id, run=True)
    form = forms.MaterialForm()
    if form.validate_on_submit():
        try:
            content.add_material(current_user, cohort_id, form.file.data, form.title.data)
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
            form.file.errors = [*form.file.errors, *form.form_errors]
            form.form_errors.clear()
        else:
            db.session.commit()
            flash(_("The file is shared with the workshop."), "success")
            return redirect(url_for("cohorts.materials", cohort_id=cohort_id))
    return render_template("cohorts/materials.html", access=access, cohort=access.cohort,
                           form=form, items=content.materials(cohort_id),
                           action_form=EmptyForm(),
                           max_bytes=content.max_bytes()), _status(form)


@bp.post("/<int:cohort_id>/materials/<int:material_id>/delete")
@login_required
def material_delete(cohort_id, material_id):
    if EmptyForm().validate_on_submit():
        content.delete_material(current_user, cohort_id, material_id)
        db.session.commit()
        flash(_("The file is deleted."), "success")
    return redirect(url_for("cohorts.materials", cohort_id=cohort_id))

# --- certificates -----------------------------------------------------------------------

@bp.get("/<int:cohort_id>/certificates")
@login_required
def certificates_page(cohort_id):
    loaded = certificates.overview(current_user, cohort_id, current_language())
    access = load_cohort(current_user, cohort_id, run=True)
    return render_template("cohorts/certificates.html", access=access, cohort=access.cohort,
                           roster=loaded, form=EmptyForm(), revoke_form=forms.RevokeForm(
                               formdata=None))


@bp.post("/<int:cohort_id>/certificates/issue")
@login_required
def certificates_issue(cohort_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        job = certificates.issue_all(current_user, cohort_id)
    except ValidationError as err:
        db.session.rollback()
        flash(str(err.message), "info")
        return redirect(url_for("cohorts.certificates_page", cohort_id=cohort_id))
    db.session.commit()
    return redirect(url_for("main.job", job_id=job.id))


@bp.get("/<int:cohort_id>/certificates.zip")
@login_required
def certificates_zip(cohort_id):
    try:
        name, spool = certificates.zip_file(current_user, cohort_id)
    except ValidationError as err:
        db.session.rollback()
        flash(str(err.message), "info")
        return redirect(url_for("cohorts.certificates_page", cohort_id=cohort_id))
    db.session.commit()
    response = send_file(spool, mimetype="application/zip", as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:cohort_id>/certificates/<public_id>/revoke")
@login_required
def certificate_revoke(cohort_id, public_id):
    certificates.cohort_certificate(current_user, cohort_id, public_id)    # 404/403 first
    form = forms.RevokeForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("cohorts.certificates_page", cohort_id=cohort_id))
    try:
        certificates.revoke(current_user, cohort_id, public_id, form.reason.data)
    except ValidationError as err:
        db.session.rollback()
        flash(str(err.message), "error")
    else:
        db.session.commit()
        flash(_("The certificate is revoked."), "success")
    return redirect(url_for("cohorts.certificates_page", cohort_id=cohort_id))
