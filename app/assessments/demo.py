"""Demo data for `flask --app app seed-demo`: a country round answered by three
institutions, with some disagreements and consensus on most questions; then
the national data plan's demo (plan/demo.py: an earlier validated round and
both rounds' plans). Idempotent: what exists is not changed."""

import secrets

from sqlalchemy import select

from app.assessments import services
from app.assessments.answers import write_answer
from app.assessments.constants import (
    CONTRIBUTOR,
    DONT_KNOW,
    FACILITATOR,
    LEVEL,
    OBSERVER,
    OPEN,
)
from app.assessments.frameworks import library
from app.assessments.models import Consensus, Membership, Round
from app.assessments.rules import AnswerValues
from app.auth.models import User
from app.auth.services import create_user
from app.core.db import utcnow
from app.extensions import db

COUNTRY, LABEL, PREFERRED_FRAMEWORK = "JO", "2026", "migration-data"
ANSWERING = ("nso", "interior", "labour")
DEMO_PEOPLE = [
    # key, e-mail, full name, institution, role in the round, organisation
    ("facilitator", "facilitator@example.org", "Omar Khalil", "planning", FACILITATOR,
     "Ministry of Planning"),
    ("nso", "nso.contributor@example.org", "Rania Saleh", "nso", CONTRIBUTOR,
     "Department of Statistics"),
    ("interior", "interior.contributor@example.org", "Tariq Mansour", "interior", CONTRIBUTOR,
     "Ministry of Interior"),
    ("labour", "labour.contributor@example.org", "Huda Nasser", "labour", CONTRIBUTOR,
     "Ministry of Labour"),
]


def _person(email, name, organisation, password) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = create_user(email=email, full_name=name, password=password, role="learner",
                           organisation=organisation, country=COUNTRY, locale="en",
                           verified=True, check_password=False)
    return user


def _level(value: int) -> int:
    return max(0, min(4, value))


# A plausible national profile: a few strong domains, several clear gaps.
PROFILE = (2, 3, 2, 1, 2, 1, 3, 2, 1, 1)


def _answer(domain_index: int, index: int, institution: str) -> AnswerValues:
    """Plausible, fixed answers: the institutions mostly agree within one level;
    every fourth question the interior ministry sees things two levels higher."""
    base = _level(PROFILE[domain_index % len(PROFILE)] + (index % 3) - 1 + (index % 2))
    offset = {"nso": 0, "interior": 1 if index % 3 == 0 else 0,
              "labour": -1 if index % 2 else 0}[institution]
    if institution == "interior" and index % 4 == 2:
        offset = 2 if base <= 2 else -2
    if institution == "labour" and index % 6 == 5:
        return AnswerValues(response=DONT_KNOW, comment="Not our area; the NSO knows better.")
    level = _level(base + offset)
    links = (f"https://example.org/jo/evidence/{index + 1}",) if index % 2 == 0 else ()
    return AnswerValues(response=LEVEL, level=level, links=links,
                        note="Checked against the latest annual report." if links else "",
                        target_level=_level(level + 1), target_year=2028)


def seed(users: dict[str, User]) -> dict[str, str]:
    """Create the demo round if it does not exist yet; return the extra demo accounts."""
    from app.demo import demo_password

    people = {key: _person(email, name, org, demo_password(role))
              for key, email, name, _inst, role, org in DEMO_PEOPLE}
    accounts = {key: user.email for key, user in people.items()}
    framework = library().get(PREFERRED_FRAMEWORK) or next(iter(library()), None)
    focal = users.get("focal_point")
    if framework is not None and focal is not None and not db.session.scalar(
            select(Round.id).where(Round.country == COUNTRY, Round.label == LABEL,
                                   Round.framework_slug == framework.slug)):
        _seed_round(users, people, framework, focal)
    # The national data plan: an earlier validated round (2024) and the plans.
    from app.assessments.plan import demo as plan_demo

    plan_demo.seed(focal, people, framework)
    return accounts


def _seed_round(users, people, framework, focal) -> None:
    round_ = services.create_round(focal, country=COUNTRY, label=LABEL,
                                   framework_slug=framework.slug, institution="interior")
    for key, email, _name, institution, role, _org in DEMO_PEOPLE:
        db.session.add(Membership(round_id=round_.id, user_id=people[key].id, email=email,
                                  role=role, institution=institution,
                                  nonce=secrets.token_hex(16), invited_by_id=focal.id,
                                  accepted_at=utcnow()))
    if "trainer" in users:
        db.session.add(Membership(round_id=round_.id, user_id=users["trainer"].id,
                                  email=users["trainer"].email, role=OBSERVER,
                                  institution="other", nonce=secrets.token_hex(16),
                                  invited_by_id=focal.id, accepted_at=utcnow()))
    round_.routing = {d.slug: list(dict.fromkeys([*ANSWERING, *d.institutions]))
                      for d in framework.domains}
    round_.status, round_.opened_at = OPEN, utcnow()
    db.session.flush()

    questions = [(i, q) for i, d in enumerate(framework.domains) for q in d.questions]
    for index, (domain_index, question) in enumerate(questions):
        given = []
        for institution in ANSWERING:
            values = _answer(domain_index, index, institution)
            write_answer(round_, institution, question, values, None, people[institution],
                         "workbook" if institution == "labour" else "web")
            if values.scored_level is not None:
                given.append(values.scored_level)
        if index % 5 == 4 or not given:
            continue        # still to be discussed: no consensus yet
        agreed = sorted(given)[len(given) // 2]
        spread = max(given) - min(given)
        db.session.add(Consensus(
            round_id=round_.id, domain=question.domain, question_id=question.id,
            response=LEVEL, level=agreed, decided_by_id=people["facilitator"].id,
            justification=("Discussed at the validation workshop: the evidence supports the "
                           "middle answer." if spread >= 2 else "The institutions agree.")))
    db.session.flush()
