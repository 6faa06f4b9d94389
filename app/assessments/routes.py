"""Self-assessment pages. Views parse forms, call one service, and render or
redirect; permission checks are in the services (through access.py)."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.assessments import answers, bp, consensus, figures, forms, imports, services
from app.assessments.access import load_round
from app.assessments.constants import (
    IN_REVIEW,
    INSTITUTION_LABELS,
    INSTITUTIONS,
    OPEN,
    ROUND_ROLE_LABELS,
    STATUS_LABELS,
    response_choices,
)
from app.assessments.frameworks import library
from app.assessments.rules import RawAnswer
from app.core import permissions, uploads
from app.core.errors import Conflict, ValidationError
from app.core.forms import EmptyForm, apply_errors
from app.core.i18n import country_name, current_language
from app.extensions import db

CONFLICT_STATUS = 409


@bp.context_processor
def _labels():
    return {"institution_labels": INSTITUTION_LABELS, "role_labels": ROUND_ROLE_LABELS,
            "status_labels": STATUS_LABELS, "country_name": country_name}


def _max_mb() -> str:
    return uploads.megabytes(current_app.config["ASSESSMENT_UPLOAD_MAX_BYTES"])


# --- my rounds, new round, invitations ---------------------------------------------------

@bp.get("/")
@login_required
def index():
    return render_template("assessments/index.html", rows=services.my_rounds(current_user),
                           invitations=services.pending_invitations(current_user),
                           can_create=permissions.can(current_user, "assessments.create"),
                           accept_form=EmptyForm(), token_for=services.invitation_token)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_round():
    permissions.require(current_user, "assessments.create")
    lang = current_language()
    frameworks = [(f.slug, f"{f.edition(lang).title} ({f.version})") for f in library()]
    form = forms.RoundForm(frameworks)
    if form.validate_on_submit():
        try:
            round_ = services.create_round(current_user, country=form.country.data,
                                           label=form.label.data,
                                           framework_slug=form.framework.data,
                                           institution=form.institution.data)
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            flash(_("The round is created. Invite the people who will take part, check which "
                    "institutions answer which domain, then open it for answers."), "success")
            return redirect(url_for("assessments.members", round_id=round_.id))
    return render_template("assessments/new.html", form=form,
                           has_frameworks=bool(frameworks)), 400 if form.errors else 200


@bp.get("/invitations/<token>")
def invitation(token):
    member = services.invitation_from_token(token)
    return render_template("assessments/invitation.html", member=member, token=token,
                           form=EmptyForm(), round=member.round)


@bp.route("/invitations/<token>/accept", methods=["GET", "POST"])
@login_required
def accept(token):
    # GET: back from signing in after the session expired; show the invitation again.
    if request.method == "GET" or not EmptyForm().validate_on_submit():
        return redirect(url_for("assessments.invitation", token=token))
    member = services.accept_invitation(current_user, token)
    db.session.commit()
    flash(_("Welcome to the round. You can now take part."), "success")
    return redirect(url_for("assessments.round_overview", round_id=member.round_id))


# --- one round -------------------------------------------------------------------------------

@bp.get("/<int:round_id>/")
@login_required
def round_overview(round_id):
    page = services.overview(current_user, round_id, current_language())
    return render_template("assessments/round.html", page=page, access=page.access,
                           round=page.access.round, status_form=EmptyForm())


@bp.post("/<int:round_id>/status")
@login_required
def change_status(round_id):
    target = request.form.get("to", "")
    if EmptyForm().validate_on_submit():
        services.change_status(current_user, round_id, target)
        db.session.commit()
        flash({OPEN: _("The round is open for answers."),
               IN_REVIEW: _("Answering is closed: the round is in review.")}.get(target, ""),
              "success")
    return redirect(url_for("assessments.round_overview", round_id=round_id))


@bp.route("/<int:round_id>/members", methods=["GET", "POST"])
@login_required
def members(round_id):
    access = load_round(current_user, round_id)
    form = forms.InviteForm()
    if request.method == "POST":
        access.require(access.can_manage)
        if form.validate_on_submit():
            try:
                services.invite(current_user, round_id, email=form.email.data,
                                role=form.role.data, institution=form.institution.data)
            except ValidationError as err:
                db.session.rollback()
                apply_errors(form, err)
            else:
                db.session.commit()
                flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
                return redirect(url_for("assessments.members", round_id=round_id))
    people = services.members(access)
    member_forms = {m.id: forms.MemberForm(prefix=f"m{m.id}", formdata=None, role=m.role,
                                           institution=m.institution) for m in people}
    return render_template("assessments/members.html", access=access, round=access.round,
                           people=people, form=form, member_forms=member_forms,
                           action_form=EmptyForm()), 400 if form.errors else 200


@bp.post("/<int:round_id>/members/<int:member_id>")
@login_required
def update_member(round_id, member_id):
    form = forms.MemberForm(prefix=f"m{member_id}")
    if form.validate_on_submit():
        try:
            services.update_member(current_user, round_id, member_id, role=form.role.data,
                                   institution=form.institution.data)
        except ValidationError as err:
            db.session.rollback()
            flash(str(err.message), "error")
        else:
            db.session.commit()
            flash(_("The member is updated."), "success")
    return redirect(url_for("assessments.members", round_id=round_id))


@bp.post("/<int:round_id>/members/<int:member_id>/<any(remove, resend):action>")
@login_required
def member_action(round_id, member_id, action):
    if EmptyForm().validate_on_submit():
        try:
            if action == "remove":
                services.remove_member(current_user, round_id, member_id)
            else:
                services.resend_invitation(current_user, round_id, member_id)
        except ValidationError as err:
            db.session.rollback()
            flash(str(err.message), "error")
        else:
            db.session.commit()
            flash(_("The member is removed.") if action == "remove"
                  else _("The invitation is sent again."), "success")
    return redirect(url_for("assessments.members", round_id=round_id))


@bp.route("/<int:round_id>/routing", methods=["GET", "POST"])
@login_required
def routing(round_id):
    access = load_round(current_user, round_id)
    access.require(access.can_manage)
    edition = services.framework_of(access.round).edition(current_language())
    form = EmptyForm()
    if form.validate_on_submit():
        chosen: dict[str, list[str]] = {d.slug: [] for d in edition.domains}
        for value in request.form.getlist("route"):
            domain, _sep, institution = value.partition(":")
            chosen.setdefault(domain, []).append(institution)
        services.set_routing(current_user, round_id, chosen)
        db.session.commit()
        flash(_("Routing saved."), "success")
        return redirect(url_for("assessments.round_overview", round_id=round_id))
    return render_template("assessments/routing.html", access=access, round=access.round,
                           edition=edition, institutions=INSTITUTIONS, form=form)


# --- answering -----------------------------------------------------------------------------

def _answer_data(page: answers.DomainAnswers) -> dict:
    data = {}
    for item in page.items:
        k, v = forms.key(item.question.id), item.values
        data.update({f"{k}__choice": v.choice, f"{k}__links": "\n".join(v.links),
                     f"{k}__note": v.note, f"{k}__comment": v.comment,
                     f"{k}__target_level": "" if v.target_level is None else str(v.target_level),
                     f"{k}__target_year": "" if v.target_year is None else str(v.target_year),
                     f"{k}__version": str(item.version), f"{k}__base": v.fingerprint()})
    return data


def _int(value) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return -1


def _submissions(page: answers.DomainAnswers, form) -> dict[str, answers.Submission]:
    result = {}
    for item in page.items:
        k = forms.key(item.question.id)
        result[item.question.id] = answers.Submission(
            raw=RawAnswer(choice=form[f"{k}__choice"].data or "",
                          links=form[f"{k}__links"].data or "",
                          note=form[f"{k}__note"].data or "",
                          comment=form[f"{k}__comment"].data or "",
                          target_level=form[f"{k}__target_level"].data or "",
                          target_year=form[f"{k}__target_year"].data or ""),
            version=_int(form[f"{k}__version"].data), base=form[f"{k}__base"].data or "",
            resolution=request.form.get(f"{k}__resolution") or None,
            uploads=[f for f in request.files.getlist(f"{k}__files") if uploads.has_file(f)],
            remove={_int(v) for v in request.form.getlist(f"{k}__remove")})
    return result


def _field_errors(form, errors: dict[str, dict[str, str]]) -> None:
    for qid, problems in errors.items():
        for name, message in problems.items():
            field = form[f"{forms.key(qid)}__{name}"]
            field.errors = [*field.errors, message]


def _save_domain_form(form, save) -> tuple[bool, dict, int]:
    """Run the save of a domain form (answers or consensus) and commit it, or
    keep nothing: returns (saved, conflicts by question id, HTTP status). After
    a conflict the form carries the current version, so that the next submit
    is a deliberate choice (keep theirs, or replace with mine)."""
    if not form.validate_on_submit():
        return False, {}, 400
    try:
        found = save()
    except answers.AnswerErrors as err:
        db.session.rollback()
        form.form_errors.append(str(err.message))
        _field_errors(form, err.errors)
        return False, {}, 400
    except Conflict as err:
        db.session.rollback()
        form.form_errors.append(str(err.message))
        return False, {}, CONFLICT_STATUS
    if found:
        db.session.rollback()
        for c in found:
            k = forms.key(c.question)
            form[f"{k}__version"].data = str(c.version)
            form[f"{k}__base"].data = c.fingerprint
        return False, {c.question: c for c in found}, CONFLICT_STATUS
    db.session.commit()
    return True, {}, 200


@bp.route("/<int:round_id>/answer/<domain>", methods=["GET", "POST"])
@login_required
def answer(round_id, domain):
    lang = current_language()
    page = answers.domain_answers(current_user, round_id, domain, lang)
    form = forms.answer_form(page.domain.questions, response_choices(page.edition.scale_labels),
                             max_mb=_max_mb(), data=_answer_data(page))
    conflicts, status = {}, 200
    if request.method == "POST":
        saved, conflicts, status = _save_domain_form(form, lambda: answers.save_domain(
            current_user, round_id, domain, _submissions(page, form)))
        if saved:
            flash(_("Your answers are saved."), "success")
            return redirect(url_for("assessments.answer", round_id=round_id, domain=domain))
    return render_template("assessments/answer.html", page=page, access=page.access,
                           round=page.access.round, form=form, conflicts=conflicts,
                           next_domain=_next_domain(page), key=forms.key,
                           choice_labels=dict(response_choices(page.edition.scale_labels)),
                           max_mb=_max_mb()), status


def _next_domain(page: answers.DomainAnswers) -> str | None:
    mine = page.access.round.domains_for(page.institution)
    slugs = [d.slug for d in page.edition.domains if d.slug in mine]
    i = slugs.index(page.domain.slug) if page.domain.slug in slugs else -1
    return slugs[i + 1] if 0 <= i < len(slugs) - 1 else None


@bp.get("/<int:round_id>/files/<int:file_id>")
@login_required
def evidence_file(round_id, file_id):
    row = answers.evidence_file(current_user, round_id, file_id)
    return uploads.send("assessments", row.stored_name, download_name=row.original_name,
                        mimetype=row.content_type)


# --- the offline workbook -------------------------------------------------------------------

@bp.get("/<int:round_id>/workbook.xlsx")
@login_required
def workbook_download(round_id):
    name, data = imports.download(current_user, round_id, current_language())
    response = current_app.response_class(
        data, mimetype=uploads.TYPES[".xlsx"].mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"',
                 "Cache-Control": "private, no-store"})
    return response


@bp.route("/<int:round_id>/workbook/upload", methods=["GET", "POST"])
@login_required
def workbook_upload(round_id):
    access = imports.uploader(current_user, round_id)
    form = forms.WorkbookUploadForm()
    problems, status = [], 200
    if form.validate_on_submit():
        try:
            imported = imports.upload(current_user, round_id, form.workbook.data)
        except imports.WorkbookRejected as err:
            db.session.rollback()
            form.form_errors.append(str(err.message))
            problems, status = err.problems, 400
        except ValidationError as err:
            db.session.rollback()
            apply_errors(form, err)
            form.workbook.errors = [*form.workbook.errors, *form.form_errors]
            form.form_errors.clear()
            status = 400
        else:
            db.session.commit()
            return redirect(url_for("assessments.workbook_preview", round_id=round_id,
                                    import_id=imported.id))
    elif form.errors:
        status = 400
    return render_template("assessments/workbook_upload.html", access=access,
                           round=access.round, form=form, problems=problems,
                           max_mb=_max_mb()), status


@bp.get("/<int:round_id>/workbook/imports/<int:import_id>")
@login_required
def workbook_preview(round_id, import_id):
    preview = imports.preview(current_user, round_id, import_id, current_language())
    return render_template("assessments/workbook_preview.html", preview=preview,
                           access=preview.access, round=preview.access.round, form=EmptyForm(),
                           choice_labels=dict(response_choices(preview.edition.scale_labels)))


@bp.post("/<int:round_id>/workbook/imports/<int:import_id>/<any(confirm, discard):action>")
@login_required
def workbook_decide(round_id, import_id, action):
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("assessments.workbook_preview", round_id=round_id,
                                import_id=import_id))
    if action == "discard":
        imports.discard(current_user, round_id, import_id)
        db.session.commit()
        flash(_("The upload is discarded: nothing was saved."), "success")
        return redirect(url_for("assessments.round_overview", round_id=round_id))
    try:
        saved = imports.confirm(current_user, round_id, import_id,
                                fingerprint=request.form.get("preview", ""),
                                use_workbook=set(request.form.getlist("use_workbook")))
    except imports.PreviewOutdated as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return redirect(url_for("assessments.workbook_preview", round_id=round_id,
                                import_id=import_id))
    db.session.commit()
    flash(_("The workbook is imported: %(n)d answer(s) saved.", n=saved), "success")
    return redirect(url_for("assessments.round_overview", round_id=round_id))


# --- consensus, validation, results ----------------------------------------------------------

@bp.get("/<int:round_id>/review/")
@login_required
def review_index(round_id):
    access, edition, states = consensus.review_overview(current_user, round_id,
                                                        current_language())
    return render_template("assessments/review_index.html", access=access, round=access.round,
                           edition=edition, states=states)


def _consensus_data(review: consensus.Review) -> dict:
    data = {}
    for item in review.items:
        k = forms.key(item.question.id)
        data.update({f"{k}__choice": item.choice, f"{k}__justification": item.justification,
                     f"{k}__version": str(item.version), f"{k}__base": item.fingerprint})
    return data


def _decisions(page: consensus.Review, form) -> dict[str, consensus.Decision]:
    result = {}
    for item in page.items:
        k = forms.key(item.question.id)
        result[item.question.id] = consensus.Decision(
            choice=form[f"{k}__choice"].data or "",
            justification=form[f"{k}__justification"].data or "",
            version=_int(form[f"{k}__version"].data), base=form[f"{k}__base"].data or "",
            resolution=request.form.get(f"{k}__resolution") or None)
    return result


@bp.route("/<int:round_id>/review/<domain>", methods=["GET", "POST"])
@login_required
def review(round_id, domain):
    lang = current_language()
    page = consensus.review_domain(current_user, round_id, domain, lang)
    labels = response_choices(page.edition.scale_labels)
    form = forms.consensus_form(page.domain.questions, labels, data=_consensus_data(page))
    conflicts, status = {}, 200
    if request.method == "POST":
        saved, conflicts, status = _save_domain_form(form, lambda: consensus.save_consensus(
            current_user, round_id, domain, _decisions(page, form)))
        if saved:
            flash(_("The consensus levels are saved."), "success")
            return redirect(url_for("assessments.review", round_id=round_id, domain=domain))
    return render_template("assessments/review.html", page=page, access=page.access,
                           round=page.access.round, form=form, conflicts=conflicts,
                           key=forms.key, choice_labels=dict(labels)), status


@bp.route("/<int:round_id>/validate", methods=["GET", "POST"])
@login_required
def validate(round_id):
    page = services.overview(current_user, round_id, current_language())
    page.access.require_writable()
    page.access.require(page.access.can_validate)
    form = EmptyForm()
    if form.validate_on_submit():
        services.validate_round(current_user, round_id)
        db.session.commit()
        flash(_("The round is validated. Its answers and scores are now frozen."), "success")
        return redirect(url_for("assessments.results", round_id=round_id))
    return render_template("assessments/validate.html", page=page, access=page.access,
                           round=page.access.round, form=form)


@bp.get("/<int:round_id>/results")
@login_required
def results(round_id):
    page = services.results(current_user, round_id, current_language())
    radar, bars = figures.domain_charts(page.edition, page.summary, page.access.round)
    return render_template("assessments/results.html", page=page, access=page.access,
                           round=page.access.round, radar=radar, bars=bars)
