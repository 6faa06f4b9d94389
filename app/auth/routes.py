"""Account pages: sign-up, sign-in, password reset, profile and personal data."""

import json

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp, services
from app.auth.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    EmailOnlyForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from app.core import privacy
from app.core.errors import DomainError, ValidationError
from app.core.forms import EmptyForm, apply_errors
from app.core.i18n import current_language
from app.core.security import safe_next
from app.extensions import db, limiter


def _limit(setting):
    """Rate-limit the POSTs of a form with the limit named in the configuration."""
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"])


@bp.route("/auth/register", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = form.locale.data or current_language()
    if form.validate_on_submit():
        try:
            services.register(email=form.email.data, full_name=form.full_name.data,
                              organisation=form.organisation.data, country=form.country.data,
                              locale=form.locale.data, password=form.password.data,
                              consent=form.consent.data)
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            return redirect(url_for("auth.check_email"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.get("/auth/check-email")
def check_email():
    return render_template("auth/check_email.html")


@bp.get("/auth/verify/<token>")
def verify(token):
    try:
        user = services.verify_email(token)
    except ValidationError as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return redirect(url_for("auth.login"))
    db.session.commit()
    flash(_("Your e-mail address is confirmed. You can now sign in."), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.login"))


@bp.route("/auth/login", methods=["GET", "POST"])
@_limit("RATELIMIT_LOGIN")
def login():
    next_url = safe_next(request.values.get("next"), url_for("main.home"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except ValidationError as err:
            db.session.commit()   # keep the audit record of the failure
            form.form_errors.append(str(err.message))
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(next_url)
    return render_template("auth/login.html", form=form, next_url=request.values.get("next")), (
        400 if request.method == "POST" else 200)


@bp.post("/auth/logout")
def logout():
    form = EmptyForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        logout_user()
        flash(_("You are signed out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/auth/forgot", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET")
def forgot():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account uses that address, we have sent it a link to reset the "
                "password. The link works for one hour."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET")
def reset(token):
    try:
        services.user_for_reset_token(token)
    except ValidationError as err:
        flash(str(err.message), "error")
        return redirect(url_for("auth.forgot"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            logout_user()
            flash(_("Your password has been changed. Sign in with the new password."),
                  "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200


@bp.route("/auth/resend", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET")
def resend():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        if user is not None and user.is_active and not user.is_verified:
            services.send_verification(user)
        flash(_("If that address has an account waiting for confirmation, we have sent "
                "it a new link."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/resend.html", form=form), 400 if form.errors else 200


# --- my account ----------------------------------------------------------------------

@bp.route("/account/", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, full_name=form.full_name.data,
                                    organisation=form.organisation.data,
                                    country=form.country.data, locale=form.locale.data)
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form,
                           password_form=ChangePasswordForm(formdata=None)), (
        400 if form.errors else 200)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@_limit("RATELIMIT_LOGIN")      # it checks the current password: no guessing it either
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            # The real object, not the proxy: login_user() stores what it is given.
            user = services.change_password(current_user._get_current_object(),
                                            form.current_password.data, form.password.data)
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            login_user(user)   # the session token changed: keep this browser signed in
            flash(_("Your password has been changed. Other devices have been signed out."),
                  "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


@bp.get("/account/data")
@login_required
def my_data():
    return render_template("auth/my_data.html", sources=privacy.sources(),
                           export_form=EmptyForm(), delete_form=DeleteAccountForm(formdata=None))


@bp.post("/account/data/export")
@login_required
def export_data():
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.my_data"))
    data = services.export_personal_data(current_user)
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="my-data.json"',
        "Cache-Control": "no-store"})


@bp.post("/account/delete")
@login_required
@_limit("RATELIMIT_LOGIN")      # it checks the password too
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, form.password.data)
        except DomainError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            logout_user()
            flash(_("Your account and personal data have been deleted."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/my_data.html", sources=privacy.sources(),
                           export_form=EmptyForm(), delete_form=form), 400
