"""Rounds: creation, members and invitations, routing, status, validation,
scores and listings. Services check permission, flush, and never commit.

Answering is in answers.py, consensus in consensus.py, the offline workbook
in imports.py.
"""

import re
import secrets
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.assessments import scoring
from app.assessments.access import RoundAccess, load_round
from app.assessments.answers import Progress, progress
from app.assessments.constants import (
    DRAFT,
    FOCAL_POINT,
    IN_REVIEW,
    INSTITUTION_LABELS,
    INSTITUTIONS,
    LEVEL,
    OPEN,
    ROUND_ROLE_LABELS,
    ROUND_ROLES,
    VALIDATED,
)
from app.assessments.frameworks import framework_or_404, library
from app.assessments.loader import Domain, Edition, Framework
from app.assessments.models import (
    Answer,
    Consensus,
    FrameworkVersion,
    Membership,
    Round,
    WorkbookImport,
)
from app.auth import services as accounts
from app.core import audit, mail, permissions
from app.core.db import utcnow
from app.core.errors import Forbidden, NotFound, ValidationError
from app.core.i18n import COUNTRY_CODES, country_name
from app.extensions import db

LABEL = re.compile(r"^[0-9A-Za-z][0-9A-Za-z .\-/]{0,19}$")
INVITATION_MAX_AGE = 30 * 24 * 3600
SNAPSHOT_FORMAT = "migration-data-academy/assessment-snapshot/1"


# --- frameworks ----------------------------------------------------------------------------

def record_version(framework: Framework) -> bool:
    """Record an imported framework version; False if it was already recorded."""
    exists = db.session.scalar(select(FrameworkVersion.id).where(
        FrameworkVersion.framework_slug == framework.slug,
        FrameworkVersion.content_hash == framework.content_hash))
    if exists:
        return False
    db.session.add(FrameworkVersion(
        framework_slug=framework.slug, content_hash=framework.content_hash,
        version_label=framework.version[:40], title=framework.default.title[:300],
        domains=len(framework.domains), questions=len(framework.default.questions)))
    db.session.flush()
    return True


# --- rounds ----------------------------------------------------------------------------------

def create_round(user, *, country: str, label: str, framework_slug: str,
                 institution: str) -> Round:
    """A new round in draft, with its creator as focal point and the framework's
    default routing."""
    permissions.require(user, "assessments.create")
    label = (label or "").strip()
    if country not in COUNTRY_CODES:
        raise ValidationError(_l("Choose a country from the list."), field="country")
    if not LABEL.match(label):
        raise ValidationError(_l("Name the round with up to 20 letters, digits, spaces or "
                                 "hyphens, for example 2026."), field="label")
    framework = library().get(framework_slug or "")
    if framework is None:
        raise ValidationError(_l("Choose a framework from the list."), field="framework")
    if institution not in INSTITUTIONS:
        raise ValidationError(_l("Choose an institution from the list."), field="institution")
    if db.session.scalar(select(Round.id).where(
            Round.country == country, Round.framework_slug == framework.slug,
            Round.label == label)):
        raise ValidationError(_l("This country already has a round with this name and "
                                 "framework. Choose another name."), field="label")
    round_ = Round(country=country, label=label, framework_slug=framework.slug,
                   framework_version=framework.version[:40],
                   framework_hash=framework.content_hash, status=DRAFT,
                   routing={d.slug: list(d.institutions) for d in framework.domains},
                   created_by_id=user.id)
    db.session.add(round_)
    db.session.flush()
    db.session.add(Membership(round_id=round_.id, user_id=user.id, email=user.email,
                              role=FOCAL_POINT, institution=institution,
                              nonce=secrets.token_hex(16), invited_by_id=user.id,
                              accepted_at=utcnow()))
    db.session.flush()
    audit.record("assessments.round_created", actor=user, subject=f"round:{round_.id}",
                 country=country, label=label)
    return round_


def my_rounds(user) -> list[tuple[Round, Membership | None]]:
    """The rounds a person takes part in (every round, for admins), newest first."""
    if permissions.has_role(user, "admin"):
        rows = db.session.execute(
            select(Round, Membership).outerjoin(Membership, (Membership.round_id == Round.id)
                                                & (Membership.user_id == user.id))
            .order_by(Round.created_at.desc(), Round.id.desc()))
    else:
        rows = db.session.execute(
            select(Round, Membership).join(Membership, Membership.round_id == Round.id)
            .where(Membership.user_id == user.id)
            .order_by(Round.created_at.desc(), Round.id.desc()))
    return [(r, m) for r, m in rows]


def framework_of(round_: Round) -> Framework:
    return framework_or_404(round_.framework_slug)


