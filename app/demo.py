"""Demo data for `flask --app app seed-demo`: fixed accounts (passwords in
README.md) and, feature by feature, enough data to show every page working.
Every step is idempotent: running it twice changes nothing."""

from sqlalchemy import select

from app.auth.models import User
from app.auth.services import create_user
from app.extensions import db

DEMO_PASSWORD_SUFFIX = "-Demo-2026"  # noqa: S105  (documented demo accounts)

DEMO_USERS = [
    # role, e-mail, full name, organisation, country, language
    ("learner", "learner@example.org", "Amina Diallo", "National Statistics Agency", "SN", "en"),
    ("trainer", "trainer@example.org", "Carlos Mendoza", "Regional Statistics Training Centre",
     "CO", "en"),
    ("focal_point", "focal@example.org", "Layla Haddad", "Ministry of Interior", "JO", "en"),
    ("admin", "admin@example.org", "Platform Administrator", "Migration Data Academy", None, "en"),
]


def demo_password(role: str) -> str:
    return role.replace("_", "-").title() + DEMO_PASSWORD_SUFFIX


def seed_users() -> dict[str, User]:
    users = {}
    for role, email, name, org, country, locale in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = create_user(email=email, full_name=name, password=demo_password(role),
                               role=role, organisation=org, country=country, locale=locale,
                               verified=True, check_password=False)
        users[role] = user
    return users


def seed() -> dict[str, str]:
    from app.assessments import demo as assessments_demo
    from app.certificates import demo as certificates_demo
    from app.cohorts import demo as cohorts_demo
    from app.courses import demo as courses_demo

    users = seed_users()
    courses_demo.seed(users)
    certificates_demo.seed(users)
    cohorts_demo.seed(users)
    extra = assessments_demo.seed(users)
    return {**{role: user.email for role, user in users.items()}, **extra}
