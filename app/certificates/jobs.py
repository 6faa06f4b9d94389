"""Bulk issue: many certificates in one background job.

Drafts (snapshot, signed credential) are prepared in the job's process, PDFs
are rendered in parallel worker processes (one per core by default), and each
certificate is stored as its PDF comes back, with progress committed as it goes.
"""

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.certificates import pdf as certificate_pdf
from app.certificates import services
from app.core import jobs
from app.courses.catalogue import catalogue
from app.courses.models import Enrolment
from app.extensions import db

KIND = "certificates.bulk_issue"
SERIAL_BELOW = 6            # fewer PDFs than this: not worth starting processes


def _processes() -> int:
    return current_app.config.get("CERT_BULK_PROCESSES") or os.cpu_count() or 1


@jobs.handler(KIND)
def bulk_issue(job) -> dict:
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    enrolments = db.session.scalars(select(Enrolment).where(
        Enrolment.id.in_(job.params["enrolment_ids"])).order_by(Enrolment.id)).all()
    drafts, skipped = [], []
    for enrolment in enrolments:
        course = catalogue().get(enrolment.course_slug)
        if course is None or services.current_for_enrolment(enrolment.id) is not None:
            continue
        verdict = services.eligibility(enrolment, course)
        if not verdict.eligible:
            skipped.append({"enrolment": enrolment.id, "reasons": verdict.reasons})
            continue
        user = db.session.get(User, enrolment.user_id)
        drafts.append(services.prepare(enrolment, course, user, snapshot=verdict.snapshot))
    job.total = len(drafts)
    jobs.report(job, done=0)
    issued = failed = 0
    for draft, pdf in _rendered(drafts):
        if pdf is None:
            failed += 1
        else:
            services.store(draft, pdf, actor=actor)
            issued += 1
        if (issued + failed) % 10 == 0 or issued + failed == len(drafts):
            jobs.report(job, done=issued, failed=failed)
    return {"issued": issued, "failed": failed, "skipped": skipped}


def _rendered(drafts):
    """Yield (draft, pdf bytes or None) in order."""
    if len(drafts) < SERIAL_BELOW or _processes() == 1:
        for draft in drafts:
            yield draft, _safe(services.render, draft)
        return
    context = multiprocessing.get_context("spawn")   # never fork a threaded web worker
    with ProcessPoolExecutor(max_workers=_processes(), mp_context=context) as pool:
        futures = [pool.submit(certificate_pdf.render_in_worker,
                               certificate_pdf.context_as_dict(d.context),
                               d.certificate.credential_jwt) for d in drafts]
        for draft, future in zip(drafts, futures, strict=True):
            try:
                yield draft, future.result()
            except Exception:  # one bad PDF must not stop the batch; counted as failed
                current_app.logger.exception("certificate PDF failed in a worker")
                yield draft, None


def _safe(render, draft):
    try:
        return render(draft)
    except Exception:  # counted as failed, logged
        current_app.logger.exception("certificate PDF failed")
        return None
