"""Trainer and learner pages issue the same number of SQL queries whatever the
number of learners (part 2 adds a 300-learner check on top of this)."""

from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db
from tests.conftest import complete_course
from tests.integration import test_cohorts_support as support
from tests.integration.test_cohorts_support import (
    add_session,
    client_for,
    join,
)

world = support.world    # fixtures


@contextmanager
def counting(app):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def pages(world):
    c = world.cohort
    return [f"/cohorts/{c}/manage", f"/cohorts/{c}/roster", f"/cohorts/{c}/sessions",
            f"/cohorts/{c}/sessions/{world.session}", f"/cohorts/{c}/attendance",
            f"/cohorts/{c}/certificates", f"/cohorts/{c}/", "/cohorts/"]


def query_counts(app, client, urls):
    counts = {}
    for url in urls:
        with counting(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


def add_learners(app, world, make_user, n, start):
    trainer = client_for(app, world.trainer)
    marks = {}
    for i in range(start, start + n):
        uid = make_user(email=f"bulk{i}@example.org", full_name=f"Bulk {i}")
        marks[f"m{join(app, world.cohort, uid)}"] = "present" if i % 2 else "absent"
        if i % 3 == 0:
            complete_course(app, uid)
    trainer.post(f"/cohorts/{world.cohort}/sessions/{world.session}", data=marks)


def test_pages_do_not_query_per_learner(app, world, make_user):
    add_session(app, world.cohort, topic="Second")
    trainer = client_for(app, world.trainer)
    add_learners(app, world, make_user, 3, 0)
    before = query_counts(app, trainer, pages(world))
    add_learners(app, world, make_user, 12, 100)
    after = query_counts(app, trainer, pages(world))
    assert after == before
    assert max(after.values()) <= 25, after
