"""Quizzes: question types, grading (pure), attempts and feedback."""

from flask import Blueprint

bp = Blueprint("quizzes", __name__, template_folder="templates")


def register(app) -> None:
    """Attach the routes (imported here, not at package import, to avoid cycles)."""
    from app.quizzes import privacy, routes  # noqa: F401

    app.register_blueprint(bp, url_prefix="/courses")
