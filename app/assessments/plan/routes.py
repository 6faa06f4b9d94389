"""Plan pages, on the assessments blueprint (imported by app/assessments
register()). Views parse a form, call one service, and render or redirect;
every service checks access (round members see and export; the focal point and
the facilitator edit)."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.assessments import bp
from app.assessments.access import load_round
from app.assessments.plan import benchmark, defaults, exports, forms, learning, progress
from app.assessments.plan import services as plans
from app.assessments.plan.generate import completion_text
from app.assessments.services import framework_of
from app.core.errors import NotFound, ValidationError
from app.core.forms import EmptyForm, apply_errors
from app.core.i18n import country_name, current_language
from app.courses.catalogue import catalogue
from app.extensions import db

CONFLICT_STATUS = 409


def _edit_urls(round_id: int) -> dict:
    return {
        "actions": lambda ref: url_for("assessments.plan_action", round_id=round_id,
                                       action_id=ref),
        "needs": lambda ref: url_for("assessments.plan_need", round_id=round_id, need_id=ref),
        "indicators": lambda ref: url_for("assessments.plan_need", round_id=round_id,
                                          need_id=ref),
        "flows": lambda ref: url_for("assessments.plan_flow", round_id=round_id, flow_id=ref),
    }


@bp.get("/<int:round_id>/plan")
@login_required
def plan(round_id):
    access, view = plans.plan_page(current_user, round_id)
    return render_template("assessments/plan/plan.html", access=access, round=access.round,
                           view=view, form=EmptyForm(), approval_labels=defaults.APPROVAL_LABELS,
                           edit_urls=_edit_urls(round_id) if access.can_edit_plan else None)


@bp.post("/<int:round_id>/plan/generate")
@login_required
def plan_generate(round_id):
    if EmptyForm().validate_on_submit():
        existed = plans.plan_of(round_id) is not None
        plans.generate_plan(current_user, round_id)
        db.session.commit()
        flash(_("The plan is refreshed: actions were added for new gaps; what you edited is "
                "unchanged.") if existed else _("The plan is generated. Edit its actions, "
                                                "data needs, flows and texts."), "success")
    return redirect(url_for("assessments.plan", round_id=round_id))


@bp.post("/<int:round_id>/plan/export.<fmt>")
@login_required
def plan_export(round_id, fmt):
    if fmt not in exports.FORMATS:
        raise NotFound()
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("assessments.plan", round_id=round_id))
    result = exports.export(current_user, round_id, fmt)
    db.session.commit()
    return current_app.response_class(
        result.data, mimetype=result.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{result.filename}"',
                 "Cache-Control": "private, no-store"})


# --- editing ----------------------------------------------------------------------------

def _values(form, names) -> dict:
    return {name: form[name].data for name in names}


def _conflict(form, err: plans.StaleEdit) -> tuple[dict, int]:
    """After a conflict the form keeps the person's values and carries the current
    version, so saving again is a deliberate choice to replace the other save."""
    db.session.rollback()
    form.form_errors.append(str(err.message))
    form.version.data = str(err.current.version)
    return {"current": err.current}, CONFLICT_STATUS


def _version(form) -> int:
    try:
        return int(form.version.data or 0)
    except ValueError:
        return -1


SETTINGS_FIELDS = ("doc_version", "approval_status", "lead_agency", "language", "starts_on",
                   "next_review_on", "currency", *plans.SETTINGS_TEXTS)


@bp.route("/<int:round_id>/plan/settings", methods=["GET", "POST"])
@login_required
def plan_settings(round_id):
    access, plan = plans.editable(current_user, round_id)
    form = forms.PlanSettingsForm(obj=plan if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(plan.version)
    extra, status = {}, 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                plans.update_settings(current_user, round_id, _values(form, SETTINGS_FIELDS),
                                      _version(form))
            except plans.StaleEdit as err:
                extra, status = _conflict(form, err)
            except ValidationError as err:
                db.session.rollback()
                apply_errors(form, err)
                status = 400
            else:
                db.session.commit()
                flash(_("The plan is saved."), "success")
                return redirect(url_for("assessments.plan", round_id=round_id))
        else:
            status = 400
    return render_template("assessments/plan/settings.html", access=access, round=access.round,
                           plan=plan, form=form, currencies=defaults.CURRENCIES,
                           **extra), status


ACTION_FIELDS = ("domain", "gap", "action", "output", "lead_institution", "partners",
                 "starts_on", "ends_on", "cost", "currency", "funding", "indicator", "milestone",
                 "baseline_level", "target_level", "importance", "needs_dpia", "needs_dsa",
                 "needs_sdc", "protection_note", "risks", "status", "course_module")


def _action_form(access, plan, action=None):
    edition = framework_of(access.round).edition(plan.language)
    domains = [(d.slug, f"{d.number}. {d.title}") for d in edition.domains]
    modules = sorted({p for q in edition.questions for p in q.courses})
    titles = {p: learning.module_title(p, plan.language) or p for p in modules}
    form = forms.ActionForm(domains, [(p, titles[p]) for p in modules],
                            obj=action if request.method == "GET" else None)
    if request.method == "GET" and action is not None:
        form.version.data = str(action.version)
        for name in ("baseline_level", "target_level", "importance"):
            value = getattr(action, name)
            form[name].data = "" if value is None else str(value)
        form.cost.data = "" if action.cost is None else f"{action.cost}"
        form.lead_institution.data = action.lead_institution or ""
        form.funding.data = action.funding or ""
        form.course_module.data = action.course_module or ""
    elif request.method == "GET":
        form.currency.data = plan.currency
    return edition, form


@bp.route("/<int:round_id>/plan/actions/<int:action_id>", methods=["GET", "POST"])
@bp.route("/<int:round_id>/plan/actions/new", methods=["GET", "POST"],
          defaults={"action_id": None})
@login_required
def plan_action(round_id, action_id):
    access, plan = plans.editable(current_user, round_id)
    action = plans.action_of(plan, action_id) if action_id is not None else None
    edition, form = _action_form(access, plan, action)
    extra, status = {}, 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                if action is None:
                    saved = plans.add_action(current_user, round_id,
                                             _values(form, ACTION_FIELDS))
                else:
                    saved = plans.update_action(current_user, round_id, action_id,
                                                _values(form, ACTION_FIELDS), _version(form))
            except plans.StaleEdit as err:
                extra, status = _conflict(form, err)
            except ValidationError as err:
                db.session.rollback()
                apply_errors(form, err)
                status = 400
            else:
                code = saved.code
                db.session.commit()
                flash(_("Action %(code)s is saved.", code=code), "success")
                return redirect(url_for("assessments.plan", round_id=round_id,
                                        _anchor="plan-actions"))
        else:
            status = 400
    question = edition.question(action.question_id) if action and action.question_id else None
    return render_template("assessments/plan/action.html", access=access, round=access.round,
                           plan=plan, action=action, form=form, question=question,
                           edition=edition, currencies=defaults.CURRENCIES,
                           delete_form=EmptyForm(), labels=defaults, **extra), status


@bp.post("/<int:round_id>/plan/actions/<int:action_id>/delete")
@login_required
def plan_action_delete(round_id, action_id):
    if EmptyForm().validate_on_submit():
        try:
            plans.delete_action(current_user, round_id, action_id)
        except ValidationError as err:
            db.session.rollback()
            flash(str(err.message), "error")
            return redirect(url_for("assessments.plan_action", round_id=round_id,
                                    action_id=action_id))
        db.session.commit()
        flash(_("The action is deleted."), "success")
    return redirect(url_for("assessments.plan", round_id=round_id, _anchor="plan-actions"))


NEED_FIELDS = ("policy_question", "indicator", "definition", "disaggregation", "available",
               "source", "frequency", "responsible", "gap_type", "priority", "baseline",
               "target")
FLOW_FIELDS = ("from_institution", "to_institution", "data", "legal_basis", "dsa_status",
               "dpia_status", "security", "retention", "sdc_rules")


def _row_page(round_id, row_id, *, kind, form_class, fields, find, add, update, delete,
              template, anchor):
    """The edit page of a data need or a data flow (add when ``row_id`` is None)."""
    access, plan = plans.editable(current_user, round_id)
    row = find(plan, row_id) if row_id is not None else None
    form = form_class(obj=row if request.method == "GET" else None)
    if request.method == "GET" and row is not None:
        form.version.data = str(row.version)
        for name in fields:
            value = getattr(row, name)
            if value is None:
                form[name].data = ""
            elif isinstance(value, int) and not isinstance(value, bool):
                form[name].data = str(value)
    extra, status = {}, 200
    if request.method == "POST":
        if request.form.get("delete") and row is not None:
            if EmptyForm().validate_on_submit():
                code = row.code
                delete(current_user, round_id, row_id)
                db.session.commit()
                flash(_("%(code)s is deleted.", code=code), "success")
            return redirect(url_for("assessments.plan", round_id=round_id, _anchor=anchor))
        if form.validate_on_submit():
            try:
                saved = (add(current_user, round_id, _values(form, fields)) if row is None
                         else update(current_user, round_id, row_id, _values(form, fields),
                                     _version(form)))
            except plans.StaleEdit as err:
                extra, status = _conflict(form, err)
            except ValidationError as err:
                db.session.rollback()
                apply_errors(form, err)
                status = 400
            else:
                code = saved.code
                db.session.commit()
                flash(_("%(code)s is saved.", code=code), "success")
                return redirect(url_for("assessments.plan", round_id=round_id, _anchor=anchor))
        else:
            status = 400
    return render_template(template, access=access, round=access.round, plan=plan, row=row,
                           form=form, kind=kind, labels=defaults, **extra), status


@bp.route("/<int:round_id>/plan/needs/<int:need_id>", methods=["GET", "POST"])
@bp.route("/<int:round_id>/plan/needs/new", methods=["GET", "POST"],
          defaults={"need_id": None})
@login_required
def plan_need(round_id, need_id):
    return _row_page(round_id, need_id, kind="need", form_class=forms.NeedForm,
                     fields=NEED_FIELDS, find=plans.need_of, add=plans.add_need,
                     update=plans.update_need, delete=plans.delete_need,
                     template="assessments/plan/need.html", anchor="plan-needs")


@bp.route("/<int:round_id>/plan/flows/<int:flow_id>", methods=["GET", "POST"])
@bp.route("/<int:round_id>/plan/flows/new", methods=["GET", "POST"],
          defaults={"flow_id": None})
@login_required
def plan_flow(round_id, flow_id):
    return _row_page(round_id, flow_id, kind="flow", form_class=forms.FlowForm,
                     fields=FLOW_FIELDS, find=plans.flow_of, add=plans.add_flow,
                     update=plans.update_flow, delete=plans.delete_flow,
                     template="assessments/plan/flow.html", anchor="plan-flows")


# --- progress over rounds ---------------------------------------------------------------

@bp.get("/<int:round_id>/progress")
@login_required
def plan_comparison(round_id):
    page = progress.comparison(current_user, round_id, current_language())
    return render_template("assessments/plan/comparison.html", page=page, access=page.access,
                           round=page.access.round, status_labels_plan=defaults.STATUS_LABELS)


@bp.route("/<int:round_id>/next-round", methods=["GET", "POST"])
@login_required
def plan_next_round(round_id):
    access = load_round(current_user, round_id)
    access.require(access.can_start_next_round)
    form = forms.NextRoundForm()
    if request.method == "GET":
        form.label.data = progress.suggested_label(access.round)
    if form.validate_on_submit():
        try:
            new = progress.start_next_round(current_user, round_id, form.label.data)
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            new_id = new.id
            db.session.commit()
            flash(_("The new round is created as a draft, with the answers and agreed levels "
                    "of %(round)s carried over. The other members are invited again: send "
                    "their invitations from the Members page when the round is ready.",
                    round=access.round.label), "success")
            return redirect(url_for("assessments.round_overview", round_id=new_id))
    return render_template("assessments/plan/next_round.html", access=access,
                           round=access.round, form=form), 400 if form.errors else 200


# --- from gaps to learning ----------------------------------------------------------------

@bp.get("/<int:round_id>/plan/learning")
@login_required
def plan_learning(round_id):
    page = learning.learning_page(current_user, round_id, current_language())
    return render_template("assessments/plan/learning.html", page=page, access=page.access,
                           round=page.access.round, count_text=_count_text)


def _count_text(staff: int, done: int) -> str:
    return completion_text(staff, done, _)


@bp.route("/<int:round_id>/plan/cohort", methods=["GET", "POST"])
@login_required
def plan_cohort(round_id):
    from app.cohorts.forms import MODE_LABELS

    access = load_round(current_user, round_id)
    access.require(access.can_request_cohort)
    lang = current_language()
    recommended = learning.recommended_courses(access.round, lang)
    courses = [(slug, catalogue().get(slug).edition(lang).title) for slug in recommended]
    form = forms.CohortRequestForm(courses, list(MODE_LABELS.items()))
    chosen = request.args.get("course") or form.course.data
    if request.method == "GET":
        if chosen in recommended:
            form.course.data = chosen
        title = dict(courses).get(form.course.data or (courses[0][0] if courses else ""), "")
        form.name.data = f"{country_name(access.round.country)} {access.round.label} – {title}"
    if form.validate_on_submit():
        values = learning.CohortRequestValues(
            course_slug=form.course.data or "", name=form.name.data or "",
            starts_on=form.starts_on.data, ends_on=form.ends_on.data,
            mode=form.mode.data or "in_person", timezone=form.timezone.data or "UTC",
            trainer_email=form.trainer_email.data or "",
            course_module=request.args.get("module"))
        try:
            _request, cohort = learning.request_cohort(current_user, round_id, values)
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            if cohort is not None:
                flash(_("The workshop is created, with %(email)s as its lead trainer, who has "
                        "been told by e-mail.", email=values.trainer_email), "success")
            else:
                flash(_("%(email)s has no trainer account yet: an invitation is sent. The "
                        "workshop is created when they accept it with a trainer account.",
                        email=values.trainer_email), "success")
            return redirect(url_for("assessments.plan_learning", round_id=round_id))
    return render_template("assessments/plan/cohort.html", access=access, round=access.round,
                           form=form, has_courses=bool(courses)), 400 if form.errors else 200


@bp.get("/plan-invitations/<token>")
def plan_invitation(token):
    req = learning.invitation_from_token(token)
    course = catalogue().get(req.course_slug)
    return render_template("assessments/plan/invitation.html", req=req, token=token,
                           form=EmptyForm(), round=req.plan.round,
                           course_title=course.edition(current_language()).title
                           if course else req.course_slug)


@bp.route("/plan-invitations/<token>/accept", methods=["GET", "POST"])
@login_required
def plan_invitation_accept(token):
    if request.method == "GET" or not EmptyForm().validate_on_submit():
        return redirect(url_for("assessments.plan_invitation", token=token))
    cohort = learning.accept_invitation(current_user, token)
    cohort_id = cohort.id
    db.session.commit()
    flash(_("The workshop is created: you are its lead trainer."), "success")
    return redirect(url_for("cohorts.page", cohort_id=cohort_id))


# --- benchmark ------------------------------------------------------------------------------

@bp.route("/<int:round_id>/benchmark", methods=["GET", "POST"])
@login_required
def plan_benchmark(round_id):
    if request.method == "POST":
        if EmptyForm().validate_on_submit():
            opt_in = request.form.get("opt_in") == "1"
            benchmark.set_opt_in(current_user, round_id, opt_in)
            db.session.commit()
            flash(_("This round's scores now count in the anonymised benchmark.") if opt_in
                  else _("This round's scores no longer count in the benchmark."), "success")
        return redirect(url_for("assessments.plan_benchmark", round_id=round_id))
    page = benchmark.benchmark_page(current_user, round_id, current_language())
    return render_template("assessments/plan/benchmark.html", page=page, access=page.access,
                           round=page.access.round, form=EmptyForm(),
                           minimum=benchmark.MIN_COUNTRIES)

