"""Taking a quiz and reading the result."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import ValidationError
from app.core.i18n import current_language
from app.courses import services as courses
from app.courses.catalogue import course_or_404, quiz_or_404
from app.extensions import db
from app.quizzes import bp, services


def _answers(form) -> dict[str, list[str]]:
    return {key: form.getlist(key) for key in form if key.startswith("q-")}


@bp.route("/<course>/quizzes/<quiz>", methods=["GET", "POST"])
@login_required
def take(course, quiz):
    """The quiz form. With ``?pretest=1`` (offered by a workshop that asks for a
    pre-test), the same questions as a pre-test: taken once, before any counted
    attempt, never counted, and its result shows the score only."""
    course = course_or_404(course)
    quiz = quiz_or_404(course, current_language(), quiz)
    enrolment = courses.get_enrolment(current_user, course.slug, with_progress=False)
    if enrolment is None:
        return redirect(url_for("courses.overview", course=course.slug))
    pretest_open = services.pretest_open(current_user, course, quiz, enrolment.id)
    context = {"course": course, "edition": course.edition(current_language()), "quiz": quiz,
               "history": services.history(enrolment.id, quiz.slug),
               "left": services.attempts_left(enrolment.id, quiz), "pretest": False,
               "pretest_open": pretest_open}
    if request.method == "POST":
        token = request.form.get("token", "")
        try:
            data = services.read_token(current_user, course, quiz, token)
            context["pretest"] = bool(data.get("p"))
            if (context["pretest"] and services.attempt_for_token(data["n"]) is None
                    and services.pretest_attempt(enrolment.id, quiz.slug) is not None):
                raise ValidationError(_("You have already taken this pre-test: it can be "
                                        "taken only once."))
            attempt, _created = services.submit(current_user, course, quiz, token,
                                                _answers(request.form))
        except services.AnswersNeeded as err:
            db.session.rollback()
            return render_template(
                "quizzes/take.html", **context, token=token,
                order=services.option_order(quiz, data["n"]), given=_answers(request.form),
                missing=err.missing, problems=err.problems, error=err.message), 400
        except ValidationError as err:
            db.session.rollback()
            return render_template("quizzes/take.html", **context, token=None, order={},
                                   given={}, missing=set(), problems={}, error=err.message), 400
        db.session.commit()
        return redirect(url_for("quizzes.result", course=course.slug, quiz=quiz.slug,
                                attempt_id=attempt.id))
    if request.args.get("pretest") == "1":
        if not pretest_open:
            return redirect(url_for("quizzes.take", course=course.slug, quiz=quiz.slug))
        context["pretest"] = True
        form = services.start(current_user, course, quiz, pretest=True)
    else:
        form = services.start(current_user, course, quiz) if context["left"] != 0 else None
    return render_template("quizzes/take.html", **context, token=form.token if form else None,
                           order=form.order if form else {}, given={}, missing=set(),
                           problems={}, error=None)


@bp.get("/<course>/quizzes/<quiz>/attempts/<int:attempt_id>")
@login_required
def result(course, quiz, attempt_id):
    course = course_or_404(course)
    quiz = quiz_or_404(course, current_language(), quiz)
    attempt = services.get_attempt(current_user, course, quiz, attempt_id)
    enrolment = courses.get_enrolment(current_user, course.slug)
    return render_template("quizzes/result.html", course=course, quiz=quiz, attempt=attempt,
                           answers={a.question_id: a for a in attempt.answers},
                           edition=course.edition(current_language()),
                           left=services.attempts_left(attempt.enrolment_id, quiz),
                           completed=enrolment is not None and enrolment.completed_at is not None)
