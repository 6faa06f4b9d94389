"""The schema comes only from Alembic: an empty database upgraded to head matches
the models exactly, and the newest migration can be undone and redone."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db


@pytest.fixture
def empty_db_app(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    schema = None
    if url.startswith("postgresql"):
        # A private schema on the same server, dropped afterwards.
        schema = f"mig_{uuid.uuid4().hex[:8]}"
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        sep = "&" if "?" in url else "?"
        url = f"{url}{sep}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path / 'migrations.db'}"
    fresh = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    yield fresh
    with fresh.app_context():
        db.engine.dispose()
    if schema:
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def _differences(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_the_models(empty_db_app):
    with empty_db_app.app_context():
        upgrade()
    assert _differences(empty_db_app) == []


def test_newest_migration_downgrades_and_upgrades_again(empty_db_app):
    with empty_db_app.app_context():
        upgrade()
        downgrade(revision="-1")
        upgrade()
    assert _differences(empty_db_app) == []


def test_application_never_creates_tables_itself():
    import pathlib

    source = "\n".join(p.read_text() for p in pathlib.Path("app").rglob("*.py"))
    assert "create_all(" not in source
