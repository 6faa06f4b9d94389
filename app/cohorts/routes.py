"""Workshop pages. Views parse forms, call one service, and render or redirect;
permission checks are in the services (through access.py)."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app.cohorts import (
    aggregates,
    bp,
    certificates,
    codes,
    content,
    dashboard,
    exports,
    feedback,
    figures,
    formatting,
    forms,
    imports,
    programme,
    report,
    roster,
    schedule,
    services,
    sheet,
    times,
)
from app.cohorts.access import load_cohort
from app.cohorts.models import MARKS
from app.core import permissions, uploads
from app.core.errors import DomainError, ValidationError
from app.core.forms import EmptyForm, apply_errors
from app.core.i18n import country_name, current_language
from app.courses.catalogue import catalogue
from app.extensions import db


@bp.context_processor
def _helpers():
    return {"mode_labels": forms.MODE_LABELS, "mark_labels": forms.MARK_LABELS,
            "when": formatting.session_when, "local_date": formatting.local_date,
            "local_time": formatting.local_time,
            "local_datetime": formatting.local_datetime, "day": formatting.day,
            "grouped_code": codes.grouped, "country_name": country_name,
            "place_of": schedule.place_of, "link_of": schedule.link_of,
            "megabytes": uploads.megabytes, "utc_offset": times.utc_offset_label,
            "file_size": formatting.file_size, "num": formatting.number,
            "pct": formatting.percent, "plain_text": formatting.plain_text,
            "state_labels": forms.STATE_LABELS, "risk_labels": forms.RISK_LABELS,
            "flag_labels": forms.FLAG_LABELS, "sex_labels": forms.SEX_LABELS,
            "feedback_labels": feedback.LABELS}


def _course_choices():
    lang = current_language()
    return [(c.slug, c.edition(lang).title) for c in catalogue()]


def _status(form) -> int:
    return 400 if form.errors or form.form_errors else 200


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
