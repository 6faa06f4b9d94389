"""Background jobs.

A job is a row (app.core.models.Job) plus a handler registered by kind. When
REDIS_URL is set, jobs go to an RQ queue served by `flask --app app worker`;
otherwise they run in a background thread of the web process. Either way the
handler updates the row, so progress is visible from any node.
"""

import logging
import threading
from collections.abc import Callable

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.core.models import Job
from app.extensions import db

log = logging.getLogger(__name__)
QUEUE = "mda"
HANDLERS: dict[str, Callable[[Job], dict | None]] = {}


def handler(kind: str):
    def register(func):
        HANDLERS[kind] = func
        return func
    return register


def enqueue(kind: str, params: dict, *, user=None, total: int = 0) -> Job:
    """Create the job row; it is dispatched once the caller's transaction commits."""
    if kind not in HANDLERS:
        raise KeyError(f"no handler for job kind {kind!r}")
    job = Job(kind=kind, params=params, total=total,
              created_by_id=getattr(user, "id", None))
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault("jobs_to_dispatch", []).append(job.id)
    return job


@event.listens_for(Session, "after_commit")
def _dispatch_committed(session):
    ids = session.info.pop("jobs_to_dispatch", [])
    for job_id in ids:
        dispatch(job_id)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop("jobs_to_dispatch", None)


def dispatch(job_id: int) -> None:
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL") and not app.config.get("JOBS_IN_THREAD"):
        from redis import Redis
        from rq import Queue

        Queue(QUEUE, connection=Redis.from_url(app.config["REDIS_URL"])).enqueue(
            run, job_id, job_timeout=3600)
        return
    thread = threading.Thread(target=_run_with_app, args=(app, job_id), daemon=True,
                              name=f"job-{job_id}")
    thread.start()
    if app.config.get("JOBS_SYNCHRONOUS"):      # tests: wait for the result
        thread.join()


def _run_with_app(app, job_id: int) -> None:
    with app.app_context():
        execute(job_id)
        db.session.remove()


def run(job_id: int) -> None:
    """Entry point for RQ workers."""
    if has_app_context():
        execute(job_id)
        return
    from app import create_app

    with create_app().app_context():
        execute(job_id)


def execute(job_id: int) -> None:
    job = db.session.get(Job, job_id)
    if job is None or job.status != "queued":
        return
    job.status, job.started_at = "running", utcnow()
    db.session.commit()
    try:
        result = HANDLERS[job.kind](job)
    except Exception as exc:  # the job fails; the error is logged and shown, never raised
        log.exception("job %s (%s) failed", job_id, job.kind)
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status, job.message = "failed", str(exc)[:500] or exc.__class__.__name__
    else:
        job.status = "done"
        job.result = result
    job.finished_at = utcnow()
    db.session.commit()


def report(job: Job, *, done: int | None = None, failed: int | None = None,
           message: str | None = None) -> None:
    """Record progress from inside a handler (commits, so others can see it)."""
    if done is not None:
        job.done = done
    if failed is not None:
        job.failed = failed
    if message is not None:
        job.message = message[:500]
    db.session.commit()


def get_job(user, job_id: int) -> Job:
    from app.core.errors import NotFound
    from app.core.permissions import has_role

    job = db.session.get(Job, job_id)
    if job is None or not (has_role(user, "admin") or job.created_by_id == user.id):
        raise NotFound()
    return job
