"""Flask sub-commands. Each feature owns its group; this module attaches them.

    flask --app app users create-admin | set-role EMAIL ROLE
    flask --app app seed-demo
    flask --app app plans export ASSESSMENT_ID --format pdf|docx|md|xlsx|csv -o FILE
"""

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from app.core.errors import DomainError
from app.extensions import db

users = AppGroup("users", help="Manage accounts and roles.")


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@users.command("create-admin")
@click.option("--email", prompt=True, help="E-mail address of the administrator.")
@click.option("--name", "full_name", prompt="Full name", help="Full name.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Password (asked for when not given).")
def create_admin(email, full_name, password):
    """Create a verified administrator account."""
    from app.auth import services

    try:
        user = services.create_user(email=email, full_name=full_name, password=password,
                                    role="admin")
    except DomainError as err:
        db.session.rollback()
        fail(str(err.message))
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")


@users.command("set-role")
@click.argument("email")
@click.argument("role")
def set_role(email, role):
    """Give the account EMAIL the role ROLE (learner, trainer, focal_point, admin)."""
    from app.auth import services

    user = services.find_by_email(email)
    if user is None or user.deleted_at is not None:
        fail(f"no account with the e-mail address {email}")
    try:
        services.set_role(None, user, role)
    except DomainError as err:
        db.session.rollback()
        fail(str(err.message))
    db.session.commit()
    click.echo(f"{user.email} is now {role}.")


@click.command("seed-demo")
def seed_demo():
    """Create the demo accounts and demo data (idempotent; refused in production)."""
    if current_app.config["ENV_NAME"] == "production":
        fail("seed-demo is refused under the production configuration.")
    from app import demo

    accounts = demo.seed()
    db.session.commit()
    click.echo("Demo accounts (passwords are in README.md):")
    for role, email in accounts.items():
        click.echo(f"  {role:<12} {email}")


def register(app) -> None:
    from app.assessments.cli import assessments_cli
    from app.assessments.plan.cli import plans_cli
    from app.certificates.cli import certificates_cli, worker
    from app.cohorts.cli import cohorts_cli
    from app.courses.cli import courses_cli

    app.cli.add_command(courses_cli)
    app.cli.add_command(assessments_cli)
    app.cli.add_command(plans_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(cohorts_cli)
    app.cli.add_command(worker)
    app.cli.add_command(users)
    app.cli.add_command(seed_demo)
