"""flask --app app assessments validate|import|list"""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.assessments.frameworks import known_modules
from app.assessments.loader import framework_folders, load_library

assessments_cli = AppGroup("assessments", help="Self-assessment frameworks and rounds.")


def _load(path):
    root = Path(path) if path else Path(current_app.config["ASSESSMENTS_DIR"])
    if not root.exists():
        click.echo(f"Error: {root} does not exist", err=True)
        sys.exit(1)
    library = load_library(root, tuple(current_app.config["LANGUAGES"]),
                           known_modules(current_app))
    for problem in library.problems:
        click.echo(str(problem), err=True)
    return root, library


@assessments_cli.command("validate")
@click.argument("path", required=False)
def validate(path):
    """Check framework files; print file:line problems; exit 1 if there are any."""
    root, library = _load(path)
    for fw in library:
        click.echo(f"ok  {fw.slug}  {fw.version}  ({len(fw.domains)} domains, "
                   f"{len(fw.default.questions)} questions, languages: "
                   f"{', '.join(fw.languages)})")
    if library.problems:
        bad = len(framework_folders(root)) - len(library.frameworks)
        click.echo(f"{len(library.problems)} problem(s) in {bad} framework(s).", err=True)
        sys.exit(1)
    if not library.frameworks:
        click.echo(f"No framework found in {root}.", err=True)
        sys.exit(1)


@assessments_cli.command("import")
@click.argument("path", required=False)
def import_(path):
    """Validate, then record each framework version in the database.
    Nothing is recorded if any framework has a problem."""
    from app.assessments import services
    from app.extensions import db

    _, library = _load(path)
    if library.problems or not library.frameworks:
        click.echo("Nothing imported: fix the problems above first.", err=True)
        sys.exit(1)
    for fw in library:
        created = services.record_version(fw)
        click.echo(f"{'new ' if created else 'same'}  {fw.slug}  {fw.version}  "
                   f"{fw.content_hash[:12]}")
    db.session.commit()
    if path is None or Path(path).resolve() == Path(
            current_app.config["ASSESSMENTS_DIR"]).resolve():
        click.echo("(A web server that is already running serves new versions after a restart.)")


@assessments_cli.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: a list of {id, country, round, framework, status, "
                                      "institutions, domain_scores} on standard output.")
def list_(fmt):
    """Every round, with the number of institutions that answered and the domain scores."""
    from app.assessments import services

    rows = services.listing()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        scored = [v for v in r["domain_scores"].values() if v is not None]
        click.echo(f"{r['id']:>4}  {r['country']}  {r['round']:<8} {r['framework']:<20} "
                   f"{r['status']:<10} institutions: {r['institutions']}, "
                   f"domains scored: {len(scored)}/{len(r['domain_scores'])}")
