"""Announcements (shown and e-mailed) and materials (checked uploads, served as
attachments to the cohort only)."""

import io

from sqlalchemy import select

from app.cohorts.models import Announcement, Material
from app.core import uploads
from app.extensions import db
from tests.conftest import outbox_messages
from tests.integration import test_cohorts_support as support
from tests.integration.test_cohorts_support import (
    client_for,
    join,
)

jobs_sync, world = support.jobs_sync, support.world    # fixtures

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_an_announcement_is_shown_and_emailed_to_active_members(app, world, make_user,
                                                               jobs_sync):
    join(app, world.cohort, make_user(email="second@example.org", locale="fr"))
    trainer = client_for(app, world.trainer)
    response = trainer.post(f"/cohorts/{world.cohort}/announcements", data={
        "title": "Room change", "body": "Tomorrow we meet in room 204.\nBring your laptop."})
    assert response.status_code == 302
    messages = outbox_messages(app)
    assert sorted(m["To"] for m in messages) == ["lea@example.org", "second@example.org"]
    body = messages[0].get_content()
    assert "room 204" in body and f"/cohorts/{world.cohort}/" in body
    assert messages[0]["Subject"] == "Test workshop: Room change"
    with app.app_context():
        assert db.session.scalar(select(Announcement)).emailed_to == 2
    page = client_for(app, world.learner).get(f"/cohorts/{world.cohort}/").get_data(
        as_text=True)
    assert "Room change" in page and "Bring your laptop." in page
    assert "e-mailed to 2 learner(s)" in trainer.get(
        f"/cohorts/{world.cohort}/announcements").get_data(as_text=True)


def test_announcements_are_escaped_and_checked(app, world, jobs_sync):
    trainer = client_for(app, world.trainer)
    trainer.post(f"/cohorts/{world.cohort}/announcements", data={
        "title": "<script>x</script>", "body": "<b>bold</b>"})
    page = client_for(app, world.learner).get(f"/cohorts/{world.cohort}/").get_data(
        as_text=True)
    assert "<script>x</script>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    response = trainer.post(f"/cohorts/{world.cohort}/announcements",
                            data={"title": "", "body": ""})
    assert response.status_code == 400
    learner = client_for(app, world.learner)
    assert learner.post(f"/cohorts/{world.cohort}/announcements",
                        data={"title": "Hi", "body": "x"}).status_code == 403


def upload(client, cohort_id, name, data, title=""):
    return client.post(f"/cohorts/{cohort_id}/materials",
                       data={"file": (io.BytesIO(data), name), "title": title},
                       content_type="multipart/form-data")


def test_materials_are_checked_stored_outside_the_web_root_and_served_as_attachments(app,
                                                                                   world):
    trainer = client_for(app, world.trainer)
    response = upload(trainer, world.cohort, "Programme.pdf", PDF, title="Programme")
    assert response.status_code == 302
    with app.app_context():
        material = db.session.scalar(select(Material))
        path = uploads.path_of("cohorts", material.stored_name)
        assert path.is_file() and "static" not in str(path)
        assert material.content_type == "application/pdf" and material.size == len(PDF)
        material_id = material.id
    learner = client_for(app, world.learner)
    page = learner.get(f"/cohorts/{world.cohort}/").get_data(as_text=True)
    assert "Programme" in page and "Course handout (PDF)" in page
    response = learner.get(f"/cohorts/{world.cohort}/materials/{material_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Not to anyone else, and not under another cohort's address.
    assert client_for(app, world.outsider).get(
        f"/cohorts/{world.cohort}/materials/{material_id}").status_code == 404
    assert client_for(app, world.other_trainer).get(
        f"/cohorts/{world.cohort}/materials/{material_id}").status_code == 404
    assert client_for(app, world.other_learner).get(
        f"/cohorts/{world.other_cohort}/materials/{material_id}").status_code == 404
    assert app.test_client().get(
        f"/cohorts/{world.cohort}/materials/{material_id}").status_code == 302
    # An image is fine too; deleting removes the file.
    assert upload(trainer, world.cohort, "map.png", PNG).status_code == 302
    assert trainer.post(
        f"/cohorts/{world.cohort}/materials/{material_id}/delete").status_code == 302
    assert not path.exists()
    assert learner.get(f"/cohorts/{world.cohort}/materials/{material_id}").status_code == 404


def test_disallowed_or_oversized_uploads_are_refused(app, world, monkeypatch):
    trainer = client_for(app, world.trainer)
    response = upload(trainer, world.cohort, "run.exe", b"MZ\x90\x00")
    assert response.status_code == 400
    assert "files of this type are not accepted" in response.get_data(as_text=True)
    response = upload(trainer, world.cohort, "fake.pdf", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400 and "not a real PDF file" in response.get_data(
        as_text=True)
    response = upload(trainer, world.cohort, "page.html", b"<html><script></script>")
    assert response.status_code == 400
    monkeypatch.setitem(app.config, "COHORT_UPLOAD_MAX_BYTES", 20)
    response = upload(trainer, world.cohort, "big.pdf", PDF)
    assert response.status_code == 400 and "larger than" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Material)) is None
    assert not list(_root(app).glob("*"))
    learner = client_for(app, world.learner)
    assert upload(learner, world.cohort, "x.pdf", PDF).status_code == 403


def _root(app):
    with app.app_context():
        folder = uploads.upload_root() / "cohorts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
