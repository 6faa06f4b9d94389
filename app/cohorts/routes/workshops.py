"""Listing and creating workshops; settings, join code and roster (trainers)."""

from flask import (
    current_app,
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
    imports,
    roster,
    services,
    times,
)
from app.cohorts.access import load_cohort
from app.cohorts.routes._common import course_choices as _course_choices
from app.cohorts.routes._common import status as _status
from app.core import permissions
from app.core.errors import ValidationError
from app.core.forms import EmptyForm, apply_errors
from app.core.i18n import current_language
from app.courses.catalogue import catalogue
from app.extensions import db

# --- lists, creation -------------------------------------------------------------------

@bp.get("/")
@login_required
def index():
    return render_template("cohorts/index.html", leading=services.led_by(current_user),
                           mine=services.my_cohorts(current_user),
                           invitations=services.pending_invitations(current_user),
                           can_create=permissions.can(current_user, "cohorts.create"),
                           token_for=services.invitation_token)


def _values(form) -> services.CohortValues:
    return services.CohortValues(
        course_slug=form.course.data, name=form.name.data, starts_on=form.starts_on.data,
        ends_on=form.ends_on.data, mode=form.mode.data, venue=form.venue.data,
        meeting_url=form.meeting_url.data, timezone=form.timezone.data,
        capacity=form.capacity.data, min_attendance=form.min_attendance.data,
        co_trainers=services.parse_emails(form.co_trainers.data),
        pretest_quiz=form.pretest_quiz.data or None)


def _pretest_choices(course_slug: str | None) -> list[tuple[str, str]]:
    """The module knowledge checks of the cohort's course (the final exam and "no
    pre-test" are always offered)."""
    course = catalogue().get(course_slug) if course_slug else None
    if course is None:
        return []
    edition = course.edition(current_language())
    return [(m.slug, _("Knowledge check: %(module)s", module=m.title))
            for m in edition.modules if m.quiz is not None]


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    permissions.require(current_user, "cohorts.create")
    form = forms.CohortForm(_course_choices())
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(current_user, _values(form))
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            flash(_("The workshop is created. Add its sessions, then invite the learners or "
                    "give them the code."), "success")
            return redirect(url_for("cohorts.manage", cohort_id=cohort.id))
    return render_template("cohorts/edit.html", form=form, cohort=None,
                           zones=times.zone_names()), _status(form)

# --- trainers: overview and settings -------------------------------------------------------

@bp.get("/<int:cohort_id>/manage")
@login_required
def manage(cohort_id):
    access = load_cohort(current_user, cohort_id, run=True)
    summary = services.summaries([cohort_id])[0]
    return render_template("cohorts/manage.html", access=access, cohort=access.cohort,
                           summary=summary, invite_link=services.invite_link(access.cohort),
                           course=catalogue().get(access.cohort.course_slug),
                           sessions=roster.sessions_of(cohort_id), now=services.utcnow(),
                           form=EmptyForm())


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@login_required
def edit(cohort_id):
    access = load_cohort(current_user, cohort_id, run=True)
    pretests = _pretest_choices(access.cohort.course_slug)
    form = forms.CohortForm(_course_choices(), pretests=pretests)
    if request.method == "GET":
        values = services.values_of(access.cohort)
        form = forms.CohortForm(_course_choices(), formdata=None, pretests=pretests,
                                pretest_quiz=values.pretest_quiz or "", name=values.name,
                                course=values.course_slug, starts_on=values.starts_on,
                                ends_on=values.ends_on, mode=values.mode, venue=values.venue,
                                meeting_url=values.meeting_url, timezone=values.timezone,
                                capacity=values.capacity, min_attendance=values.min_attendance,
                                co_trainers="\n".join(values.co_trainers))
    elif form.validate_on_submit():
        try:
            services.update_cohort(current_user, cohort_id, _values(form))
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            flash(_("The workshop is saved."), "success")
            return redirect(url_for("cohorts.manage", cohort_id=cohort_id))
    return render_template("cohorts/edit.html", form=form, cohort=access.cohort, access=access,
                           zones=times.zone_names()), _status(form)


