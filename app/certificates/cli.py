"""flask --app app certificates list|export|revoke|rotate-key, and flask worker."""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.certificates import ids, keys, services
from app.core.errors import DomainError
from app.extensions import db

certificates_cli = AppGroup("certificates", help="Issued certificates.")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@certificates_cli.command("list")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
def list_(fmt):
    """All certificates, newest first."""
    rows = [{"id": ids.grouped(c.public_id), "verify_url": services.verify_url(c),
             "learner": c.learner_name, "course": c.course_title,
             "issued_at": c.issued_at.isoformat(), "status": services.status(c)}
            for c in services.listing()]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['id']}  {row['status']:<10}  {row['issued_at'][:10]}  "
                   f"{row['learner']} — {row['course']}")


@certificates_cli.command("export")
@click.argument("public_id")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Where to write the PDF.")
def export(public_id, output):
    """Write the PDF of certificate PUBLIC_ID to a file."""
    cert = services.find(public_id)
    if cert is None:
        _fail(f"no certificate {public_id}")
    try:
        data = services.pdf_file(cert).read_bytes()
    except DomainError:
        _fail("this certificate has no stored PDF (its holder deleted their account)")
    Path(output).write_bytes(data)
    from app.core import audit

    audit.record("certificates.exported", subject=f"certificate:{cert.public_id}", via="cli")
    db.session.commit()
    click.echo(f"Wrote {output}", err=True)


@certificates_cli.command("revoke")
@click.argument("public_id")
@click.option("--reason", required=True, help="Shown publicly on the verification page.")
def revoke(public_id, reason):
    """Revoke certificate PUBLIC_ID."""
    cert = services.find(public_id)
    if cert is None:
        _fail(f"no certificate {public_id}")
    try:
        services.revoke(None, cert, reason)
    except DomainError as err:
        db.session.rollback()
        _fail(str(err.message))
    db.session.commit()
    click.echo(f"Revoked {ids.grouped(cert.public_id)}.")


@certificates_cli.command("rotate-key")
def rotate_key():
    """Retire the signing key (still published for verification) and create a new one.
    Restart the web server afterwards."""
    try:
        kid = keys.rotate()
    except RuntimeError as err:
        _fail(str(err))
    click.echo(f"New signing key {kid}. Restart the web server to use it.")


@click.command("worker")
def worker():
    """Run a background-job worker (needs REDIS_URL)."""
    from redis import Redis
    from rq import Worker

    from app.core.jobs import QUEUE

    url = current_app.config.get("REDIS_URL")
    if not url:
        _fail("REDIS_URL is not set: without Redis, jobs run inside the web server.")
    Worker([QUEUE], connection=Redis.from_url(url)).work()
