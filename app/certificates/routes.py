"""Public verification, the issuer's keys and profile, the learner's
certificates, and certificate management."""

import json

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.certificates import bp, ids, services
from app.certificates.forms import NameCorrectionForm, RevokeForm, VerifyForm
from app.certificates.keys import load_keys
from app.core.errors import DomainError
from app.core.forms import EmptyForm, apply_errors
from app.courses import services as courses
from app.courses.catalogue import course_or_404
from app.extensions import db, limiter

MAX_VERIFY_UPLOAD = 5 * 1024 * 1024


def _verify_limit():
    return current_app.config["RATELIMIT_VERIFY"]


# --- public -------------------------------------------------------------------------

@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(_verify_limit)
def verify_form():
    form = VerifyForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        if upload and upload.filename:
            data = upload.read(MAX_VERIFY_UPLOAD + 1)
            if len(data) > MAX_VERIFY_UPLOAD:
                form.file.errors = [_("The file is too large (5 MB at most).")]
            elif data.lstrip()[:4] == b"%PDF":
                result = services.verify_pdf(data)
            else:
                result = services.verify_token(data.decode("ascii", "replace"))
        elif form.identifier.data:
            cert = services.find(form.identifier.data)
            if cert is None:
                form.identifier.errors = [_("No certificate has this ID. Check the characters "
                                            "against the paper: they are grouped by four.")]
            else:
                return redirect(url_for("certificates.verify_page",
                                        public_id=ids.grouped(cert.public_id)))
        else:
            form.form_errors.append(_("Enter a certificate ID or choose a file."))
    status = 400 if request.method == "POST" and (form.errors or form.form_errors) else 200
    return render_template("certificates/verify_form.html", form=form, result=result), status


@bp.get("/verify/<public_id>")
@limiter.limit(_verify_limit)
def verify_page(public_id):
    if public_id.endswith(".json"):
        return verify_json(public_id[:-5])
    cert = services.find_or_404(public_id)
    return render_template("certificates/verify.html", cert=cert,
                           record=services.public_record(cert))


@bp.get("/verify/<public_id>.json")
@limiter.limit(_verify_limit)
def verify_json(public_id):
    cert = services.find(public_id)
    if cert is None:
        return jsonify({"error": "not found", "status": 404}), 404
    response = jsonify(services.public_record(cert))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/.well-known/jwks.json")
def jwks():
    response = jsonify(load_keys().public_jwks())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/issuer")
def issuer():
    profile = {"@context": ["https://www.w3.org/ns/credentials/v2",
                            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
               **services.issuer_profile()}
    return jsonify(profile)


# --- the learner's certificates ----------------------------------------------------

@bp.get("/certificates/")
@login_required
def mine():
    certificates = services.my_certificates(current_user)
    return render_template("certificates/mine.html", certificates=certificates,
                           status=services.status, verify_url=services.verify_url,
                           form=NameCorrectionForm(formdata=None))


@bp.get("/certificates/<public_id>.pdf")
@login_required
def download_pdf(public_id):
    cert = services.owned_or_managed(current_user, public_id)
    response = send_file(services.pdf_file(cert), mimetype="application/pdf",
                         download_name=f"certificate-{ids.grouped(cert.public_id)}.pdf",
                         etag=cert.pdf_sha256, last_modified=cert.issued_at, conditional=True,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/certificates/<public_id>/credential.<fmt>")
@login_required
def download_credential(public_id, fmt):
    cert = services.owned_or_managed(current_user, public_id)
    name = f"certificate-{ids.grouped(cert.public_id)}"
    if fmt == "jwt":
        body, mimetype = cert.credential_jwt, "application/jwt"
    elif fmt == "json":
        body = json.dumps(services.credential_json(cert), indent=2, ensure_ascii=False)
        mimetype = "application/json"
    else:
        abort(404)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@bp.post("/certificates/<public_id>/correction")
@login_required
def request_correction(public_id):
    cert = services.owned_or_managed(current_user, public_id)
    form = NameCorrectionForm()
    if form.validate_on_submit():
        try:
            services.request_name_correction(current_user, cert, form.name.data,
                                             form.reason.data)
        except DomainError as err:
            db.session.rollback()
            flash(str(err.message), "error")
        else:
            db.session.commit()
            flash(_("Your request has been sent. You will find the corrected certificate "
                    "here once an administrator approves it."), "success")
    else:
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("certificates.mine"))


@bp.post("/certificates/issue/<course>")
@login_required
def issue_mine(course):
    """For a completed course whose certificate could not be issued at the time."""
    course = course_or_404(course)
    enrolment = courses.get_enrolment(current_user, course.slug, with_progress=False)
    if enrolment is None or not EmptyForm().validate_on_submit():
        abort(400)
    cert = services.issue(enrolment, course, actor=current_user)
    db.session.commit()
    if cert is None:
        reasons = services.eligibility(enrolment, course).reasons
        flash(_("No certificate yet: %(reasons)s.", reasons="; ".join(reasons)), "warning")
        return redirect(url_for("courses.overview", course=course.slug))
    flash(_("Your certificate is ready."), "success")
    return redirect(url_for("certificates.mine"))


# --- management (admins; cohort trainers for their cohorts) ------------------------

@bp.get("/certificates/manage")
@login_required
def manage():
    query = request.args.get("q", "")[:100]
    return render_template("certificates/manage.html", q=query,
                           certificates=services.search(current_user, query),
                           corrections=services.pending_corrections(current_user),
                           status=services.status, decide_form=EmptyForm())


@bp.route("/certificates/manage/<public_id>", methods=["GET", "POST"])
@login_required
def manage_one(public_id):
    cert = services.find_or_404(public_id)
    if not services.can_manage(current_user, cert):
        abort(403)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke(current_user, cert, form.reason.data)
        except DomainError as err:
            db.session.rollback()
            apply_errors(form, err)
        else:
            db.session.commit()
            flash(_("The certificate is revoked."), "success")
            return redirect(url_for("certificates.manage_one", public_id=public_id))
    return render_template("certificates/manage_one.html", cert=cert, form=form,
                           record=services.public_record(cert)), (400 if form.errors else 200)


@bp.post("/certificates/manage/corrections/<int:request_id>")
@login_required
def decide_correction(request_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        new = services.decide_correction(current_user, request_id,
                                         request.form.get("decision") == "approve")
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "error")
    else:
        db.session.commit()
        flash(_("Re-issued as %(id)s.", id=ids.grouped(new.public_id)) if new
              else _("The request is rejected."), "success")
    return redirect(url_for("certificates.manage"))


@bp.post("/certificates/manage/issue-missing")
@login_required
def issue_missing():
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        job = services.start_bulk_issue(current_user,
                                        services.missing_certificates(current_user))
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "info")
        return redirect(url_for("certificates.manage"))
    db.session.commit()
    return redirect(url_for("main.job", job_id=job.id))
