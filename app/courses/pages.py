"""The unchanging part of a lesson page, rendered once per lesson and interface
language and then reused: the lesson page is the platform's hottest page, and
everything in it but the reader's own state is the same for every reader."""

from flask import render_template
from markupsafe import Markup

from app.courses.loader import Lesson

# (id of the lesson object, interface language) -> (the lesson, its rendered body).
# The lesson is kept with its body so a reused id can never return another lesson's.
_BODIES: dict[tuple[int, str], tuple[Lesson, Markup]] = {}


def lesson_body(lesson: Lesson, interface_language: str) -> Markup:
    key = (id(lesson), interface_language)
    cached = _BODIES.get(key)
    if cached is None or cached[0] is not lesson:
        # Autoescaped template output: safe to mark as such.
        html = render_template("courses/_lesson_body.html", lesson=lesson)
        cached = (lesson, Markup(html))  # noqa: S704
        _BODIES[key] = cached
    return cached[1]
