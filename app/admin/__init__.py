"""Administration: find users, change roles, (de)activate accounts, read the audit log.
Owns no models: it calls other features' services."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates")


def register(app) -> None:
    """Attach the routes (imported here, not at package import, to avoid cycles)."""
    from app.admin import routes  # noqa: F401

    app.register_blueprint(bp, url_prefix="/admin")
