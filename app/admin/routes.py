from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp
from app.admin import services as admin_services
from app.admin.forms import ROLE_LABELS, RoleForm
from app.auth import services as accounts
from app.core import permissions
from app.core.errors import DomainError
from app.core.forms import EmptyForm
from app.extensions import db, login_manager


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can(current_user, "admin.access"):
        abort(403)


def _page_arg() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.get("/")
def users():
    role = request.args.get("role") or None
    result = accounts.search_users(current_user, query=request.args.get("q", "")[:200],
                                   role=role, page=_page_arg())
    return render_template("admin/users.html", result=result, role=role,
                           q=request.args.get("q", ""), role_labels=ROLE_LABELS)


@bp.get("/users/<int:user_id>")
def user(user_id):
    subject = accounts.get_user(user_id)
    return render_template("admin/user.html", subject=subject,
                           role_form=RoleForm(role=subject.role), toggle_form=EmptyForm(),
                           role_labels=ROLE_LABELS)


@bp.post("/users/<int:user_id>/role")
def change_role(user_id):
    subject = accounts.get_user(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a role from the list."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    try:
        accounts.set_role(current_user, subject, form.role.data)
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "error")
    else:
        db.session.commit()
        flash(_("The role of %(name)s is now: %(role)s.", name=subject.full_name,
                role=ROLE_LABELS[subject.role]), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/active")
def toggle_active(user_id):
    subject = accounts.get_user(user_id)
    form = EmptyForm()
    if form.validate_on_submit():
        make_active = request.form.get("active") == "1"
        try:
            accounts.set_active(current_user, subject, make_active)
        except DomainError as err:
            db.session.rollback()
            flash(str(err.message), "error")
        else:
            db.session.commit()
            flash(_("The account is active again.") if make_active
                  else _("The account is deactivated and signed out everywhere."), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.get("/audit")
def audit():
    result = admin_services.audit_log(current_user, action=request.args.get("action") or None,
                                      page=_page_arg())
    return render_template("admin/audit.html", result=result,
                           action=request.args.get("action", ""))
