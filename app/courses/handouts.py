"""Printable PDF handouts of a course or a module: rendered once per course
version and language, then served from the cache folder."""

import fcntl
import os
import re
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from app.core.errors import NotFound
from app.core.pdf import render_pdf
from app.courses.loader import Course, Lesson


def cache_dir() -> Path:
    folder = Path(current_app.config.get("HANDOUT_CACHE_DIR")
                  or Path(current_app.instance_path) / "cache" / "handouts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def handout_path(course: Course, language: str, module_slug: str | None = None) -> Path:
    edition = course.edition(language)
    module = None
    if module_slug is not None:
        module = edition.module(module_slug)
        if module is None:
            raise NotFound()
    suffix = f"-{module.slug}" if module else ""
    path = cache_dir() / f"{course.slug}-{course.content_hash[:12]}-{edition.language}{suffix}.pdf"
    if path.exists():
        return path
    # One renderer at a time per file, across threads and worker processes.
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            pdf = _render(course, edition, module)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pdf)
            os.replace(tmp, path)
    return path


def _render(course, edition, module) -> bytes:
    modules = [module] if module else list(edition.modules)
    media_dir = (course.folder / "media").resolve()
    with force_locale(edition.language):
        html = render_template(
            "courses/handout.html", course=course, edition=edition, modules=modules,
            whole=module is None,
            lesson_html=lambda lesson: _print_html(lesson, media_dir.as_uri() + "/"))
    return render_pdf(html, extra_roots=(media_dir,))


def _print_html(lesson: Lesson, media_uri: str) -> str:
    """Lessons are rendered separately, so their heading and footnote ids can
    collide in one document: prefix them with the lesson's place. Images point
    at the course's media folder on disk."""
    prefix = f"{lesson.module_slug}--{lesson.slug}--"
    html = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', lesson.html)
    html = re.sub(r'href="#([^"]+)"', lambda m: (
        f'href="#{m.group(1)}"' if m.group(1).startswith("term-")
        else f'href="#{prefix}{m.group(1)}"'), html)
    return html.replace(f'src="/courses/{lesson.course_slug}/media/', f'src="{media_uri}')
