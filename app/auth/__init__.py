"""Accounts: sign-up, sign-in, password reset, profile, roles, personal data."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")


def register(app) -> None:
    """Attach the routes (imported here, not at package import, to avoid cycles)."""
    from app.auth import privacy, routes  # noqa: F401

    app.register_blueprint(bp)
