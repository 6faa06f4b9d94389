"""Certificates: issued on completion, signed Open Badges 3.0 credentials,
PDF with QR code and embedded credential, public verification, revocation."""

from flask import Blueprint

bp = Blueprint("certificates", __name__, template_folder="templates")


def register(app) -> None:
    """Attach the routes (imported here, not at package import, to avoid cycles)."""
    from app.certificates import jobs, privacy, routes  # noqa: F401
    from app.certificates.ids import grouped

    app.add_template_filter(grouped, "grouped_id")
    app.register_blueprint(bp)
