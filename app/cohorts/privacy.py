"""Workshop data in the personal-data registry.

Exported: the person's memberships (and invitations to their address, with the
sex the trainers recorded, if any), their attendance marks, their answers to
the workshops' feedback surveys, and, for trainers, the cohorts they run, the
announcements they posted and the files they uploaded.

Erased: invitations to the address and pending roster uploads are deleted.
Memberships are kept as anonymous rows (no address, name, organisation or
country; marked removed) with their attendance marks, so that a cohort's
attendance statistics stay right: the account itself becomes an anonymous stub
(app/auth/privacy.py). Survey answers: the comment is deleted (free text may
identify its author); the 1–5 ratings stay, attached to the anonymous
membership, so the workshop's averages do not change. Trainer seats are
deleted; announcements and materials stay with the cohort without their author;
a trainer's name on the certificates of their workshops is reduced to initials.
Other trainers' roster uploads waiting for confirmation lose the person's row.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from app.certificates.models import Certificate
from app.cohorts.models import (
    Announcement,
    Attendance,
    Cohort,
    CohortFeedback,
    CohortMember,
    CohortSession,
    CohortTrainer,
    Material,
    RosterImport,
)
from app.core import privacy
from app.core.db import utcnow
from app.extensions import db


def _iso(value):
    return value.isoformat() if value else None


def _mine(user):
    return (CohortMember.user_id == user.id) | (CohortMember.email == user.email)


def export_cohorts(user) -> dict:
    memberships = db.session.execute(
        select(CohortMember, Cohort).join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(_mine(user)).order_by(CohortMember.id)).unique().all()
    marks = db.session.execute(
        select(Attendance, CohortSession, Cohort)
        .join(CohortSession, CohortSession.id == Attendance.session_id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id)
        .join(CohortMember, CohortMember.id == Attendance.member_id)
        .where(CohortMember.user_id == user.id).order_by(CohortSession.starts_at)).all()
    led = db.session.execute(
        select(CohortTrainer, Cohort).join(Cohort, Cohort.id == CohortTrainer.cohort_id)
        .where(CohortTrainer.user_id == user.id).order_by(Cohort.id)).unique().all()
    posted = db.session.scalars(select(Announcement).where(Announcement.author_id == user.id)
                                .order_by(Announcement.id)).unique()
    files = db.session.scalars(select(Material).where(Material.uploaded_by_id == user.id)
                               .order_by(Material.id))
    answers = db.session.execute(
        select(CohortFeedback, Cohort).join(Cohort, Cohort.id == CohortFeedback.cohort_id)
        .join(CohortMember, CohortMember.id == CohortFeedback.member_id)
        .where(CohortMember.user_id == user.id).order_by(CohortFeedback.id)).all()
    return {
        "memberships": [{"cohort": c.id, "cohort_name": c.name, "course": c.course_slug,
                         "status": m.status, "email": m.email, "name_given": m.invited_name,
                         "organisation_given": m.organisation, "country_given": m.country,
                         "sex_recorded": m.sex,
                         "invited_at": _iso(m.invited_at), "joined_at": _iso(m.joined_at),
                         "removed_at": _iso(m.removed_at)} for m, c in memberships],
        "attendance": [{"cohort": c.id, "session": s.topic, "starts_at": _iso(s.starts_at),
                        "mark": a.status, "how": a.method, "marked_at": _iso(a.marked_at)}
                       for a, s, c in marks],
        "cohorts_as_trainer": [{"cohort": c.id, "cohort_name": c.name, "role": t.role}
                               for t, c in led],
        "announcements_posted": [{"cohort": a.cohort_id, "title": a.title, "body": a.body,
                                  "posted_at": _iso(a.created_at)} for a in posted],
        "materials_uploaded": [{"cohort": f.cohort_id, "name": f.original_name,
                                "uploaded_at": _iso(f.uploaded_at)} for f in files],
        "feedback": [{"cohort": c.id, "cohort_name": c.name, **f.answers(),
                      "answered_at": _iso(f.created_at), "changed_at": _iso(f.updated_at)}
                     for f, c in answers],
    }


def _initial_trainer_name(user) -> None:
    """Certificates print their workshop's trainers, and a name correction re-issues
    them with the same names: a trainer who leaves is reduced to initials there, as
    a learner is on their own certificates."""
    from app.certificates.privacy import initials

    name = user.full_name
    if not name or db.session.scalar(select(CohortTrainer.id).where(
            CohortTrainer.user_id == user.id).limit(1)) is None:
        return
    for cert in db.session.scalars(select(Certificate).where(
            Certificate.trainer_names.contains(name, autoescape=True))):
        names = cert.trainer_names.split(", ")
        if name in names:
            cert.trainer_names = ", ".join(initials(n) if n == name else n for n in names)


def erase_cohorts(user) -> None:
    _initial_trainer_name(user)
    db.session.execute(
        update(CohortFeedback).where(CohortFeedback.member_id.in_(
            select(CohortMember.id).where(CohortMember.user_id == user.id)))
        .values(comment=None).execution_options(synchronize_session=False))
    db.session.execute(delete(CohortMember).where(
        CohortMember.email == user.email, CohortMember.user_id.is_(None)))
    db.session.execute(
        update(CohortMember).where(CohortMember.user_id == user.id)
        .values(email=None, invited_name=None, organisation=None, country=None, sex=None,
                nonce=None, status="removed", removed_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.execute(delete(RosterImport).where(RosterImport.user_id == user.id))
    # Other trainers' uploads waiting for confirmation may list the address: drop that
    # row, so that confirming them later invites nobody under it.
    for pending in db.session.scalars(select(RosterImport).where(
            RosterImport.status == "pending")):
        kept = [row for row in pending.rows if row.get("email") != user.email]
        if len(kept) != len(pending.rows):
            pending.rows = kept
    db.session.execute(delete(CohortTrainer).where(CohortTrainer.user_id == user.id))
    db.session.execute(update(Announcement).where(Announcement.author_id == user.id)
                       .values(author_id=None).execution_options(synchronize_session=False))
    db.session.execute(update(Material).where(Material.uploaded_by_id == user.id)
                       .values(uploaded_by_id=None))
    db.session.execute(update(Attendance).where(Attendance.marked_by_id == user.id)
                       .values(marked_by_id=None))
    for column in (CohortMember.invited_by_id, CohortMember.removed_by_id):
        db.session.execute(update(CohortMember).where(column == user.id)
                           .values({column.key: None})
                           .execution_options(synchronize_session=False))
    db.session.execute(update(Cohort).where(Cohort.created_by_id == user.id)
                       .values(created_by_id=None))


privacy.register(
    "workshops",
    description=_l("Workshops (cohorts) you are invited to or take part in: the address, "
                   "name, organisation and country the trainers entered (and your sex, if they "
                   "recorded it from their registration list), when you joined, "
                   "your attendance marks and your answers to the workshop's feedback survey; "
                   "for trainers, the workshops they run and the announcements and files they "
                   "shared. If you delete your account, your attendance and your ratings stay "
                   "in the workshop's statistics without anything that identifies you, and "
                   "your survey comment is deleted."),
    export=export_cohorts, erase=erase_cohorts, order=250)
