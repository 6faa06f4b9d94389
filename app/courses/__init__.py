"""Courses: the catalogue read from courses/, enrolment, lessons, progress,
completion and printable handouts."""

from flask import Blueprint

bp = Blueprint("courses", __name__, template_folder="templates")


def register(app) -> None:
    """Attach the routes (imported here, not at package import, to avoid cycles)."""
    from app.courses import privacy, routes  # noqa: F401

    app.register_blueprint(bp, url_prefix="/courses")
