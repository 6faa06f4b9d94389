"""flask --app app cohorts list [--format json|table]."""

import json

import click
from flask.cli import AppGroup

from app.cohorts import services

cohorts_cli = AppGroup("cohorts", help="Workshop cohorts.")


@cohorts_cli.command("list")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
def list_(fmt):
    """Every cohort with its counts, the most recent first."""
    rows = [s.as_json() for s in services.summaries()]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']:>4}  {row['course']:<30} {row['name']}  "
                   f"[{row['learners']} learners, {row['sessions']} sessions, "
                   f"{row['attendance_marks']} marks, {row['certificates_issued']} certificates; "
                   f"trainers: {', '.join(row['trainer_names'])}]")
