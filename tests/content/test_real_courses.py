"""The real courses in courses/: they load without a single problem and meet the
teaching rules of the course content issue. A broken course fails CI here."""

import re
from collections import Counter
from pathlib import Path

import pytest

from app.courses.loader import load_catalogue

ROOT = Path(__file__).resolve().parent.parent.parent
LANGUAGES = ("en", "fr", "es", "ar")
EXPECTED = {
    # slug: (minimum modules, minimum words of lesson text, languages)
    "migration-statistics": (6, 12_000, ("en",)),
    "protecting-migrants-data": (5, 9_000, ("en",)),
    "national-migration-data-plan": (3, 4_000, ("en", "fr")),
}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(ROOT / "courses", LANGUAGES)


def test_every_course_loads_without_problems(catalogue):
    assert [str(p) for p in catalogue.problems] == []
    assert set(EXPECTED) <= set(catalogue.courses)


@pytest.mark.parametrize("slug", EXPECTED)
def test_course_size_level_and_audience(catalogue, slug):
    modules, words, languages = EXPECTED[slug]
    course = catalogue.get(slug)
    edition = course.default
    assert len(edition.modules) >= modules
    assert sum(lesson.words for lesson in edition.lessons) >= words
    assert course.languages == languages
    assert course.pass_mark == 70 and course.estimated_hours > 0
    assert course.level and edition.audience


@pytest.mark.parametrize("slug", EXPECTED)
def test_every_lesson_teaches_with_objectives_an_example_takeaways_and_sources(catalogue, slug):
    course = catalogue.get(slug)
    for language in course.languages:
        for lesson in course.edition(language).lessons:
            where = f"{slug}/{lesson.key} ({language})"
            assert lesson.language == language, f"{where}: no {language} version"
            assert lesson.objectives and lesson.takeaways, where
            assert lesson.sources and all(s.url.startswith("http") for s in lesson.sources), where
            assert 'class="admonition example"' in lesson.html, f"{where}: no worked example"
            assert "<img" not in lesson.html or re.search(r'<img alt="[^"]+"', lesson.html)


@pytest.mark.parametrize("slug", EXPECTED)
def test_quizzes_cover_every_module_and_objective(catalogue, slug):
    course = catalogue.get(slug)
    for language in course.languages:
        edition = course.edition(language)
        for module in edition.modules:
            quiz = module.quiz
            assert quiz is not None and quiz.language == language, f"{module.slug}: no check"
            assert len(quiz.questions) >= 6, module.slug
            assert len({q.type for q in quiz.questions}) >= 3, module.slug
        final = edition.final
        assert final is not None and final.language == language
        assert len(final.questions) >= 20 and final.pass_mark == 70
        per_objective = Counter(q.objective for quiz in edition.quizzes for q in quiz.questions)
        for objective in edition.objectives:
            assert per_objective[objective.id] >= 3, f"{slug}: objective {objective.id}"
        for quiz in edition.quizzes:
            for question in quiz.questions:
                assert len(question.explanation_html) > 40, f"{quiz.slug}/{question.id}"


def test_final_exams_test_every_module(catalogue):
    """Each module's objectives appear in its course's final exam."""
    for slug in EXPECTED:
        edition = catalogue.get(slug).default
        final_objectives = {q.objective for q in edition.final.questions}
        module_objectives = {q.objective for m in edition.modules for q in m.quiz.questions}
        assert module_objectives <= final_objectives, slug


def test_at_least_120_questions_in_all(catalogue):
    total = sum(len(q.questions) for slug in EXPECTED
                for q in catalogue.get(slug).default.quizzes)
    assert total >= 120


def test_planning_course_names_the_self_assessment_feature(catalogue):
    edition = catalogue.get("national-migration-data-plan").default
    text = " ".join(lesson.html for lesson in edition.lessons)
    assert "Country data-needs self-assessment" in text
