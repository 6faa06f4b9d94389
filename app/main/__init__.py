"""Public pages: the home page, the signed-in home, the privacy notice,
the language switcher and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__, template_folder="templates")

from app.main import routes  # noqa: E402,F401
