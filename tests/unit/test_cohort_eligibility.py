"""The cohort certificate rule in words (pure: the fixture course, a progress
status and an attendance rate)."""

from pathlib import Path

import pytest

from app.cohorts.attendance import Rate
from app.cohorts.eligibility import attendance_reason, course_reasons, reasons
from app.courses import progress
from app.courses.loader import load_catalogue

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "courses"


@pytest.fixture(scope="module")
def course():
    return load_catalogue(ROOT, ("en", "fr")).get("field-basics")


def status(course, lessons=(), quizzes=()):
    return progress.status(course, set(lessons), set(quizzes))


def test_nothing_done_yet(course):
    assert course_reasons(course, status(course), completed=False) == [
        "has not started the course"]


def test_several_modules_missing_are_named_in_one_reason(course):
    first = course.lesson_keys[0]
    assert course_reasons(course, status(course, [first]), completed=False) == [
        "modules not passed: ‘Counting people’, ‘Data sources’", "final exam not passed"]


def test_only_what_is_missing_is_listed(course):
    counting = [k for k in course.lesson_keys if k.startswith("counting/")]
    done = status(course, counting, {"counting", "final"})
    assert course_reasons(course, done, completed=False) == [
        "module ‘Data sources’ not passed"]
    # The module's lessons done but its knowledge check not passed still counts as missing.
    assert course_reasons(course, status(course, course.lesson_keys, {"counting", "final"}),
                          completed=False) == ["module ‘Data sources’ not passed"]


def test_many_missing_modules_are_counted(course, monkeypatch):
    from app.cohorts import eligibility

    monkeypatch.setattr(eligibility, "MAX_NAMED", 1)
    assert course_reasons(course, status(course, [course.lesson_keys[0]]), completed=False) == [
        "2 of 2 modules not passed", "final exam not passed"]


def test_module_titles_follow_the_language(course):
    found = course_reasons(course, status(course, [course.lesson_keys[0]]), completed=False,
                           language="fr")
    assert found[0] == "modules not passed: ‘Compter les personnes’, ‘Data sources’"


def test_not_started_and_completed(course):
    assert course_reasons(course, None, completed=False) == ["has not started the course"]
    assert course_reasons(course, status(course), completed=True) == []
    # Every step done but completion not recorded (content changed meanwhile).
    assert course_reasons(course, status(course, course.lesson_keys, course.required_quizzes),
                          completed=False) == ["the course is not completed"]


def test_attendance_reason():
    assert attendance_reason(Rate(3, 2, 0), 75) == "attendance 60% < 75%"
    assert attendance_reason(Rate(3, 1, 0), 75) is None
    assert attendance_reason(Rate(0, 0, 0), 75) == "no attendance recorded yet (75% needed)"
    assert attendance_reason(Rate(0, 0, 0), 0) is None
    assert attendance_reason(Rate(0, 4, 0), 0) is None


def test_all_reasons_together(course):
    assert reasons(course, status(course, course.lesson_keys, {"counting", "sources"}),
                   Rate(3, 2, 1), 75, completed=False) == [
        "final exam not passed", "attendance 60% < 75%"]
    assert reasons(course, None, Rate(4, 0, 0), 75, completed=True) == []
