"""Joining a workshop, invitations, and the workshop page learners see."""

from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app.cohorts import (
    bp,
    codes,
    content,
    forms,
    roster,
    schedule,
    services,
)
from app.cohorts.routes._common import status as _status
from app.core import uploads
from app.core.errors import DomainError, ValidationError
from app.core.forms import EmptyForm, apply_errors
from app.core.i18n import current_language
from app.extensions import db

# --- joining -------------------------------------------------------------------------------

@bp.route("/join", methods=["GET", "POST"])
def join():
    form = forms.JoinForm()
    if form.validate_on_submit():
        code = codes.normalise(form.code.data)
        if code is None:
            form.code.errors = [_("A code has 8 letters and digits, like ABCD-EFGH.")]
        else:
            return redirect(url_for("cohorts.join_code", code=code))
    return render_template("cohorts/join.html", form=form), _status(form)


@bp.route("/join/<code>", methods=["GET", "POST"])
def join_code(code):
    canonical = codes.normalise(code)
    if canonical and canonical != code:
        return redirect(url_for("cohorts.join_code", code=canonical))
    state = services.join_state(current_user, code)
    form = EmptyForm()
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        if form.validate_on_submit():
            try:
                member = services.join(current_user, code)
            except DomainError as err:
                db.session.rollback()
                flash(str(err.message), "error")
                return redirect(url_for("cohorts.join_code", code=code))
            db.session.commit()
            flash(_("Welcome to the workshop “%(name)s”.", name=state.cohort.name), "success")
            return redirect(url_for("cohorts.page", cohort_id=member.cohort_id))
    return render_template("cohorts/join_code.html", state=state, cohort=state.cohort,
                           form=form)


@bp.get("/invitations/<token>")
def invitation(token):
    found = services.invitation_page(token)
    member = found.member
    form = forms.InviteRegisterForm(formdata=None, full_name=member.invited_name,
                                    organisation=member.organisation, country=member.country,
                                    locale=current_language())
    return render_template("cohorts/invitation.html", found=found, member=member,
                           cohort=found.cohort, token=token, form=form,
                           accept_form=EmptyForm())


@bp.post("/invitations/<token>/accept")
@login_required
def accept(token):
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("cohorts.invitation", token=token))
    member = services.accept_invitation(current_user, token)
    db.session.commit()
    flash(_("Welcome to the workshop."), "success")
    return redirect(url_for("cohorts.page", cohort_id=member.cohort_id))


@bp.post("/invitations/<token>/register")
def register(token):
    if current_user.is_authenticated:
        return redirect(url_for("cohorts.invitation", token=token))
    found = services.invitation_page(token)
    form = forms.InviteRegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_and_accept(
                token, full_name=form.full_name.data, organisation=form.organisation.data,
                country=form.country.data, locale=form.locale.data,
                password=form.password.data, consent=form.consent.data)
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Your account is ready and you are in the workshop. Welcome!"), "success")
            return redirect(url_for("cohorts.page", cohort_id=found.cohort.id))
    return render_template("cohorts/invitation.html", found=found, member=found.member,
                           cohort=found.cohort, token=token, form=form,
                           accept_form=EmptyForm()), 400

# --- the cohort page (learners and trainers) ------------------------------------------------

@bp.get("/<int:cohort_id>/")
@login_required
def page(cohort_id):
    view = roster.cohort_page(current_user, cohort_id, current_language())
    return render_template("cohorts/page.html", view=view, access=view.access,
                           cohort=view.access.cohort)


@bp.get("/<int:cohort_id>/calendar.ics")
@login_required
def calendar(cohort_id):
    name, data = schedule.calendar_file(current_user, cohort_id)
    return Response(data, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-cache"})


@bp.get("/<int:cohort_id>/materials/<int:material_id>")
@login_required
def material(cohort_id, material_id):
    row = content.material_for(current_user, cohort_id, material_id)
    return uploads.send(content.UPLOAD_AREA, row.stored_name, download_name=row.original_name,
                        mimetype=row.content_type)
