"""Public pages: the home page, the signed-in home, the privacy notice,
the language switcher and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__, template_folder="templates")


def register(app) -> None:
    """Attach the routes (imported here, not at package import, to avoid cycles)."""
    from app.main import routes  # noqa: F401

    app.register_blueprint(bp)