def round_title(round_: Round, lang: str | None = None) -> str:
    return f"{country_name(round_.country, lang)} {round_.label}"


# --- members and invitations ---------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="assessment-invite")


def invitation_token(member: Membership) -> str:
    return _serializer().dumps({"m": member.id, "n": member.nonce})


def _external(endpoint: str, **values) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for(endpoint, **values)


def _check_role_institution(role: str, institution: str) -> None:
    if role not in ROUND_ROLES:
        raise ValidationError(_l("Choose a role from the list."), field="role")
    if institution not in INSTITUTIONS:
        raise ValidationError(_l("Choose an institution from the list."), field="institution")


def members(access: RoundAccess) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).where(Membership.round_id == access.round.id)
        .order_by(Membership.institution, Membership.id)).unique())


def invite(user, round_id: int, *, email: str, role: str, institution: str) -> Membership:
    access = load_round(user, round_id)
    access.require_writable()
    access.require(access.can_manage)
    email = accounts.normalise_email(email)
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email) or len(email) > 254:
        raise ValidationError(_l("Enter a valid e-mail address, like name@example.org."),
                              field="email")
    _check_role_institution(role, institution)
    if db.session.scalar(select(Membership.id).where(Membership.round_id == round_id,
                                                     Membership.email == email)):
        raise ValidationError(_l("This address is already invited to the round."),
                              field="email")
    member = Membership(round_id=round_id, email=email, role=role, institution=institution,
                        nonce=secrets.token_hex(16), invited_by_id=user.id)
    db.session.add(member)
    db.session.flush()
    _send_invitation(user, access.round, member)
    audit.record("assessments.member_invited", actor=user, subject=f"round:{round_id}",
                 member=member.id, role=role, institution=institution)
    return member


def _send_invitation(user, round_: Round, member: Membership) -> None:
    account = accounts.find_by_email(member.email)
    locale = account.locale if account is not None else getattr(user, "locale", "en")
    mail.send(member.email, _l("You are invited to a migration data self-assessment"),
              "assessments/email/invitation", locale=locale, member=member, round=round_,
              inviter=user, has_account=account is not None,
              country=country_name(round_.country, locale),
              role_label=ROUND_ROLE_LABELS[member.role],
              institution_label=INSTITUTION_LABELS[member.institution],
              link=_external("assessments.invitation", token=invitation_token(member)),
              register_url=_external("auth.register"))


def _member(access: RoundAccess, member_id: int) -> Membership:
    member = db.session.get(Membership, member_id)
    if member is None or member.round_id != access.round.id:
        raise NotFound()
    return member


def resend_invitation(user, round_id: int, member_id: int) -> Membership:
    access = load_round(user, round_id)
    access.require_writable()
    access.require(access.can_manage)
    member = _member(access, member_id)
    if member.accepted:
        raise ValidationError(_l("This person has already accepted the invitation."))
    _send_invitation(user, access.round, member)
    return member


def _focal_points_left(round_id: int, without: Membership) -> int:
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.round_id == round_id, Membership.role == FOCAL_POINT,
        Membership.user_id.is_not(None), Membership.id != without.id)) or 0


def update_member(user, round_id: int, member_id: int, *, role: str,
                  institution: str) -> Membership:
    access = load_round(user, round_id)
    access.require_writable()
    access.require(access.can_manage)
    member = _member(access, member_id)
    _check_role_institution(role, institution)
    if member.role == FOCAL_POINT and role != FOCAL_POINT and member.accepted and (
            _focal_points_left(round_id, member) == 0):
        raise ValidationError(_l("A round needs at least one focal point: make someone else "
                                 "focal point first."), field="role")
    if (member.role, member.institution) != (role, institution):
        member.role, member.institution = role, institution
        audit.record("assessments.member_changed", actor=user, subject=f"round:{round_id}",
                     member=member.id, role=role, institution=institution)
    return member


def remove_member(user, round_id: int, member_id: int) -> None:
    access = load_round(user, round_id)
    access.require_writable()
    access.require(access.can_manage)
    member = _member(access, member_id)
    if member.role == FOCAL_POINT and member.accepted and _focal_points_left(
            round_id, member) == 0:
        raise ValidationError(_l("A round needs at least one focal point: make someone else "
                                 "focal point first."))
    db.session.delete(member)
    db.session.flush()
    audit.record("assessments.member_removed", actor=user, subject=f"round:{round_id}",
                 member=member_id)


