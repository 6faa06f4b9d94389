"""Country data-needs self-assessments: frameworks read from assessments/,
rounds with members from several institutions, answers (online or through an
offline workbook), consensus, validation and scores; and the national
migration data plan drafted from a round (app/assessments/plan/)."""

from flask import Blueprint

bp = Blueprint("assessments", __name__, template_folder="templates")


def register(app) -> None:
    """Load the frameworks, attach the routes (imported here to avoid cycles)."""
    from app.assessments import frameworks, privacy, routes  # noqa: F401
    from app.assessments.plan import routes as plan_routes  # noqa: F401

    frameworks.init_app(app)
    app.register_blueprint(bp, url_prefix="/assessments")
