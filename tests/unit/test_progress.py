"""Progress rules (app/courses/progress.py), on the fixture course:
lessons counting/usual-residence, counting/stocks-and-flows, sources/census;
quizzes to pass: counting, sources, final."""

from pathlib import Path

import pytest

from app.courses.loader import load_catalogue
from app.courses.progress import Status, module_state, resume_key, status

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "courses"
UR, SF, CE = "counting/usual-residence", "counting/stocks-and-flows", "sources/census"
ALL_LESSONS = {UR, SF, CE}
ALL_QUIZZES = {"counting", "sources", "final"}


@pytest.fixture(scope="module")
def course():
    return load_catalogue(FIXTURES, ("en", "fr")).get("field-basics")


def test_status_of_a_new_learner(course):
    s = status(course, set(), set())
    assert s == Status(0, 3, 0, 3, (UR, SF, CE), ("counting", "sources", "final"))
    assert s.percent == 0 and not s.complete


def test_status_counts_lessons_and_quizzes_as_steps(course):
    s = status(course, {UR, SF}, {"counting"})
    assert (s.lessons_done, s.quizzes_passed) == (2, 1)
    assert s.missing_lessons == (CE,) and s.missing_quizzes == ("sources", "final")
    assert s.percent == 50 and not s.complete                 # 3 of 6 steps


def test_status_rounds_percent(course):
    assert status(course, {UR}, set()).percent == 17          # 1 of 6 = 16.7
    assert status(course, ALL_LESSONS, {"counting", "sources"}).percent == 83   # 5 of 6


def test_status_ignores_keys_no_longer_in_the_course(course):
    s = status(course, {"old-module/old-lesson", UR}, {"old-quiz"})
    assert s.lessons_done == 1 and s.quizzes_passed == 0


def test_complete_needs_every_lesson_and_every_quiz(course):
    assert status(course, ALL_LESSONS, ALL_QUIZZES).complete
    assert status(course, ALL_LESSONS, ALL_QUIZZES).percent == 100
    assert not status(course, ALL_LESSONS, {"counting", "sources"}).complete   # no final
    assert not status(course, {UR, SF}, ALL_QUIZZES).complete                  # a lesson left


def test_percent_of_nothing_is_zero():
    assert Status(0, 0, 0, 0, (), ()).percent == 0


@pytest.mark.parametrize("done,passed,state", [
    (set(), set(), "not_started"),
    ({UR}, set(), "in_progress"),
    ({UR, SF}, set(), "in_progress"),            # lessons done, check not passed
    (set(), {"counting"}, "in_progress"),        # check passed first
    ({UR, SF}, {"counting"}, "done"),
    ({CE, "other/lesson"}, {"sources"}, "not_started"),
])
def test_module_state_with_a_check(done, passed, state):
    assert module_state([UR, SF], done, "counting", passed) == state


def test_module_state_without_a_check():
    assert module_state([CE], {CE}, None, set()) == "done"
    assert module_state([CE], set(), None, {"sources"}) == "not_started"
    assert module_state([], set(), None, set()) == "not_started"


@pytest.mark.parametrize("done,last,expected", [
    (set(), None, UR),                  # never opened: the first lesson
    (set(), SF, SF),                    # the last lesson opened, not done yet
    ({UR, SF}, SF, CE),                 # last one done: the next not done
    ({SF, CE}, CE, UR),                 # …wrapping round to the start
    ({UR}, None, SF),                   # nothing opened: the first not done
    ({UR}, "old/lesson", SF),           # a lesson removed from the course
    (ALL_LESSONS, SF, SF),              # all done: where they were
    (ALL_LESSONS, None, UR),            # all done, nothing opened: the start
    (ALL_LESSONS, "old/lesson", UR),
])
def test_resume_key(course, done, last, expected):
    assert resume_key(course, done, last) == expected
