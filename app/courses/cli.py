"""flask --app app courses validate|import|report [PATH]"""

import sys
from collections import Counter
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.courses.loader import course_folders, load_catalogue

courses_cli = AppGroup("courses", help="Course content: validate, import, report.")


def _load(path):
    root = Path(path) if path else Path(current_app.config["COURSES_DIR"])
    if not root.exists():
        click.echo(f"Error: {root} does not exist", err=True)
        sys.exit(1)
    catalogue = load_catalogue(root, tuple(current_app.config["LANGUAGES"]))
    for problem in catalogue.problems:
        click.echo(str(problem), err=True)
    return root, catalogue


@courses_cli.command("validate")
@click.argument("path", required=False)
def validate(path):
    """Check course files; print file:line problems; exit 1 if there are any."""
    root, catalogue = _load(path)
    for course in catalogue:
        click.echo(f"ok  {course.slug}  ({len(course.default.lessons)} lessons, "
                   f"{sum(len(q.questions) for q in course.default.quizzes)} questions)")
    if catalogue.problems:
        bad = len(course_folders(root)) - len(catalogue.courses)
        click.echo(f"{len(catalogue.problems)} problem(s) in {bad} course(s).", err=True)
        sys.exit(1)


@courses_cli.command("import")
@click.argument("path", required=False)
def import_(path):
    """Validate, then record each course version in the database.
    Nothing is recorded if any course has a problem."""
    from app.courses import services
    from app.extensions import db

    _, catalogue = _load(path)
    if catalogue.problems:
        click.echo("Nothing imported: fix the problems above first.", err=True)
        sys.exit(1)
    for course in catalogue:
        created = services.record_version(course)
        click.echo(f"{'new ' if created else 'same'}  {course.slug}  "
                   f"{course.version or '-'}  {course.content_hash[:12]}")
    db.session.commit()
    if path is None or Path(path).resolve() == Path(current_app.config["COURSES_DIR"]).resolve():
        click.echo("(A web server that is already running serves new versions after a restart.)")


@courses_cli.command("report")
@click.argument("path", required=False)
def report(path):
    """Per course: modules, lessons, words, questions by type, languages."""
    _, catalogue = _load(path)
    for course in catalogue:
        edition = course.default
        types = Counter(q.type for quiz in edition.quizzes for q in quiz.questions)
        objectives = Counter(q.objective for quiz in edition.quizzes for q in quiz.questions)
        click.echo(f"{course.slug}: {edition.title}")
        click.echo(f"  level {course.level}, {course.estimated_hours:g} hours, "
                   f"languages: {', '.join(course.languages)}")
        click.echo(f"  modules {len(edition.modules)}, lessons {len(edition.lessons)}, "
                   f"words {sum(lesson.words for lesson in edition.lessons)}")
        for lang in course.languages[1:]:
            translated = course.edition(lang)
            click.echo(f"  words ({lang}) {sum(lesson.words for lesson in translated.lessons)}")
        click.echo(f"  questions {sum(types.values())}: "
                   + ", ".join(f"{t} {n}" for t, n in sorted(types.items())))
        click.echo("  quizzes: " + ", ".join(f"{q.slug} {len(q.questions)}"
                                             for q in edition.quizzes))
        click.echo("  questions per objective: "
                   + ", ".join(f"{o.id} {objectives.get(o.id, 0)}" for o in edition.objectives))
    if catalogue.problems:
        sys.exit(1)
