"""Self-assessment data in the personal-data registry.

Answers belong to institutions, not to people: erasing a person keeps the
government's assessment intact but removes everything that points to them
(memberships and invitations, "saved by", uploads and pending workbooks)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update

from app.assessments.models import (
    Answer,
    Consensus,
    EvidenceFile,
    Membership,
    Round,
    WorkbookImport,
)
from app.assessments.plan.models import (
    Plan,
    PlanAction,
    PlanCohortRequest,
    PlanFlow,
    PlanNeed,
)
from app.core import privacy
from app.extensions import db

PLAN_ROWS = (Plan, PlanAction, PlanNeed, PlanFlow)


def _iso(value):
    return value.isoformat() if value else None


def _mine(user):
    return or_(Membership.user_id == user.id, Membership.email == user.email)


def export_assessments(user) -> dict:
    memberships = db.session.execute(
        select(Membership, Round).join(Round, Round.id == Membership.round_id)
        .where(_mine(user)).order_by(Membership.id)).all()
    answers = db.session.scalars(select(Answer).where(Answer.updated_by_id == user.id)
                                 .order_by(Answer.id)).unique()
    files = db.session.scalars(select(EvidenceFile).where(EvidenceFile.uploaded_by_id == user.id)
                               .order_by(EvidenceFile.id))
    decisions = db.session.scalars(select(Consensus).where(Consensus.decided_by_id == user.id)
                                   .order_by(Consensus.id)).unique()
    return {
        "memberships": [{"round": r.id, "country": r.country, "round_name": r.label,
                         "role": m.role, "institution": m.institution, "email": m.email,
                         "invited_at": _iso(m.invited_at), "accepted_at": _iso(m.accepted_at)}
                        for m, r in memberships],
        "answers_last_saved_by_you": [
            {"round": a.round_id, "institution": a.institution, "question": a.question_id,
             "response": a.response, "level": a.level, "evidence_links": a.evidence_links,
             "evidence_note": a.evidence_note, "comment": a.comment,
             "target_level": a.target_level, "target_year": a.target_year,
             "saved_at": _iso(a.updated_at)} for a in answers],
        "files_uploaded": [{"round": f.round_id, "question": f.question_id,
                            "name": f.original_name, "uploaded_at": _iso(f.uploaded_at)}
                           for f in files],
        "consensus_recorded": [{"round": c.round_id, "question": c.question_id,
                                "level": c.level, "justification": c.justification,
                                "decided_at": _iso(c.decided_at)} for c in decisions],
        "plan_rows_last_edited_by_you": _plan_edits(user),
        "workshop_invitations": [
            {"course": r.course_slug, "workshop": (r.values or {}).get("name"),
             "status": r.status, "requested_at": _iso(r.requested_at),
             "you_asked": r.requested_by_id == user.id}
            for r in db.session.scalars(select(PlanCohortRequest).where(or_(
                PlanCohortRequest.trainer_email == user.email,
                PlanCohortRequest.requested_by_id == user.id)).order_by(PlanCohortRequest.id))],
    }


def _plan_edits(user) -> list[dict]:
    rows = []
    for model in PLAN_ROWS:
        for row in db.session.scalars(select(model).where(model.updated_by_id == user.id)
                                      .order_by(model.id)):
            rows.append({"table": model.__tablename__, "id": row.id,
                         "code": getattr(row, "code", None), "saved_at": _iso(row.updated_at)})
    return rows


def erase_assessments(user) -> None:
    db.session.execute(delete(Membership).where(_mine(user)))
    db.session.execute(delete(WorkbookImport).where(WorkbookImport.user_id == user.id))
    db.session.execute(update(Answer).where(Answer.updated_by_id == user.id)
                       .values(updated_by_id=None).execution_options(synchronize_session=False))
    db.session.execute(update(EvidenceFile).where(EvidenceFile.uploaded_by_id == user.id)
                       .values(uploaded_by_id=None))
    db.session.execute(update(Consensus).where(Consensus.decided_by_id == user.id)
                       .values(decided_by_id=None).execution_options(synchronize_session=False))
    db.session.execute(update(Round).where(Round.created_by_id == user.id)
                       .values(created_by_id=None))
    db.session.execute(update(Round).where(Round.validated_by_id == user.id)
                       .values(validated_by_id=None))
    db.session.execute(update(Membership).where(Membership.invited_by_id == user.id)
                       .values(invited_by_id=None))
    for model in PLAN_ROWS:
        db.session.execute(update(model).where(model.updated_by_id == user.id)
                           .values(updated_by_id=None)
                           .execution_options(synchronize_session=False))
    db.session.execute(update(PlanCohortRequest).where(
        PlanCohortRequest.trainer_email == user.email, PlanCohortRequest.status == "invited")
        .values(status="cancelled", trainer_email=None))
    db.session.execute(update(PlanCohortRequest).where(
        PlanCohortRequest.trainer_email == user.email).values(trainer_email=None))
    db.session.execute(update(PlanCohortRequest).where(
        PlanCohortRequest.requested_by_id == user.id).values(requested_by_id=None))


privacy.register(
    "self_assessments",
    description=_l("Country self-assessments you are invited to or take part in: your role "
                   "and institution, the answers, files and consensus levels you saved last, "
                   "the rows of national data plans you edited last, and invitations to run a "
                   "workshop sent to your address (the assessment and its plan belong to the "
                   "institutions and stay, without your name, if you delete your account)."),
    export=export_assessments, erase=erase_assessments, order=400)
