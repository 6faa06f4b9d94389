"""Migration Data Academy: the application factory."""

import logging
import os

from flask import Flask, has_request_context

from config import CONFIGS


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application.

    ``config_name`` is "development" (the default, as used by ``make run`` and
    the bare ``flask`` CLI), "testing" or "production"; MDA_ENV may name it when
    no argument is given. ``overrides`` is for tests.
    """
    name = config_name or os.environ.get("MDA_ENV") or "development"
    config = CONFIGS[name]
    instance = (overrides or {}).get("INSTANCE_PATH") or config.INSTANCE_PATH
    app = Flask(__name__, instance_path=str(instance))
    app.config.from_object(config)
    app.config.from_prefixed_env("MDA")
    if overrides:
        app.config.update(overrides)
    _check_config(app)

    _init_logging(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    _register_cli(app)
    return app


def _check_config(app: Flask) -> None:
    if app.config["ENV_NAME"] == "production" and not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production (see README, Operators).")
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def _instance_secret(folder: str) -> str:
    """A random secret created once per installation (never in code)."""
    import secrets

    path = os.path.join(folder, "secret_key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path) as existing:
            return existing.read().strip()
    with os.fdopen(fd, "w") as new:
        new.write(secrets.token_hex(32))
    with open(path) as created:
        return created.read().strip()


def _init_logging(app: Flask) -> None:
    if not app.testing:
        logging.basicConfig(level=logging.WARNING,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("app").setLevel(logging.INFO)


def _init_extensions(app: Flask) -> None:
    from app.core.i18n import select_locale
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            k: v for k, v in app.config["SQLALCHEMY_ENGINE_OPTIONS"].items()
            if k != "pool_pre_ping"}
    db.init_app(app)
    _tune_sqlite(app, db)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path),
                                                     "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    # Our limits are all per view (login, registration, reset, verification),
    # and Flask-Limiter checks decorated views inside the decorator. Its
    # app-wide before_request hook only serves default limits, which we do not
    # use, so it is removed to keep the hot pages (lessons) light.
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)

    from flask_babel import lazy_gettext as _l

    from app.auth.services import load_session_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_session_user)


def _sqlite_pragmas(dbapi_connection, _record):
    """Foreign keys on, WAL and a busy timeout so `make run` and the CLI can share the file.
    The driver's own transaction handling is switched off (see _sqlite_begin)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def _sqlite_begin(connection):
    """Python's sqlite3 driver delays BEGIN until the first write, which breaks
    savepoints (releasing one would commit everything). SQLAlchemy's documented
    remedy: let it emit BEGIN itself."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")


def _tune_sqlite(app: Flask, db) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
        event.listen(Engine, "begin", _sqlite_begin)


def _register_blueprints(app: Flask) -> None:
    from app import admin, assessments, auth, certificates, cohorts, courses, main, quizzes
    from app.courses import catalogue

    catalogue.init_app(app)
    for feature in (main, auth, courses, quizzes, certificates, cohorts, assessments, admin):
        feature.register(app)


def _register_hooks(app: Flask) -> None:
    from app.core import errors, security
    from app.core.forms import EmptyForm
    from app.core.i18n import LANGUAGE_NAMES, current_language, text_direction

    errors.register(app)
    app.after_request(security.add_security_headers)
    if app.config["ENV_NAME"] == "production":
        app.after_request(security.add_hsts)

    @app.context_processor
    def _layout_context():
        if not has_request_context():      # PDFs and e-mails rendered by jobs or the CLI
            return {}
        lang = current_language()
        return {
            "current_lang": lang,
            "text_dir": text_direction(lang),
            # Course content keeps its own language and direction inside an
            # interface in another one (English lessons on an Arabic page).
            "dir_of": text_direction,
            "language_names": LANGUAGE_NAMES,
            "nav_form": EmptyForm(),
        }


def _register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)
