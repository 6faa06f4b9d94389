from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.core.models import AuditEvent
from app.extensions import db
from tests.conftest import PASSWORD, last_link, login, outbox_messages

GOOD = {
    "email": "New.Person@Example.org",
    "full_name": "Nouvelle Personne",
    "organisation": "Institut national de la statistique",
    "country": "SN",
    "locale": "fr",
    "password": "violet tractor under sixteen lanterns",
    "confirm": "violet tractor under sixteen lanterns",
    "consent": "y",
}


def count_users(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def get_user(app, email):
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def test_register_verify_and_sign_in(app, client):
    response = client.post("/auth/register", data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/check-email")
    user = get_user(app, "new.person@example.org")
    assert user is not None and not user.is_verified
    assert user.country == "SN" and user.locale == "fr" and user.consent_at is not None
    assert user.password_hash.startswith("scrypt:")

    # Unverified: signing in is refused and a new link is sent.
    response = login(client, GOOD["email"], GOOD["password"])
    assert response.status_code == 400
    assert len(outbox_messages(app)) == 2

    link = last_link(app, "new.person@example.org", "/auth/verify/")
    assert link.startswith("http://localhost/auth/verify/")
    response = client.get(urlsplit(link).path)
    assert response.status_code == 302
    assert get_user(app, "new.person@example.org").is_verified

    response = login(client, GOOD["email"], GOOD["password"])
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    assert client.get("/home").status_code == 200


@pytest.mark.parametrize("field,value,message", [
    ("email", "not-an-email", "valid e-mail"),
    ("email", "a" * 250 + "@example.org", "at most 254"),
    ("full_name", "", "full name"),
    ("full_name", "x" * 201, "at most 200"),
    ("full_name", "Tab\tName", "control characters"),
    ("password", "short", "at least 12"),
    ("password", "password1234", "too common"),
    ("confirm", "something else entirely", "not the same"),
    ("consent", "", "privacy notice"),
    ("country", "XX", "Not a valid choice"),
    ("locale", "de", "Not a valid choice"),
])
def test_register_rejects_bad_input_and_creates_nothing(app, client, field, value, message):
    data = dict(GOOD, **{field: value})
    if field == "password":
        data["confirm"] = value
    response = client.post("/auth/register", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count_users(app) == 0
    assert outbox_messages(app) == []


def test_names_with_html_are_stored_as_typed_and_shown_escaped(app, client):
    name = '<script>alert("x")</script> Ñandú ﷽'
    client.post("/auth/register", data=dict(GOOD, full_name=name))
    user = get_user(app, "new.person@example.org")
    assert user.full_name == name
    with app.app_context():
        db.session.get(User, user.id).email_verified_at = user.created_at
        db.session.commit()
    login(client, GOOD["email"], GOOD["password"])
    html = client.get("/home").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Ñandú ﷽" in html


def test_registering_an_existing_address_reveals_nothing(app, client, make_user):
    make_user(email="taken@example.org")
    response = client.post("/auth/register", data=dict(GOOD, email="Taken@example.org"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/check-email")
    assert count_users(app) == 1
    [message] = outbox_messages(app)
    assert message["To"] == "taken@example.org"
    assert "already has one" in message.get_content()


def test_failed_sign_in_says_the_same_for_unknown_address_and_wrong_password(
        app, client, make_user):
    make_user(email="known@example.org")
    unknown = login(client, "nobody@example.org", PASSWORD).get_data(as_text=True)
    wrong = login(client, "known@example.org", "wrong password here").get_data(as_text=True)
    message = "The e-mail address or password is not correct."
    assert message in unknown and message in wrong
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "auth.login_failed")).all()
        assert len(events) == 2
        # The audit log keeps a keyed fingerprint, never the typed address.
        assert all("nobody" not in str(e.details) for e in events)


def test_deactivated_account_cannot_sign_in(app, client, make_user):
    uid = make_user(email="gone@example.org")
    with app.app_context():
        db.session.get(User, uid).active = False
        db.session.commit()
    assert login(client, "gone@example.org").status_code == 400


def test_remember_me_sets_a_long_lived_cookie(client, make_user):
    make_user(email="stay@example.org")
    response = login(client, "stay@example.org", remember="y")
    assert any(c.startswith("remember_token=") and "HttpOnly" in c
               for c in response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("next_url,expected", [
    ("/account/", "/account/"),
    ("https://evil.example/phish", "/home"),
    ("//evil.example", "/home"),
])
def test_next_only_redirects_to_local_paths(client, make_user, next_url, expected):
    make_user(email="nav@example.org")
    response = login(client, "nav@example.org", next=next_url)
    assert response.headers["Location"] == expected


def test_sign_out_needs_post(client, login_as):
    login_as()
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/home").status_code == 302


def test_password_reset_link_works_once(app, client, make_user):
    make_user(email="forgot@example.org")
    response = client.post("/auth/forgot", data={"email": "forgot@example.org"})
    assert response.status_code == 302
    link = urlsplit(last_link(app, "forgot@example.org", "/auth/reset/")).path
    new = "another quiet river of forty stones"
    response = client.post(link, data={"password": new, "confirm": new})
    assert response.status_code == 302
    assert login(client, "forgot@example.org", new).status_code == 302
    client.post("/auth/logout")
    # Second use of the same link is refused.
    response = client.post(link, data={"password": PASSWORD + "x", "confirm": PASSWORD + "x"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/forgot")
    assert login(client, "forgot@example.org", new).status_code == 302


def test_password_reset_for_unknown_address_answers_the_same(app, client):
    response = client.post("/auth/forgot", data={"email": "nobody@example.org"})
    assert response.status_code == 302
    assert outbox_messages(app) == []


def test_reset_link_expires(app, client, make_user, monkeypatch):
    make_user(email="late@example.org")
    client.post("/auth/forgot", data={"email": "late@example.org"})
    link = urlsplit(last_link(app, "late@example.org", "/auth/reset/")).path
    monkeypatch.setitem(app.config, "RESET_TOKEN_MAX_AGE", -1)
    response = client.get(link)
    assert response.status_code == 302
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "expired" in follow


def test_tampered_reset_link_is_refused(client):
    response = client.get("/auth/reset/not-a-real-token")
    assert response.status_code == 302


def test_profile_update_and_validation(app, client, login_as):
    uid = login_as()
    response = client.post("/account/", data={"full_name": "Fatou Ndiaye", "organisation": "ANSD",
                                              "country": "SN", "locale": "fr"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, uid)
        assert (user.full_name, user.country, user.locale) == ("Fatou Ndiaye", "SN", "fr")
    response = client.post("/account/", data={"full_name": "", "country": "SN", "locale": "fr"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, uid).full_name == "Fatou Ndiaye"


def test_changing_password_signs_out_other_sessions(app, make_user):
    make_user(email="two@example.org")
    first, second = app.test_client(), app.test_client()
    login(first, "two@example.org")
    login(second, "two@example.org")
    new = "seven purple elephants dance slowly"
    response = first.post("/account/password", data={
        "current_password": "wrong one", "password": new, "confirm": new})
    assert response.status_code == 400
    response = first.post("/account/password", data={
        "current_password": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert first.get("/home").status_code == 200          # this browser stays signed in
    assert second.get("/home").status_code == 302         # the other one is signed out


def test_pages_need_sign_in(client):
    for url in ["/home", "/account/", "/account/password", "/account/data"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login?next=")
