"""Shared fixtures.

The test database is built once per session from the Alembic migrations
(never create_all), on SQLite by default or on PostgreSQL when DATABASE_URL
points there (as .ci/run does). Every test starts with empty tables.
"""

import email
import email.policy
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from config import database_url

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PASSWORD = "correct horse battery staple 42"


def _test_database_url(tmp_dir: Path) -> str:
    """PostgreSQL when DATABASE_URL says so (CI), else a SQLite file of this session."""
    return database_url(f"sqlite:///{tmp_dir / 'test.db'}")


def _reset_postgres(app) -> None:
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("instance")
    overrides = {
        "SQLALCHEMY_DATABASE_URI": _test_database_url(tmp),
        "INSTANCE_PATH": tmp,
        "OUTBOX_DIR": tmp / "outbox",
    }
    app = create_app("testing", overrides)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        _reset_postgres(app)
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    return app


def _empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for name in tables:
                    conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture(autouse=True)
def _clean(request, tmp_path):
    """Empty tables and a fresh outbox for every test that uses the app."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    app.config["OUTBOX_DIR"] = tmp_path / "outbox"
    yield
    _empty_tables(app)
    # Generated files go with the rows that pointed to them.
    for folder in ("certificates", "uploads", "cache"):
        shutil.rmtree(Path(app.instance_path) / folder, ignore_errors=True)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """make_user(role="learner", email=None, **fields) -> user id (committed)."""
    counter = iter(range(1, 10_000))

    def _make(role="learner", email=None, password=PASSWORD, verified=True, **fields):
        from app.auth.services import create_user

        n = next(counter)
        with app.app_context():
            user = create_user(email=email or f"{role}{n}@example.org",
                               full_name=fields.pop("full_name", f"Test {role.title()} {n}"),
                               password=password, role=role, verified=verified,
                               check_password=False, **fields)
            db.session.commit()
            return user.id
    return _make


def login(client, email, password=PASSWORD, **extra):
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


@pytest.fixture
def login_as(app, client, make_user):
    """login_as(role) -> user id; the client is signed in as a new user with that role."""
    from app.auth.models import User

    def _login(role="learner", **fields):
        uid = make_user(role, **fields)
        with app.app_context():
            address = db.session.get(User, uid).email
        response = login(client, address)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return uid
    return _login


def outbox_messages(app) -> list[email.message.EmailMessage]:
    folder = Path(app.config["OUTBOX_DIR"])
    if not folder.exists():
        return []
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(folder.glob("*.eml"))]


def last_link(app, to: str, path_part: str) -> str:
    """The last link containing ``path_part`` in a message sent to ``to``."""
    for msg in reversed(outbox_messages(app)):
        if msg["To"] == to:
            body = msg.get_content()
            links = re.findall(r"https?://\S+", body)
            links = [link for link in links if path_part in link]
            if links:
                return links[-1]
    raise AssertionError(f"no message to {to} with a link containing {path_part!r}")


def csrf_token(client, url="/auth/login") -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def complete_course(app, user_id, course_slug="field-basics"):
    """Every quiz passed and every lesson done (the completion service runs);
    returns the enrolment id."""
    from app.auth.models import User
    from app.courses import services as courses
    from app.courses.catalogue import catalogue
    from app.quizzes.demo import pass_quiz

    with app.app_context():
        user = db.session.get(User, user_id)
        course = catalogue().get(course_slug)
        enrolment = courses.enrol(user, course)
        for quiz in course.edition(user.locale).quizzes:
            pass_quiz(enrolment, quiz)
        for key in course.lesson_keys:
            courses.mark_done(user, course, key)
        db.session.commit()
        return enrolment.id
