"""A learner enrols, reads the lessons, fails then passes a knowledge check,
passes the final exam and sees the course completed with its certificate;
with JavaScript and without."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
COURSE = "/courses/field-basics/"


def answer_counting_check(page, *, right: bool):
    page.locator("#q-stock-or-flow").get_by_label("A stock" if right else "A flow").check()
    page.locator("#q-twelve-months").get_by_label("True").check()
    page.locator("#q-rate input").fill("50" if right else "12,5")
    page.get_by_role("button", name="Submit my answers").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_learner_completes_a_course(new_page, make_user, javascript):
    make_user(email="reader@example.org", full_name="Rania Reader")
    page = new_page(javascript=javascript)
    sign_in(page, "reader@example.org", PASSWORD)
    page.goto(COURSE)
    page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_role("heading", level=1, name="Usual residence")).to_be_visible()

    # Lessons of the first module, marked as done one after the other.
    page.get_by_role("button", name=re.compile("Mark as done")).click()
    expect(page.get_by_role("heading", level=1, name="Stocks and flows")).to_be_visible()
    page.get_by_role("button", name=re.compile("Mark as done")).click()
    page.get_by_role("link", name="Take the knowledge check for this module").click()

    # A wrong answer fails the check; the explanation teaches; the second try passes.
    answer_counting_check(page, right=False)
    expect(page.get_by_text("Not passed yet.")).to_be_visible()
    expect(page.get_by_text("It is counted at one point in time")).to_be_visible()
    page.get_by_role("link", name="Try again").click()
    answer_counting_check(page, right=True)
    expect(page.get_by_text("Passed.")).to_be_visible()

    # Second module: one lesson and its check.
    page.goto(COURSE)
    page.get_by_role("link", name="The census").click()
    page.get_by_role("button", name=re.compile("Mark as done")).click()
    page.get_by_role("link", name="Take the knowledge check for this module").click()
    for option in ("Country of birth", "Citizenship", "Year of arrival"):
        page.get_by_label(option).check()
    page.locator("#q-name-source input").fill("Recensement")
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("Passed.")).to_be_visible()

    # The final exam completes the course.
    page.goto(COURSE)
    page.get_by_role("link", name="Go to the final exam").click()
    page.get_by_label("Arrivals in 2024").check()
    page.get_by_label("True").check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("You have completed this course.")).to_be_visible()

    page.goto(COURSE)
    expect(page.get_by_text("Completed", exact=True).first).to_be_visible()
    page.get_by_role("link", name="See my certificate").click()
    expect(page.get_by_role("heading", name="My certificates")).to_be_visible()
    expect(page.get_by_text("Field basics: counting people who move")).to_be_visible()


def test_course_pages_are_accessible(new_page, make_user):
    make_user(email="a11y-course@example.org")
    page = new_page(axe=True, width=360)
    sign_in(page, "a11y-course@example.org", PASSWORD)
    page.goto(COURSE)
    assert_accessible(page, "overview (visitor enrolled? no)")
    page.get_by_role("button", name="Enrol in this course").click()
    assert_accessible(page, "lesson")
    page.goto("/courses/field-basics/quizzes/counting")
    assert_accessible(page, "quiz")
    answer_counting_check(page, right=False)
    assert_accessible(page, "quiz result")
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
