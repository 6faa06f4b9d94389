from flask import current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from app.auth import services as accounts
from app.core import jobs, privacy
from app.core.i18n import LANG_COOKIE, current_language
from app.core.security import safe_next
from app.courses.catalogue import catalogue
from app.courses.services import my_learning
from app.extensions import db
from app.main import bp


@bp.get("/")
def index():
    return render_template("main/index.html", courses=list(catalogue()),
                           lang=current_language())


@bp.get("/home")
@login_required
def home():
    return render_template("main/home.html", learning=my_learning(current_user, catalogue()),
                           lang=current_language())


@bp.get("/privacy")
def privacy_notice():
    return render_template("main/privacy.html", sources=privacy.sources())


@bp.post("/language")
def set_language():
    """The language switcher: a plain form, so it works without JavaScript.
    Visitors get a cookie; signed-in people have their profile updated."""
    lang = request.form.get("lang", "")
    target = safe_next(request.form.get("next"), url_for("main.index"))
    response = redirect(target)
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
                            httponly=True)
        if current_user.is_authenticated:
            accounts.set_locale(current_user, lang)
            db.session.commit()
    return response


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:   # any failure means "not ready"; details go to the log
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


@bp.get("/jobs/<int:job_id>")
@login_required
def job(job_id):
    """Progress of a background job, for the person who started it (and admins).
    The page refreshes itself while the job runs: no JavaScript needed."""
    return render_template("main/job.html", job=jobs.get_job(current_user, job_id))