def invitation_from_token(token: str) -> Membership:
    try:
        data = _serializer().loads(token, max_age=INVITATION_MAX_AGE)
    except SignatureExpired as exc:
        raise ValidationError(_l("This invitation has expired. Ask the focal point of the "
                                 "round to send it again.")) from exc
    except BadSignature as exc:
        raise NotFound() from exc
    member = db.session.get(Membership, data.get("m")) if isinstance(data, dict) else None
    if member is None or member.nonce != data.get("n"):
        raise ValidationError(_l("This invitation is no longer valid. Ask the focal point of "
                                 "the round to send it again."))
    return member


def accept_invitation(user, token: str) -> Membership:
    """Bind the invitation to the signed-in account with the invited address."""
    member = invitation_from_token(token)
    if member.user_id == user.id:
        return member
    if member.accepted:
        raise ValidationError(_l("This invitation has already been accepted."))
    if accounts.normalise_email(user.email) != member.email:
        raise Forbidden(_l("This invitation was sent to another e-mail address. Sign in with "
                           "that address (or create an account with it) to accept."))
    if db.session.scalar(select(Membership.id).where(Membership.round_id == member.round_id,
                                                     Membership.user_id == user.id)):
        raise ValidationError(_l("You are already a member of this round."))
    member.user_id = user.id
    member.accepted_at = utcnow()
    db.session.flush()
    audit.record("assessments.invitation_accepted", actor=user,
                 subject=f"round:{member.round_id}", member=member.id)
    return member


def pending_invitations(user) -> list[Membership]:
    """Invitations sent to the person's address and not accepted yet."""
    return list(db.session.scalars(
        select(Membership).where(Membership.email == accounts.normalise_email(user.email),
                                 Membership.user_id.is_(None))
        .options(selectinload(Membership.round))).unique())


# --- routing and status ---------------------------------------------------------------------

def set_routing(user, round_id: int, routing: dict[str, list[str]]) -> Round:
    access = load_round(user, round_id)
    access.require_writable()
    access.require(access.can_manage)
    framework = framework_of(access.round)
    clean = {}
    for domain in framework.domains:
        chosen = [i for i in INSTITUTIONS if i in set(routing.get(domain.slug, ()))]
        clean[domain.slug] = chosen
    unknown = set(routing) - set(clean)
    if unknown:
        raise ValidationError(_l("Unknown domain."))
    access.round.routing = clean
    audit.record("assessments.routing_changed", actor=user, subject=f"round:{round_id}")
    return access.round


_TRANSITIONS = {OPEN: (DRAFT, IN_REVIEW), IN_REVIEW: (OPEN,)}


def change_status(user, round_id: int, to: str) -> Round:
    """Open answering, close it for review, or reopen it (validation is separate)."""
    access = load_round(user, round_id)
    access.require_writable()
    access.require(access.can_manage)
    round_ = access.round
    if round_.status not in _TRANSITIONS.get(to, ()):
        raise ValidationError(_l("This change of status is not possible now."))
    round_.status = to
    if to == OPEN and round_.opened_at is None:
        round_.opened_at = utcnow()
    audit.record("assessments.status_changed", actor=user, subject=f"round:{round_id}",
                 status=to)
    return round_


# --- scores, validation, listings ------------------------------------------------------------

