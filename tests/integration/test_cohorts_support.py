"""Helpers shared by the test_cohorts_* modules (this module holds no tests).

    world = make_world()        # two cohorts of two trainers, learners, a session…
    c = client_for(app, world.learner)
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.auth.models import User
from app.cohorts import services
from app.cohorts.models import Cohort, CohortSession
from app.core.db import utcnow
from app.extensions import db
from tests.conftest import login

COURSE = "field-basics"
FILES = Path(__file__).resolve().parent.parent / "fixtures" / "cohorts"


@pytest.fixture
def jobs_sync(app, monkeypatch):
    """Background jobs run before the request that queued them returns."""
    monkeypatch.setitem(app.config, "JOBS_SYNCHRONOUS", True)


def client_for(app, user_id):
    """A new test client signed in as this user."""
    client = app.test_client()
    with app.app_context():
        email = db.session.get(User, user_id).email
    response = login(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def make_cohort(app, trainer_id, **fields) -> int:
    values = dict(course_slug=COURSE, name="Test workshop", starts_on=date(2026, 3, 1),
                  ends_on=date(2026, 3, 31), mode="blended", venue="Room 1",
                  meeting_url="https://meet.example.org/room", timezone="Africa/Dakar",
                  capacity=30, min_attendance=75, co_trainers=[])
    values.update(fields)
    with app.app_context():
        trainer = db.session.get(User, trainer_id)
        cohort = services.create_cohort(trainer, services.CohortValues(**values))
        db.session.commit()
        return cohort.id


def code_of(app, cohort_id) -> str:
    with app.app_context():
        return db.session.get(Cohort, cohort_id).join_code


def join(app, cohort_id, user_id) -> int:
    """The user joins with the cohort's code; returns the member id."""
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        member = services.join(db.session.get(User, user_id), cohort.join_code)
        db.session.commit()
        return member.id


def add_session(app, cohort_id, *, start=None, hours=3, topic="Session") -> int:
    """A session starting at ``start`` (default: 2 days ago)."""
    start = start or utcnow() - timedelta(days=2)
    with app.app_context():
        session = CohortSession(cohort_id=cohort_id, topic=topic, starts_at=start,
                                ends_at=start + timedelta(hours=hours))
        db.session.add(session)
        db.session.commit()
        return session.id


def csrf_free_upload(client, url, name, data, field="file", **extra):
    import io

    return client.post(url, data={field: (io.BytesIO(data), name), **extra},
                       content_type="multipart/form-data")


def links_in(body: str, part: str) -> list[str]:
    return [link for link in re.findall(r"https?://\S+", body) if part in link]


@dataclass
class World:
    trainer: int
    co_trainer: int
    other_trainer: int
    admin: int
    learner: int            # active member of cohort
    outsider: int           # learner, member of nothing
    other_learner: int      # active member of other_cohort
    cohort: int
    other_cohort: int
    session: int
    other_session: int
    member: int


@pytest.fixture
def world(app, make_user) -> World:
    trainer = make_user("trainer", email="trainer.a@example.org", full_name="Trainer Alpha")
    co = make_user("trainer", email="co.a@example.org", full_name="Co Trainer")
    other_trainer = make_user("trainer", email="trainer.b@example.org", full_name="Trainer Beta")
    admin = make_user("admin", email="admin@example.org")
    learner = make_user(email="lea@example.org", full_name="Léa Learner")
    outsider = make_user(email="out@example.org", full_name="Otto Outsider")
    other_learner = make_user(email="bea@example.org", full_name="Bea Other")
    cohort = make_cohort(app, trainer, co_trainers=["co.a@example.org"])
    other = make_cohort(app, other_trainer, name="Other workshop")
    member = join(app, cohort, learner)
    join(app, other, other_learner)
    session = add_session(app, cohort)
    other_session = add_session(app, other)
    return World(trainer, co, other_trainer, admin, learner, outsider, other_learner, cohort,
                 other, session, other_session, member)
