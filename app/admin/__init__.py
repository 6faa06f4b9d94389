"""Administration: find users, change roles, (de)activate accounts, read the audit log.
Owns no models: it calls other features' services."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates")

from app.admin import routes  # noqa: E402,F401
