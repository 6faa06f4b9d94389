"""Configuration classes.

Every setting can be overridden from the environment: the well-known names
below (DATABASE_URL, SECRET_KEY, REDIS_URL, PUBLIC_URL, MAIL_*) are read
directly, and any other setting through an ``MDA_`` prefix, e.g.
``MDA_RATELIMIT_ENABLED=false`` (values are parsed as JSON when they can be).
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


def database_url(default: str) -> str:
    """DATABASE_URL from the environment (or ``default``), read as psycopg 3 for PostgreSQL."""
    url = os.environ.get("DATABASE_URL", default)
    # psycopg 3 is the only PostgreSQL driver we ship.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    INSTANCE_PATH = INSTANCE
    SQLALCHEMY_DATABASE_URI = database_url(f"sqlite:///{INSTANCE / 'app.db'}")
    # Pinging before use protects against dropped server connections; a SQLite
    # file has none (see create_app).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    REDIS_URL = os.environ.get("REDIS_URL")

    # Content folders (content is code, see courses/README.md).
    COURSES_DIR = Path(os.environ.get("COURSES_DIR", ROOT / "courses"))
    ASSESSMENTS_DIR = Path(os.environ.get("ASSESSMENTS_DIR", ROOT / "assessments"))

    # Languages: the interface is translated into all four; course content
    # falls back to English when a variant is missing.
    LANGUAGES = ["en", "fr", "es", "ar"]
    RTL_LANGUAGES = ["ar"]
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"

    # E-mail: without MAIL_SERVER, messages are written to OUTBOX_DIR and logged.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "true").lower() != "false"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Migration Data Academy <no-reply@localhost>"
    )
    OUTBOX_DIR = INSTANCE / "outbox"

    # Accounts. Werkzeug's scrypt with its default cost.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105  (a method name, not a password)
    PASSWORD_MIN_LENGTH = 12
    EMAIL_TOKEN_MAX_AGE = 3 * 24 * 3600      # e-mail verification link
    RESET_TOKEN_MAX_AGE = 3600               # password reset link
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600

    # Cookies and forms.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024    # largest upload, checked again per feature

    # Rate limits (Flask-Limiter); storage is Redis when REDIS_URL is set.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get(
        "REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    RATELIMIT_REGISTER = "5 per minute;30 per hour"
    RATELIMIT_RESET = "5 per minute;20 per hour"

    SEND_FILE_MAX_AGE_DEFAULT = 7 * 24 * 3600
    # Behind N reverse proxies (e.g. 1 for nginx in front of gunicorn), trust N
    # X-Forwarded-For/-Proto headers, so rate limits see the real client address.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    # Certificates. The signing key is created once in instance/keys/ unless
    # CERT_SIGNING_KEY (a private Ed25519 JWK, JSON) is provided; retired public
    # or private keys can be listed in CERT_RETIRED_KEYS (a JSON list of JWKs).
    ISSUER_NAME = os.environ.get("ISSUER_NAME", "Migration Data Academy")
    ISSUER_EMAIL = os.environ.get("ISSUER_EMAIL")
    CERT_SIGNATORY_NAME = os.environ.get("CERT_SIGNATORY_NAME", "Migration Data Academy")
    CERT_SIGNATORY_TITLE = os.environ.get("CERT_SIGNATORY_TITLE", "Capacity development programme")
    CERT_SIGNING_KEY = os.environ.get("CERT_SIGNING_KEY")
    CERT_RETIRED_KEYS = os.environ.get("CERT_RETIRED_KEYS")
    CERT_KEYS_DIR = None            # default: instance/keys
    CERTIFICATES_DIR = None         # default: instance/certificates
    CERT_BULK_PROCESSES = None      # default: one per CPU core
    RATELIMIT_VERIFY = "60 per minute;1000 per hour"

    # Self-assessments: evidence files and offline workbooks (app/core/uploads.py).
    # Uploads are stored in UPLOAD_DIR (default: <INSTANCE_PATH>/uploads), outside
    # the web root; at scale, point it to a volume shared by the web nodes.
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR")
    ASSESSMENT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024

    # Workshop cohorts (app/cohorts/). Materials are stored like assessment
    # uploads (UPLOAD_DIR/cohorts); their limit must stay below MAX_CONTENT_LENGTH,
    # which refuses larger requests before any view sees them.
    COHORT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    COHORT_CSV_MAX_BYTES = 2 * 1024 * 1024
    COHORT_CSV_MAX_ROWS = 2000
    COHORT_IMPORT_TTL_HOURS = 24             # a roster upload waits this long for confirmation
    COHORT_INVITATION_MAX_AGE = 30 * 24 * 3600
    COHORT_CHECKIN_GRACE_MINUTES = 15        # QR check-in opens/closes this long around a session
    # Workshop dashboards (part 2): a learner who has not completed the course is
    # "at risk" after this many days without activity (0: never); the feedback
    # survey stays open this many days after the workshop's last day.
    COHORT_AT_RISK_DAYS = 7
    COHORT_FEEDBACK_DAYS = 30


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False
    # Without SECRET_KEY, a random key is created once in instance/secret_key
    # (see create_app): sessions survive restarts of `make run`, the bare `flask`
    # CLI shares links with the server, and no two installations share a key.


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-only-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = database_url("sqlite://")
    WTF_CSRF_ENABLED = False           # re-enabled in tests/integration/test_csrf.py
    RATELIMIT_ENABLED = False          # re-enabled in the rate-limit tests
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105  (same algorithm, cheaper for tests)
    PUBLIC_URL = "http://localhost"
    COURSES_DIR = ROOT / "tests" / "fixtures" / "courses"
    ASSESSMENTS_DIR = ROOT / "tests" / "fixtures" / "assessments"


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
