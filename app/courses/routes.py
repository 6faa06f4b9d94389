"""Catalogue, course overview, enrolment, lessons, my learning, handouts and media."""

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.certificates import services as certificates
from app.core.forms import EmptyForm
from app.core.i18n import LANGUAGE_NAMES, current_language
from app.courses import bp, handouts, pages, progress, services
from app.courses.catalogue import catalogue, course_or_404, lesson_or_404
from app.courses.loader import LEVELS
from app.courses.search import filter_courses
from app.extensions import db


@bp.get("/")
def index():
    filters = {key: request.args.get(key, "").strip()[:100]
               for key in ("q", "topic", "level", "language")}
    courses = filter_courses(list(catalogue()), **filters)
    topics = sorted({t for c in catalogue() for t in c.topics})
    enrolled = services.enrolled_slugs(current_user) if current_user.is_authenticated else set()
    return render_template("courses/index.html", courses=courses, filters=filters,
                           topics=topics, levels=LEVELS, languages=LANGUAGE_NAMES,
                           enrolled=enrolled, lang=current_language())


@bp.get("/<course>/")
def overview(course):
    course = course_or_404(course)
    edition = course.edition(current_language())
    enrolment = status = certificate = None
    passed = set()
    if current_user.is_authenticated:
        enrolment = services.get_enrolment(current_user, course.slug)
        if enrolment:
            passed = services.passed_quizzes([enrolment.id])[enrolment.id]
            status = progress.status(course, enrolment.done_keys, passed)
            if enrolment.completed_at:
                certificate = certificates.current_for_enrolment(enrolment.id)
    return render_template("courses/overview.html", course=course, edition=edition,
                           enrolment=enrolment, status=status, passed=passed,
                           certificate=certificate,
                           done=enrolment.done_keys if enrolment else set(),
                           form=EmptyForm(), module_state=progress.module_state)


@bp.post("/<course>/enrol")
@login_required
def enrol(course):
    course = course_or_404(course)
    if EmptyForm().validate_on_submit():
        services.enrol(current_user, course)
        db.session.commit()
        flash(_("You are enrolled. Enjoy the course!"), "success")
        first = course.lesson_keys[0].split("/")
        return redirect(url_for("courses.lesson", course=course.slug, module=first[0],
                                lesson=first[1]))
    return redirect(url_for("courses.overview", course=course.slug))


@bp.get("/<course>/resume")
@login_required
def resume(course):
    course = course_or_404(course)
    enrolment = services.get_enrolment(current_user, course.slug)
    if enrolment is None:
        return redirect(url_for("courses.overview", course=course.slug))
    module, lesson = progress.resume_key(course, enrolment.done_keys,
                                         enrolment.last_lesson_key).split("/")
    return redirect(url_for("courses.lesson", course=course.slug, module=module, lesson=lesson))


@bp.get("/<course>/<module>/<lesson>")
@login_required
def lesson(course, module, lesson):
    course = course_or_404(course)
    lang = current_language()
    page = lesson_or_404(course, lang, module, lesson)
    enrolment, done = services.lesson_state(current_user, course.slug, page.key)
    if enrolment is None:
        flash(_("Enrol in this course to read its lessons."), "info")
        return redirect(url_for("courses.overview", course=course.slug))
    if services.open_lesson(enrolment, page.key):
        db.session.commit()
    edition = course.edition(lang)
    previous, following = edition.neighbours(page.key)
    module_obj = edition.module(module)
    return render_template("courses/lesson.html", course=course, edition=edition,
                           module=module_obj, lesson=page, body=pages.lesson_body(page, lang),
                           previous=previous,
                           following=following, done=done,
                           last_in_module=page is module_obj.lessons[-1], form=EmptyForm())


@bp.post("/<course>/<module>/<lesson>/done")
@login_required
def mark_done(course, module, lesson):
    course = course_or_404(course)
    page = lesson_or_404(course, current_language(), module, lesson)
    if not EmptyForm().validate_on_submit():
        abort(400)
    # Not "_": that name is gettext here, needed just below.
    _enrolment, just_completed = services.mark_done(current_user, course, page.key)
    db.session.commit()
    if just_completed:
        flash(_("Congratulations: you have completed this course!"), "success")
    following = course.edition(current_language()).neighbours(page.key)[1]
    if request.form.get("then") == "next" and following and following.module_slug == module:
        return redirect(url_for("courses.lesson", course=course.slug,
                                module=following.module_slug, lesson=following.slug))
    return redirect(url_for("courses.lesson", course=course.slug, module=module, lesson=lesson)
                    + "#lesson-end")


@bp.get("/mine")
@login_required
def mine():
    rows = services.my_learning(current_user, catalogue())
    return render_template("courses/mine.html", rows=rows, lang=current_language())


@bp.get("/<course>/handout.pdf")
@bp.get("/<course>/<module>/handout.pdf")
def handout(course, module=None):
    course = course_or_404(course)
    path = handouts.handout_path(course, current_language(), module)
    return send_file(path, mimetype="application/pdf", conditional=True, max_age=3600,
                     download_name=path.name, as_attachment=False)


@bp.get("/<course>/media/<path:filename>")
def media(course, filename):
    course = course_or_404(course)
    if filename not in course.media_files:
        abort(404)
    response = send_file(course.folder / "media" / filename, conditional=True, max_age=86400)
    if filename.endswith(".svg"):
        # An SVG opened on its own must not run anything.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'")
    return response
