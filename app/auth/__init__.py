"""Accounts: sign-up, sign-in, password reset, profile, roles, personal data."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from app.auth import privacy, routes  # noqa: E402,F401  (registers routes and privacy hooks)
