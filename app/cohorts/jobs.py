"""Background jobs that send many e-mails: the invitations of a roster import
and an announcement to every active member. Progress is committed as they go
(see app/core/jobs.py), so the trainer can follow them on the job page."""

from sqlalchemy import select

from app.auth.models import User
from app.cohorts.content import ANNOUNCEMENT_JOB
from app.cohorts.imports import INVITATIONS_JOB
from app.cohorts.models import Announcement, Cohort, CohortMember
from app.cohorts.services import send_invitation
from app.core import jobs, mail
from app.core.urls import external_url
from app.extensions import db

REPORT_EVERY = 20


@jobs.handler(INVITATIONS_JOB)
def send_invitations(job) -> dict:
    cohort = db.session.get(Cohort, job.params["cohort_id"])
    inviter = db.session.get(User, job.created_by_id) if job.created_by_id else None
    people = db.session.scalars(select(CohortMember).where(
        CohortMember.id.in_(job.params["member_ids"]), CohortMember.status == "invited")
        .order_by(CohortMember.id)).unique().all()
    job.total = len(people)
    sent = failed = 0
    for member in people:
        try:
            send_invitation(cohort, member, inviter)
            sent += 1
        except Exception:  # one bad address must not stop the others; counted and logged
            jobs.log.exception("invitation to member %s failed", member.id)
            failed += 1
        if (sent + failed) % REPORT_EVERY == 0:
            jobs.report(job, done=sent, failed=failed)
    jobs.report(job, done=sent, failed=failed)
    return {"sent": sent, "failed": failed}


@jobs.handler(ANNOUNCEMENT_JOB)
def send_announcement(job) -> dict:
    announcement = db.session.get(Announcement, job.params["announcement_id"])
    if announcement is None:
        return {"sent": 0, "failed": 0}
    cohort = db.session.get(Cohort, announcement.cohort_id)
    recipients = db.session.execute(
        select(User.email, User.locale).join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id, CohortMember.status == "active",
               User.deleted_at.is_(None)).order_by(User.id)).all()
    job.total = len(recipients)
    page = external_url("cohorts.page", cohort_id=cohort.id)
    sent = failed = 0
    for email, locale in recipients:
        try:
            mail.send(email, f"{cohort.name}: {announcement.title}",
                      "cohorts/email/announcement", locale=locale, cohort=cohort,
                      announcement=announcement, link=page)
            sent += 1
        except Exception:  # counted and logged; the others still get it
            jobs.log.exception("announcement %s to a member failed", announcement.id)
            failed += 1
        if (sent + failed) % REPORT_EVERY == 0:
            jobs.report(job, done=sent, failed=failed)
    announcement.emailed_to = sent
    jobs.report(job, done=sent, failed=failed)
    return {"sent": sent, "failed": failed}