@dataclass(frozen=True)
class RoundData:
    """Everything the scores need, read in two queries."""

    answers: list[Answer]
    consensus: list[Consensus]

    def consensus_levels(self) -> dict[str, int | None]:
        return {c.question_id: c.level if c.response == LEVEL else None for c in self.consensus}

    def answer_levels(self) -> dict[str, dict[str, int | None]]:
        result: dict[str, dict[str, int | None]] = {}
        for a in self.answers:
            result.setdefault(a.question_id, {})[a.institution] = (
                a.level if a.response == LEVEL else None)
        return result

    def evidence(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for a in self.answers:
            items = result.setdefault(a.question_id, [])
            items += [link for link in a.evidence_links or [] if link not in items]
            if a.evidence_note:
                items.append(a.evidence_note)
        return result


def round_data(round_id: int) -> RoundData:
    answers = db.session.scalars(select(Answer).where(Answer.round_id == round_id)
                                 .order_by(Answer.question_id, Answer.institution)).unique()
    consensus = db.session.scalars(select(Consensus).where(Consensus.round_id == round_id)
                                   ).unique()
    return RoundData(list(answers), list(consensus))


def summary_of(round_: Round, framework: Framework, data: RoundData | None = None
               ) -> scoring.Summary:
    """The frozen scores of a validated round, else the scores as they stand."""
    if round_.snapshot and round_.snapshot.get("summary"):
        return scoring.Summary.from_dict(round_.snapshot["summary"])
    data = data or round_data(round_.id)
    return scoring.summarise(framework, data.consensus_levels(), data.answer_levels(),
                             data.evidence())


def validate_round(user, round_id: int) -> Round:
    """Freeze the round: read-only from now on, with a snapshot of answers,
    consensus and scores (institutions only, no personal names)."""
    access = load_round(user, round_id)
    access.require_writable()
    access.require(access.can_validate)
    round_ = access.round
    framework = framework_of(round_)
    data = round_data(round_id)
    summary = scoring.summarise(framework, data.consensus_levels(), data.answer_levels(),
                                data.evidence())
    now = utcnow()
    round_.snapshot = {
        "format": SNAPSHOT_FORMAT,
        "validated_at": now.isoformat(),
        "country": round_.country, "round": round_.label,
        "framework": {"slug": framework.slug, "version": framework.version,
                      "content_hash": framework.content_hash},
        "routing": round_.routing,
        "answers": [{"institution": a.institution, "domain": a.domain,
                     "question": a.question_id, "response": a.response, "level": a.level,
                     "links": list(a.evidence_links or []), "note": a.evidence_note,
                     "comment": a.comment, "target_level": a.target_level,
                     "target_year": a.target_year} for a in data.answers],
        "consensus": [{"domain": c.domain, "question": c.question_id, "response": c.response,
                       "level": c.level, "justification": c.justification}
                      for c in data.consensus],
        "summary": summary.to_dict(),
    }
    round_.status = VALIDATED
    round_.validated_at = now
    round_.validated_by_id = user.id
    for pending in db.session.scalars(select(WorkbookImport).where(
            WorkbookImport.round_id == round_id, WorkbookImport.status == "pending")):
        pending.status = "discarded"
    db.session.flush()
    audit.record("assessments.round_validated", actor=user, subject=f"round:{round_id}")
    from app.assessments.plan import services as plans  # the plan follows validation

    plans.on_validated(round_, user)
    return round_


def listing() -> list[dict]:
    """Every round for `flask assessments list --format json` (a few queries in all)."""
    rounds = db.session.scalars(select(Round).order_by(Round.id)).all()
    answered = dict(db.session.execute(
        select(Answer.round_id, func.count(func.distinct(Answer.institution)))
        .where(Answer.response.is_not(None)).group_by(Answer.round_id)).all())
    consensus: dict[int, dict[str, int | None]] = {}
    for c in db.session.scalars(select(Consensus)).unique():
        consensus.setdefault(c.round_id, {})[c.question_id] = (
            c.level if c.response == LEVEL else None)
    result = []
    for r in rounds:
        framework = library().get(r.framework_slug)
        if r.snapshot and r.snapshot.get("summary"):
            scores = scoring.Summary.from_dict(r.snapshot["summary"]).scores()
        elif framework is not None:
            scores = {s.domain: s.score for s in scoring.domain_scores(
                framework, consensus.get(r.id, {}))}
        else:
            scores = {}
        result.append({
            "id": r.id, "country": r.country, "round": r.label, "framework": r.framework_slug,
            "status": r.status, "institutions": answered.get(r.id, 0),
            "domain_scores": {k: None if v is None else round(v, 2) for k, v in scores.items()},
        })
    return result


# --- pages ------------------------------------------------------------------------------------

@dataclass
class Overview:
    access: RoundAccess
    edition: Edition
    progress: Progress
    my_domains: list[Domain]
    decided: int                 # questions with a consensus

    @property
    def questions(self) -> int:
        return len(self.edition.questions)


def overview(user, round_id: int, language: str | None = None) -> Overview:
    """The round page: progress per domain and institution, the person's domains (3 queries)."""
    access = load_round(user, round_id)
    edition = framework_of(access.round).edition(language)
    mine = access.round.domains_for(access.institution) if access.may_answer_somewhere() else []
    decided = db.session.scalar(select(func.count()).select_from(Consensus).where(
        Consensus.round_id == round_id, Consensus.response.is_not(None))) or 0
    return Overview(access, edition, progress(access.round, edition),
                    [d for d in edition.domains if d.slug in mine], decided)


@dataclass
class Results:
    access: RoundAccess
    edition: Edition
    summary: scoring.Summary
    justifications: dict[str, str]      # question id -> consensus justification

    @property
    def show_details(self) -> bool:
        """Evidence and disagreement name what each institution answered."""
        return self.access.can_see_all


def results(user, round_id: int, language: str | None = None) -> Results:
    access = load_round(user, round_id)
    round_ = access.round
    framework = framework_of(round_)
    if round_.snapshot:
        justifications = {c["question"]: c["justification"]
                          for c in round_.snapshot.get("consensus", [])}
        summary = summary_of(round_, framework)
    else:
        data = round_data(round_id)
        justifications = {c.question_id: c.justification for c in data.consensus}
        summary = summary_of(round_, framework, data)
    return Results(access, framework.edition(language), summary, justifications)
