"""The in-memory course catalogue of the running application.

Loaded once when the application starts (and reused by every application in
the same process while the files are unchanged), so that a lesson page needs
no content query and no Markdown rendering at request time.
"""

import logging
from pathlib import Path

from flask import current_app

from app.core.errors import NotFound
from app.courses.loader import Catalogue, Course, Lesson, Quiz, content_hash, course_folders
from app.courses.loader import load_catalogue as _load

log = logging.getLogger(__name__)
_CACHE: dict[tuple, Catalogue] = {}


def load(root: Path, languages) -> Catalogue:
    signature = (str(root), tuple(languages),
                 tuple((f.name, content_hash(f)) for f in course_folders(Path(root))))
    if signature not in _CACHE:
        catalogue = _load(Path(root), tuple(languages))
        if catalogue.problems:
            log.error("%d course content problem(s): some courses are not served. "
                      "Run `flask --app app courses validate` to see them.",
                      len(catalogue.problems))
        _CACHE.clear()     # one catalogue per process is enough
        _CACHE[signature] = catalogue
    return _CACHE[signature]


def init_app(app) -> None:
    app.extensions["catalogue"] = load(app.config["COURSES_DIR"], app.config["LANGUAGES"])


def catalogue() -> Catalogue:
    return current_app.extensions["catalogue"]


def course_or_404(slug: str) -> Course:
    course = catalogue().get(slug)
    if course is None:
        raise NotFound()
    return course


def lesson_or_404(course: Course, language: str, module: str, lesson: str) -> Lesson:
    found = course.edition(language).lesson(f"{module}/{lesson}")
    if found is None:
        raise NotFound()
    return found


def quiz_or_404(course: Course, language: str, slug: str) -> Quiz:
    quiz = course.edition(language).quiz(slug)
    if quiz is None:
        raise NotFound()
    return quiz
