"""Certificate figures for `make bench` (run by bench/run.py in its own instance).

Prints one JSON object: cert_render_s, cert_bare_weasyprint_s, cert_vs_bare_weasyprint,
cert_cached_download_s, cert_cached_download_speedup, cert_bulk_per_s.
"""

import json
import statistics
import time

from sqlalchemy import select

from app import create_app
from app.auth.models import User
from app.auth.services import create_user
from app.certificates import pdf as certificate_pdf
from app.certificates import services
from app.core.db import utcnow
from app.core.models import Job
from app.core.pdf import ASSETS_DIR
from app.courses.catalogue import catalogue
from app.courses.models import Enrolment
from app.extensions import db

RUNS = 15
BULK = 200


def completed_enrolments(course, count: int, prefix: str) -> list[Enrolment]:
    """Learners who completed the course, without certificates yet."""
    rows = []
    for i in range(count):
        user = create_user(email=f"{prefix}{i}@bench.example.org", full_name=f"Bench Learner {i}",
                           password="bench-password-not-used", check_password=False)  # noqa: S106
        rows.append(Enrolment(user_id=user.id, course_slug=course.slug, completed_at=utcnow(),
                              final_score=90.0, completed_version=course.content_hash))
    db.session.add_all(rows)
    db.session.commit()
    return rows


def main() -> dict:
    app = create_app()
    app.config.update(PASSWORD_HASH_METHOD="scrypt:1024:8:1",  # noqa: S106  (cheap hashes)
                      WTF_CSRF_ENABLED=False)
    results = {}
    with app.app_context():
        course = catalogue().get("migration-statistics") or next(iter(catalogue()))
        enrolments = completed_enrolments(course, RUNS, "single")

        # Our full issue path: snapshot, signed credential, PDF/A with attachment, store.
        issue_times, html = [], None
        for enrolment in enrolments:
            started = time.perf_counter()
            cert = services.issue(enrolment, course)
            db.session.commit()
            issue_times.append(time.perf_counter() - started)
        html = certificate_pdf.certificate_html(services.prepare(
            enrolments[0], course, db.session.get(User, enrolments[0].user_id)).context)
        db.session.rollback()

        # The same HTML through bare WeasyPrint, nothing around it.
        from weasyprint import HTML

        bare_times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/").write_pdf()
            bare_times.append(time.perf_counter() - started)

        render = statistics.median(issue_times)
        bare = statistics.median(bare_times)
        results["cert_render_s"] = round(render, 4)
        results["cert_bare_weasyprint_s"] = round(bare, 4)
        results["cert_vs_bare_weasyprint"] = round(render / bare, 3)

        # A stored certificate downloaded again (served from storage with an ETag).
        owner = db.session.get(User, cert.user_id)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = owner.get_id()
        session["_fresh"] = True
    url = f"/certificates/{cert.public_id}.pdf"
    assert client.get(url).status_code == 200
    download_times = []
    for _ in range(50):
        started = time.perf_counter()
        response = client.get(url)
        download_times.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.data[:4] == b"%PDF"
    download = statistics.median(download_times)
    results["cert_cached_download_s"] = round(download, 5)
    results["cert_cached_download_speedup"] = round(render / download, 1)

    # Bulk issue through the default path (no Redis): a background thread that
    # renders in one worker process per core.
    with app.app_context():
        bulk = completed_enrolments(course, BULK, "bulk")
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        started = time.perf_counter()
        with app.test_request_context():
            job = services.start_bulk_issue(admin, [e.id for e in bulk])
            db.session.commit()
        job_id = job.id
        while True:                          # a fresh connection each time: no stale snapshot
            with db.engine.connect() as conn:
                state = conn.execute(select(Job.status).where(Job.id == job_id)).scalar()
            if state in ("done", "failed"):
                break
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        db.session.rollback()
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        if job.status != "done" or job.result["issued"] != BULK:
            raise RuntimeError(f"bulk job ended {job.status}: {job.message} {job.result}")
        results["cert_bulk_per_s"] = round(BULK / elapsed, 2)
        results["cert_bulk_seconds"] = round(elapsed, 2)
    return results


if __name__ == "__main__":
    print(json.dumps(main()))