@bp.post("/<int:cohort_id>/code/<any(rotate, enable, disable):action>")
@login_required
def code_action(cohort_id, action):
    if EmptyForm().validate_on_submit():
        if action == "rotate":
            services.rotate_code(current_user, cohort_id)
            message = _("A new code is ready; the old code and link no longer work.")
        else:
            services.set_joining(current_user, cohort_id, action == "enable")
            message = (_("Learners can join with the code again.") if action == "enable"
                       else _("Joining with the code is closed."))
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("cohorts.manage", cohort_id=cohort_id))

# --- roster ---------------------------------------------------------------------------------

@bp.get("/<int:cohort_id>/roster")
@login_required
def roster_page(cohort_id):
    access = load_cohort(current_user, cohort_id, run=True)
    loaded = roster.load(access.cohort, statuses=("active", "invited", "removed"),
                         language=current_language())
    groups = {s: [r for r in loaded.rows if r.member.status == s]
              for s in ("active", "invited", "removed")}
    return render_template("cohorts/roster.html", access=access, cohort=access.cohort,
                           roster=loaded, groups=groups, form=EmptyForm())


@bp.post("/<int:cohort_id>/roster/<int:member_id>/<any(remove, resend):action>")
@login_required
def member_action(cohort_id, member_id, action):
    if EmptyForm().validate_on_submit():
        try:
            if action == "remove":
                services.remove_member(current_user, cohort_id, member_id)
            else:
                services.resend_invitation(current_user, cohort_id, member_id)
        except ValidationError as err:
            db.session.rollback()
            flash(str(err.message), "error")
        else:
            db.session.commit()
            flash(_("The learner is removed from the workshop; their history is kept.")
                  if action == "remove" else _("The invitation is sent again."), "success")
    return redirect(url_for("cohorts.roster_page", cohort_id=cohort_id))


@bp.route("/<int:cohort_id>/roster/import", methods=["GET", "POST"])
@login_required
def roster_import(cohort_id):
    access = load_cohort(current_user, cohort_id, run=True)
    form = forms.RosterUploadForm()
    problems, notes = [], []
    if form.validate_on_submit():
        try:
            pending = imports.upload(current_user, cohort_id, form.file.data)
        except imports.RosterRejected as err:
            db.session.rollback()
            problems, notes = err.problems, err.notes
        else:
            db.session.commit()
            return redirect(url_for("cohorts.roster_preview", cohort_id=cohort_id,
                                    token=pending.token))
    status = 400 if problems or form.errors else 200
    return render_template("cohorts/roster_import.html", access=access, cohort=access.cohort,
                           form=form, problems=problems, notes=notes,
                           max_rows=current_app.config["COHORT_CSV_MAX_ROWS"]), status


@bp.get("/<int:cohort_id>/roster/import/<token>")
@login_required
def roster_preview(cohort_id, token):
    pending = imports.pending_import(current_user, cohort_id, token)
    access = load_cohort(current_user, cohort_id, run=True)
    new_rows = imports.count(pending, "new")
    return render_template("cohorts/roster_preview.html", access=access, cohort=access.cohort,
                           pending=pending, count=lambda s: imports.count(pending, s),
                           seats_left=imports.seats_left(access.cohort), new_rows=new_rows,
                           form=EmptyForm())


@bp.post("/<int:cohort_id>/roster/import/<token>/<any(confirm, discard):action>")
@login_required
def roster_decide(cohort_id, token, action):
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("cohorts.roster_preview", cohort_id=cohort_id, token=token))
    if action == "discard":
        imports.discard(current_user, cohort_id, token)
        db.session.commit()
        flash(_("The upload is discarded: nothing was imported."), "info")
        return redirect(url_for("cohorts.roster_page", cohort_id=cohort_id))
    created = imports.confirm(current_user, cohort_id, token)
    db.session.commit()
    if created:
        flash(_("%(n)d invitation(s) created; the e-mails are being sent.", n=len(created)),
              "success")
    else:
        flash(_("Nothing new to import: everyone in the file is already on the roster."),
              "info")
    return redirect(url_for("cohorts.roster_page", cohort_id=cohort_id))
