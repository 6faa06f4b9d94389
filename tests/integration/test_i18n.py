from app.auth.models import User
from app.extensions import db


def test_browser_language_is_used_for_visitors(client):
    html = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="fr"' in html and "Créer un compte gratuit" in html


def test_switcher_sets_a_cookie_for_visitors(client):
    response = client.post("/language", data={"lang": "fr", "next": "/privacy"})
    assert response.status_code == 302 and response.headers["Location"] == "/privacy"
    assert "Avis de confidentialité" in client.get("/privacy").get_data(as_text=True)


def test_switcher_ignores_unknown_languages_and_foreign_next(client):
    response = client.post("/language", data={"lang": "xx", "next": "https://evil.example"})
    assert response.headers["Location"] == "/"
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_profile_language_wins_over_browser_and_switcher_updates_it(app, client, login_as):
    uid = login_as("learner", locale="fr")
    html = client.get("/home", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr"' in html
    client.post("/language", data={"lang": "ar", "next": "/home"})
    html = client.get("/home").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in html
    with app.app_context():
        assert db.session.get(User, uid).locale == "ar"


def test_form_errors_are_translated(client):
    response = client.post("/auth/login", data={"email": "", "password": ""},
                           headers={"Accept-Language": "fr"})
    assert "Saisissez votre adresse e-mail." in response.get_data(as_text=True)


def test_english_content_keeps_its_direction_on_an_arabic_page(app, client, login_as):
    login_as("learner", locale="ar")
    client.post("/courses/field-basics/enrol")
    html = client.get("/courses/field-basics/counting/stocks-and-flows").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in html
    assert '<article class="lesson prose" lang="en" dir="ltr">' in html
