"""What trainers share with their cohort: announcements (shown on the cohort
page and e-mailed by a background job) and materials (files stored by
app/core/uploads.py outside the web root, served as attachments to the
cohort's trainers and active members only)."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.cohorts.access import load_cohort
from app.cohorts.models import Announcement, Material
from app.core import audit, jobs, uploads
from app.core.errors import NotFound, ValidationError
from app.extensions import db

UPLOAD_AREA = "cohorts"
ALLOWED = uploads.DOCUMENTS | uploads.IMAGES
ANNOUNCEMENT_JOB = "cohorts.announcement"
MAX_BODY = 5000


# --- announcements -----------------------------------------------------------------------

def post_announcement(user, cohort_id: int, title: str, body: str) -> Announcement:
    access = load_cohort(user, cohort_id, run=True)
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > 200:
        raise ValidationError(_l("Give the announcement a title (at most 200 characters)."),
                              field="title")
    if not body or len(body) > MAX_BODY:
        raise ValidationError(_l("Write the announcement (at most %(max)d characters).",
                                 max=MAX_BODY), field="body")
    announcement = Announcement(cohort_id=access.cohort.id, title=title, body=body,
                                author_id=user.id)
    db.session.add(announcement)
    db.session.flush()
    jobs.enqueue(ANNOUNCEMENT_JOB, {"announcement_id": announcement.id}, user=user)
    audit.record("cohorts.announcement_posted", actor=user, subject=f"cohort:{cohort_id}",
                 announcement=announcement.id)
    return announcement


def announcements(cohort_id: int) -> list[Announcement]:
    return list(db.session.scalars(select(Announcement).where(
        Announcement.cohort_id == cohort_id).order_by(Announcement.created_at.desc(),
                                                      Announcement.id.desc())).unique())


def delete_announcement(user, cohort_id: int, announcement_id: int) -> None:
    load_cohort(user, cohort_id, run=True)
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None or announcement.cohort_id != cohort_id:
        raise NotFound()
    db.session.delete(announcement)


# --- materials -----------------------------------------------------------------------------

def max_bytes() -> int:
    return current_app.config["COHORT_UPLOAD_MAX_BYTES"]


def add_material(user, cohort_id: int, storage, title: str = "") -> Material:
    access = load_cohort(user, cohort_id, run=True)
    if not uploads.has_file(storage):
        raise ValidationError(_l("Choose a file to upload."), field="file")
    checked = uploads.read_upload(storage, allowed=ALLOWED, max_bytes=max_bytes())
    title = (title or "").strip() or checked.original_name
    if len(title) > 200:
        raise ValidationError(_l("Use at most %(max)d characters.", max=200), field="title")
    stored = uploads.store(UPLOAD_AREA, checked, session=db.session())
    material = Material(cohort_id=access.cohort.id, title=title,
                        original_name=checked.original_name, stored_name=stored,
                        content_type=checked.mimetype, size=checked.size,
                        uploaded_by_id=user.id)
    db.session.add(material)
    db.session.flush()
    audit.record("cohorts.material_added", actor=user, subject=f"cohort:{cohort_id}",
                 material=material.id)
    return material


def materials(cohort_id: int) -> list[Material]:
    return list(db.session.scalars(select(Material).where(Material.cohort_id == cohort_id)
                                   .order_by(Material.uploaded_at.desc(), Material.id.desc())))


def material_for(user, cohort_id: int, material_id: int) -> Material:
    """A material the person may download (trainers and active members); 404 otherwise."""
    load_cohort(user, cohort_id)
    material = db.session.get(Material, material_id)
    if material is None or material.cohort_id != cohort_id:
        raise NotFound()
    return material


def delete_material(user, cohort_id: int, material_id: int) -> None:
    load_cohort(user, cohort_id, run=True)
    material = db.session.get(Material, material_id)
    if material is None or material.cohort_id != cohort_id:
        raise NotFound()
    db.session.delete(material)
    uploads.remove_after_commit(db.session(), UPLOAD_AREA, material.stored_name)
    audit.record("cohorts.material_deleted", actor=user, subject=f"cohort:{cohort_id}",
                 material=material_id)
