"""Errors, CSRF, rate limits, security headers, health check."""

import pytest
from sqlalchemy import func, select

from app import create_app
from app.auth.models import User
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token


@pytest.fixture
def strict_app(app):
    """The same database, with CSRF and rate limits switched on."""
    from app.extensions import limiter

    yield create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "OUTBOX_DIR": app.config["OUTBOX_DIR"],
        "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True,
    })
    # The limiter is one object shared by every app of this process: switch it back.
    limiter.reset()
    limiter.enabled = app.config["RATELIMIT_ENABLED"]


def test_home_page_is_public(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="#main"' in html and "Create a free account" in html


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] != "ok"


def test_not_found_is_a_friendly_page_or_json(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_unexpected_errors_show_no_trace(app):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "Something went wrong" in body


def test_csrf_is_enforced_and_nothing_changes(app, strict_app, make_user):
    make_user(email="csrf@example.org")
    client = strict_app.test_client()
    response = client.post("/auth/login", data={"email": "csrf@example.org",
                                                "password": PASSWORD})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    response = client.post("/auth/register", data={
        "email": "x@example.org", "full_name": "X", "password": "violet tractor under lanterns",
        "confirm": "violet tractor under lanterns", "consent": "y", "locale": "en"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
    token = csrf_token(client)
    response = client.post("/auth/login", data={"email": "csrf@example.org",
                                                "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_login_is_rate_limited(strict_app):
    client = strict_app.test_client()
    token = csrf_token(client)
    codes = [client.post("/auth/login", data={"email": "a@example.org", "password": "nope",
                                              "csrf_token": token}).status_code
             for _ in range(11)]
    assert codes[:10] == [400] * 10
    assert codes[10] == 429
    response = client.post("/auth/login", data={"csrf_token": token})
    assert "Too many attempts" in response.get_data(as_text=True)
    assert client.get("/auth/login").status_code == 200   # reading the form is not limited


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"]


def test_pages_have_no_inline_script(client):
    for url in ["/", "/auth/login", "/auth/register", "/privacy"]:
        assert "<script" not in client.get(url).get_data(as_text=True)


def test_password_checks_of_signed_in_pages_are_rate_limited(strict_app, make_user):
    """Changing the password or deleting the account asks for the password: someone
    using a browser left signed in must not be able to guess it without limit."""
    make_user(email="guess@example.org")
    client = strict_app.test_client()
    token = csrf_token(client)
    assert client.post("/auth/login", data={"email": "guess@example.org", "password": PASSWORD,
                                            "csrf_token": token}).status_code == 302
    token = csrf_token(client, "/account/password")
    codes = [client.post("/account/password", data={
        "current_password": f"guess {i}", "password": "violet tractor under lanterns",
        "confirm": "violet tractor under lanterns", "csrf_token": token}).status_code
        for i in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429
    codes = [client.post("/account/delete", data={"password": f"guess {i}", "confirm": "y",
                                                  "csrf_token": token}).status_code
             for i in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429
