"""Workshop mode: trainer-led cohorts on a course, with join codes and
invitations, a roster imported from CSV, dated sessions and attendance (by the
trainer, a paper sign-in sheet or the learner's QR check-in), announcements,
materials, a calendar file, and the cohort's certificates in one action.

Part 2 adds the measurement: a pre-test and the knowledge gain (pretest.py,
gain.py), the trainer dashboard with item analysis and learners at risk
(dashboard.py, items.py, risk.py), the feedback survey (feedback.py,
aggregates.py), exports (exports.py), the workshop report PDF (report.py) and
the programme view across workshops (programme.py)."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__, template_folder="templates")


def register(app) -> None:
    """Attach the routes, the background jobs, the personal-data source and the
    certificate rule (imported here, not at package import, to avoid cycles)."""
    from app.cohorts import certificates, jobs, pretest, privacy, routes  # noqa: F401
    from app.cohorts.services import my_cohorts

    certificates.register_extensions()
    pretest.register()
    app.add_template_global(my_cohorts, "learner_cohorts")
    app.register_blueprint(bp, url_prefix="/cohorts")
