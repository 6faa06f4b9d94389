"""flask --app app plans export ASSESSMENT_ID --format pdf|docx|md|xlsx|csv -o FILE"""

import getpass
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

plans_cli = AppGroup("plans", help="National migration data plans of assessment rounds.")
FORMAT_NAMES = ("pdf", "docx", "md", "xlsx", "csv")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@plans_cli.command("export")
@click.argument("assessment_id")
@click.option("--format", "fmt", required=True,
              help="pdf, docx, md, xlsx (the action table and the other tables) or csv "
                   "(the action table).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The file to write.")
def export(assessment_id, fmt, output):
    """Write the plan of the round ASSESSMENT_ID (the id listed by
    `flask assessments list --format json`). A round without a plan gets one
    drafted first; an unfinished round's plan says what is incomplete."""
    from app.assessments.models import Round
    from app.assessments.plan.exports import export_round
    from app.extensions import db

    fmt = (fmt or "").lower()
    if fmt not in FORMAT_NAMES:
        _fail(f"unknown format {fmt!r}: use one of {', '.join(FORMAT_NAMES)}")
    if not assessment_id.isdigit():
        _fail(f"no assessment round with the id {assessment_id!r}")
    round_ = db.session.get(Round, int(assessment_id))
    if round_ is None:
        _fail(f"no assessment round with the id {assessment_id}")
    try:
        result = export_round(round_, fmt, actor=None, show_details=True, via="cli",
                              cli_user=_operator())
    except Exception as exc:        # any failure: report it, exit 1, nothing half-written
        db.session.rollback()
        _fail(str(exc) or exc.__class__.__name__)
    path = Path(output)
    try:
        path.write_bytes(result.data)
    except OSError as exc:
        db.session.rollback()
        _fail(f"cannot write {path}: {exc.strerror}")
    db.session.commit()
    state = "complete" if result.complete else "draft, incomplete"
    click.echo(f"Wrote {path} ({fmt}, {len(result.data)} bytes, {state}).")


def _operator() -> str:
    try:
        return getpass.getuser()
    except Exception:       # no user name in some containers
        return "unknown"
