"""Background jobs: in a thread without Redis, on an RQ worker with Redis."""

import socket

import pytest

from app.core import jobs
from app.core.models import Job
from app.extensions import db

CALLS = []


@jobs.handler("test.echo")
def _echo(job):
    CALLS.append(job.params["word"])
    jobs.report(job, done=1)
    return {"echo": job.params["word"]}


@jobs.handler("test.boom")
def _boom(job):
    raise RuntimeError("it broke")


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def test_a_job_runs_in_a_thread_after_commit(app, monkeypatch, make_user):
    monkeypatch.setitem(app.config, "JOBS_SYNCHRONOUS", True)
    with app.app_context():
        calls_before = len(CALLS)
        job = jobs.enqueue("test.echo", {"word": "hello"}, total=1)
        assert len(CALLS) == calls_before            # nothing runs before the commit
        db.session.commit()
        assert len(CALLS) == calls_before + 1
        db.session.expire_all()
        done = db.session.get(Job, job.id)
        assert (done.status, done.done, done.result) == ("done", 1, {"echo": "hello"})


def test_a_rolled_back_job_never_runs(app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_SYNCHRONOUS", True)
    with app.app_context():
        before = len(CALLS)
        jobs.enqueue("test.echo", {"word": "never"})
        db.session.rollback()
        db.session.commit()
        assert len(CALLS) == before


def test_a_failing_job_is_marked_failed_with_its_message(app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_SYNCHRONOUS", True)
    with app.app_context():
        job = jobs.enqueue("test.boom", {})
        db.session.commit()
        db.session.expire_all()
        failed = db.session.get(Job, job.id)
        assert failed.status == "failed" and "it broke" in failed.message


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_with_redis_jobs_go_to_an_rq_worker(app, monkeypatch):
    from redis import Redis
    from rq import Queue, SimpleWorker

    redis = Redis.from_url("redis://127.0.0.1:6379/15")
    redis.flushdb()
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:6379/15")
    with app.app_context():
        job = jobs.enqueue("test.echo", {"word": "queued"})
        db.session.commit()
        queue = Queue(jobs.QUEUE, connection=redis)
        assert queue.count == 1                      # queued, not run in the web process
        SimpleWorker([queue], connection=redis).work(burst=True)
        db.session.expire_all()
        assert db.session.get(Job, job.id).status == "done"
    redis.flushdb()
