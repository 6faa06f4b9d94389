"""Filtering the catalogue (pure): by words, topic, level and language."""

from app.courses.loader import Course
from app.quizzes.question_types import normalise_text


def filter_courses(courses: list[Course], *, q: str = "", topic: str = "", level: str = "",
                   language: str = "") -> list[Course]:
    words = normalise_text(q).split()
    result = []
    for course in courses:
        if topic and topic not in course.topics:
            continue
        if level and course.level != level:
            continue
        if language and language not in course.languages:
            continue
        if words:
            haystack = normalise_text(course.search_text())
            if not all(w in haystack for w in words):
                continue
        result.append(course)
    return result
