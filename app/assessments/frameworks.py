"""The in-memory framework library of the running application.

Loaded once when the application starts (and reused by every application in
the same process while the files are unchanged), so that a questionnaire page
needs no content query and no Markdown rendering at request time.
"""

import logging
from pathlib import Path

from flask import current_app

from app.assessments.loader import Framework, Library, framework_folders, load_library
from app.core.errors import NotFound
from app.courses.loader import content_hash

log = logging.getLogger(__name__)
_CACHE: dict[tuple, Library] = {}


def known_modules(app) -> frozenset[str]:
    """Course modules that frameworks may point to: those of the loaded course
    catalogue, plus module folders on disk (so a course being edited does not
    make every framework invalid)."""
    paths = set()
    catalogue = app.extensions.get("catalogue")
    if catalogue is not None:
        paths |= {f"{c.slug}/{m.slug}" for c in catalogue for m in c.default.modules}
    root = Path(app.config["COURSES_DIR"])
    if root.is_dir():
        paths |= {f"{m.parent.parent.name}/{m.name}" for m in root.glob("*/modules/*")
                  if m.is_dir()}
    return frozenset(paths)


def load(root: Path, languages, modules: frozenset[str] | None) -> Library:
    signature = (str(root), tuple(languages), modules,
                 tuple((f.name, content_hash(f)) for f in framework_folders(Path(root))))
    if signature not in _CACHE:
        library = load_library(Path(root), tuple(languages), modules)
        if library.problems:
            log.error("%d self-assessment framework problem(s): some frameworks are not "
                      "served. Run `flask --app app assessments validate` to see them.",
                      len(library.problems))
        _CACHE.clear()
        _CACHE[signature] = library
    return _CACHE[signature]


def init_app(app) -> None:
    app.extensions["assessment_frameworks"] = load(
        app.config["ASSESSMENTS_DIR"], app.config["LANGUAGES"], known_modules(app))


def library() -> Library:
    return current_app.extensions["assessment_frameworks"]


def framework_or_404(slug: str) -> Framework:
    framework = library().get(slug)
    if framework is None:
        raise NotFound()
    return framework
