"""A visitor registers, confirms the e-mail from the outbox, signs in, switches
to French and downloads their data; the pages pass axe-core checks."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import outbox_messages

pytestmark = pytest.mark.browser
PASSWORD = "violet tractor under sixteen lanterns"


def _verification_link(live_app):
    for msg in outbox_messages(live_app):
        match = re.search(r"https?://\S+/auth/verify/\S+", msg.get_content())
        if match:
            return match.group(0)
    raise AssertionError("no verification e-mail in the outbox")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_register_verify_sign_in_switch_language_download(new_page, live_app, javascript):
    page = new_page(javascript=javascript)
    page.goto("/")
    page.get_by_role("link", name="Create a free account").click()
    page.get_by_label("E-mail address").fill("amal@example.org")
    page.get_by_label("Full name").fill("Amal Benali")
    page.get_by_label("Organisation").fill("Haut-Commissariat au Plan")
    page.get_by_label("Country").select_option("MA")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label(re.compile("I have read the privacy notice")).check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    page.goto(urlsplit(_verification_link(live_app)).path)
    assert "Your e-mail address is confirmed" in page.content()
    sign_in(page, "amal@example.org", PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("Welcome, Amal Benali"))).to_be_visible()

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.get_by_role("heading", name=re.compile("Bienvenue"))).to_be_visible()

    page.get_by_role("link", name="Mon compte").first.click()
    page.get_by_role("link", name=re.compile("Mes données")).click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger mes données").click()
    data = json.loads(Path(info.value.path()).read_text())
    assert data["data"]["account"]["email"] == "amal@example.org"
    assert data["data"]["account"]["language"] == "fr"


@pytest.mark.parametrize("width", [360, 1280])
def test_public_and_account_pages_are_accessible(new_page, make_user, width):
    make_user(email="a11y@example.org")
    page = new_page(width=width, axe=True)
    for url in ["/", "/auth/login", "/auth/register", "/privacy", "/courses/"]:
        page.goto(url)
        assert_accessible(page, url)
        # Nothing wider than the screen on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, url
    sign_in(page, "a11y@example.org", "correct horse battery staple 42")
    for url in ["/home", "/account/", "/account/data", "/courses/mine"]:
        page.goto(url)
        assert_accessible(page, url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, url


def test_keyboard_users_can_skip_to_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0
