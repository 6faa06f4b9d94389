import pytest

from app import create_app
from config import database_url


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr("config.ProductionConfig.SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_sets_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setattr("config.ProductionConfig.SECRET_KEY", "x" * 32)
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_settings_are_overridable_from_the_environment(monkeypatch):
    monkeypatch.setenv("MDA_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("MDA_PUBLIC_URL", "https://academy.example.org")
    app = create_app("development")
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["PUBLIC_URL"] == "https://academy.example.org"


def test_no_argument_means_development(monkeypatch):
    monkeypatch.delenv("MDA_ENV", raising=False)
    app = create_app()
    assert app.config["ENV_NAME"] == "development"
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5000"


@pytest.mark.parametrize("given", ["postgresql://postgres@127.0.0.1:5432/test",
                                   "postgres://postgres@127.0.0.1:5432/test"])
def test_postgres_urls_use_psycopg3(monkeypatch, given):
    monkeypatch.setenv("DATABASE_URL", given)
    assert database_url("sqlite://") == "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_development_creates_one_random_secret_per_installation(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app("development", {"INSTANCE_PATH": tmp_path / "a"})
    again = create_app("development", {"INSTANCE_PATH": tmp_path / "a"})
    other = create_app("development", {"INSTANCE_PATH": tmp_path / "b"})
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == again.config["SECRET_KEY"]     # the CLI and the server
    assert first.config["SECRET_KEY"] != other.config["SECRET_KEY"]
    assert oct((tmp_path / "a" / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_behind_a_proxy_the_client_address_comes_from_the_forwarded_header(monkeypatch):
    app = create_app("testing", {"PROXY_COUNT": 1})

    @app.get("/whoami")
    def whoami():
        from flask import request
        return request.remote_addr

    response = app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.get_data(as_text=True) == "203.0.113.9"
