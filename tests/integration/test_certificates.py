"""Certificates end to end: issue on completion, PDF (PDF/A-3b, QR code, embedded
credential), verification, revocation, expiry, corrections, bulk issue, privacy."""

import io
import json
import re
import shutil
import subprocess
import threading
from datetime import timedelta
from pathlib import Path

import jwt as pyjwt
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.auth.models import User
from app.certificates import ids, services
from app.certificates import pdf as certificate_pdf
from app.certificates.models import Certificate
from app.core.db import utcnow
from app.courses.catalogue import catalogue
from app.courses.models import Enrolment
from app.extensions import db
from tests.conftest import PASSWORD, complete_course, login

COURSE = "field-basics"


def certificate_of(app, enrolment_id) -> Certificate:
    with app.app_context():
        return services.current_for_enrolment(enrolment_id)


def pdf_bytes(app, cert) -> bytes:
    with app.app_context():
        return services.pdf_file(cert).read_bytes()


def with_attachment(data: bytes, token: str) -> bytes:
    """The same PDF carrying a different credential.jwt."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    del writer._root_object["/Names"]
    writer.add_attachment("credential.jwt", token.encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def issued(app, make_user):
    uid = make_user(email="amina@example.org", full_name="Amina Diallo")
    enrolment_id = complete_course(app, uid)
    return uid, certificate_of(app, enrolment_id)


@pytest.mark.pdf
def test_completion_issues_exactly_one_certificate_with_a_snapshot(app, issued):
    uid, cert = issued
    assert cert is not None and cert.learner_name == "Amina Diallo"
    assert cert.course_title == "Field basics: counting people who move"
    assert cert.hours == 1 and cert.course_version_label == "test-1"
    assert cert.expires_at - cert.issued_at == timedelta(days=365)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
        # Later profile changes do not alter the snapshot.
        db.session.get(User, uid).full_name = "Someone Else"
        db.session.commit()
        assert services.find(cert.public_id).learner_name == "Amina Diallo"


@pytest.mark.pdf
def test_pdf_is_pdfa_with_the_credential_and_checks_clean(app, issued, tmp_path):
    _, cert = issued
    data = pdf_bytes(app, cert)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)                      # landscape
    assert reader.attachments["credential.jwt"][0].decode() == cert.credential_jwt
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")3", xmp) and re.search(r"pdfaid:conformance(>|=\")B", xmp)
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    if shutil.which("qpdf"):
        subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
        listing = subprocess.run(["qpdf", "--list-attachments", str(path)], check=True,
                                 capture_output=True, text=True).stdout
        assert listing.startswith("credential.jwt ")
    text = reader.pages[0].extract_text()
    assert "Amina Diallo" in text and ids.grouped(cert.public_id) in text


@pytest.mark.pdf
@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
                    reason="needs zbar-tools and poppler-utils")
def test_qr_code_opens_the_verification_page(app, client, issued, tmp_path):
    _, cert = issued
    (tmp_path / "c.pdf").write_bytes(pdf_bytes(app, cert))
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(tmp_path / "c.pdf"),
                    str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], check=True,
                             capture_output=True, text=True).stdout.strip()
    assert decoded == f"http://localhost/verify/{ids.grouped(cert.public_id)}"
    response = client.get(decoded.removeprefix("http://localhost"))
    assert response.status_code == 200 and "Amina Diallo" in response.get_data(as_text=True)


@pytest.mark.pdf
def test_credential_verifies_against_the_published_jwks_with_another_library(
        app, client, issued):
    _, cert = issued
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert jwks["keys"] and all("kid" in k for k in jwks["keys"])
    header = pyjwt.get_unverified_header(cert.credential_jwt)
    assert header["alg"] == "EdDSA"
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    payload = pyjwt.decode(cert.credential_jwt, pyjwt.PyJWK(key).key, algorithms=["EdDSA"],
                           options={"verify_aud": False})
    assert payload["id"] == f"http://localhost/verify/{ids.grouped(cert.public_id)}"
    assert "OpenBadgeCredential" in payload["type"]
    assert "amina@example.org" not in json.dumps(payload)
    issuer = client.get("/issuer").get_json()
    assert issuer["id"] == payload["issuer"]["id"] and "Profile" in issuer["type"]


@pytest.mark.pdf
def test_arabic_certificate_is_right_to_left_with_the_name_in_logical_order(app, make_user):
    name = "ليلى حداد"
    uid = make_user(full_name=name, locale="ar")
    cert = certificate_of(app, complete_course(app, uid))
    assert cert.language == "ar"
    text = PdfReader(io.BytesIO(pdf_bytes(app, cert))).pages[0].extract_text()
    assert name in text
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-", "-"], input=pdf_bytes(app, cert),
                             capture_output=True, check=True).stdout.decode()
        assert name in out
    with app.app_context():
        html = certificate_pdf.certificate_html(certificate_pdf.build_context(
            language="ar", learner_name=name, course_title="x", hours=1,
            completed_at=utcnow(), score=None, cohort_name=None, trainer_names=None,
            expires_at=None, public_id="X", verify_url="http://localhost/verify/X"))
    assert 'dir="rtl"' in html and "شهادة" in html


@pytest.mark.pdf
def test_names_with_markup_print_literally(app, make_user):
    name = '<b>Bold</b> <script>alert(1)</script> Nom'
    cert = certificate_of(app, complete_course(app, make_user(full_name=name)))
    text = PdfReader(io.BytesIO(pdf_bytes(app, cert))).pages[0].extract_text()
    assert "<b>Bold</b>" in text and "<script>alert(1)</script>" in text


def test_pdf_fetcher_serves_only_local_assets():
    from app.core.pdf import ASSETS_DIR, local_fetcher

    fetcher = local_fetcher((ASSETS_DIR,))
    assert fetcher.fetch((ASSETS_DIR / "css" / "certificate.css").as_uri()).read()
    for url in ["http://example.org/x.css", "https://example.org/font.ttf",
                "file:///etc/passwd", (ASSETS_DIR / ".." / "__init__.py").as_uri()]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# --- verification ---------------------------------------------------------------------

@pytest.mark.pdf
def test_verify_page_and_json(app, client, issued):
    _, cert = issued
    grouped = ids.grouped(cert.public_id)
    html = client.get(f"/verify/{grouped}").get_data(as_text=True)
    assert "This certificate is valid." in html and "Amina Diallo" in html
    assert "amina@example.org" not in html
    # Any typed form of the identifier works.
    assert client.get(f"/verify/{cert.public_id.lower()}").status_code == 200
    record = client.get(f"/verify/{grouped}.json").get_json()
    assert set(record) >= {"id", "status", "learner_name", "course", "issued_at", "issuer",
                           "expires_at", "revoked_at", "revocation_reason", "superseded_by"}
    assert record["status"] == "valid" and record["id"] == grouped


@pytest.mark.parametrize("bad", ["not-a-real-id", "AAAA-AAAA-AAAA-AAAA-A", "%00", "x" * 300])
def test_unknown_or_malformed_ids_are_404(client, bad):
    page = client.get(f"/verify/{bad}")
    assert page.status_code == 404 and "Traceback" not in page.get_data(as_text=True)
    assert client.get(f"/verify/{bad}.json").status_code == 404


@pytest.mark.pdf
def test_verify_form_checks_pdf_and_jwt_uploads(app, client, issued):
    _, cert = issued
    data = pdf_bytes(app, cert)
    response = client.post("/verify", data={"file": (io.BytesIO(data), "c.pdf")},
                           content_type="multipart/form-data")
    assert "The signature is genuine and the certificate is valid." in response.get_data(
        as_text=True)
    tampered = with_attachment(data, cert.credential_jwt[:-6] + "AAAAAA")
    response = client.post("/verify", data={"file": (io.BytesIO(tampered), "c.pdf")},
                           content_type="multipart/form-data")
    assert "signature does not match" in response.get_data(as_text=True)
    response = client.post("/verify", data={"file": (io.BytesIO(b"%PDF-1.7 nothing"), "x.pdf")},
                           content_type="multipart/form-data")
    assert "no certificate credential attached" in response.get_data(as_text=True)
    response = client.post("/verify", data={
        "file": (io.BytesIO(cert.credential_jwt.encode()), "c.jwt")},
        content_type="multipart/form-data")
    assert "certificate is valid" in response.get_data(as_text=True)
    response = client.post("/verify", data={"identifier": ids.grouped(cert.public_id)})
    assert response.status_code == 302
    response = client.post("/verify", data={"identifier": "K7QM-2XAD-9FHT-RW3B-Q"})
    assert response.status_code == 400 and "No certificate has this ID" in response.get_data(
        as_text=True)


def test_verification_is_rate_limited(app):
    from app import create_app
    from app.extensions import limiter

    strict = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config[
        "SQLALCHEMY_DATABASE_URI"], "RATELIMIT_ENABLED": True,
        "RATELIMIT_VERIFY": "5 per minute"})
    try:
        client = strict.test_client()
        codes = [client.get(f"/verify/{ids.new_id()}.json").status_code for _ in range(6)]
        assert codes == [404] * 5 + [429]
    finally:
        limiter.reset()
        limiter.enabled = False


# --- lifecycle ------------------------------------------------------------------------

@pytest.mark.pdf
def test_revocation_shows_everywhere(app, client, runner, issued, login_as):
    _, cert = issued
    grouped = ids.grouped(cert.public_id)
    login_as("admin")
    response = client.post(f"/certificates/manage/{grouped}", data={"reason": ""})
    assert response.status_code == 400
    response = client.post(f"/certificates/manage/{grouped}",
                           data={"reason": "Issued by mistake"})
    assert response.status_code == 302
    html = client.get(f"/verify/{grouped}").get_data(as_text=True)
    assert "has been revoked" in html and "Issued by mistake" in html
    record = client.get(f"/verify/{grouped}.json").get_json()
    assert record["status"] == "revoked" and record["revocation_reason"] == "Issued by mistake"
    listing = json.loads(runner.invoke(args=["certificates", "list", "--format", "json"]).output)
    assert listing[0]["status"] == "revoked"
    with app.app_context():
        assert "revoked" in services.verify_token(cert.credential_jwt).message
        assert not services.verify_token(cert.credential_jwt).ok


def test_only_managers_may_revoke(app, client, issued, login_as):
    _, cert = issued
    login_as("trainer")
    response = client.post(f"/certificates/manage/{ids.grouped(cert.public_id)}",
                           data={"reason": "x"})
    assert response.status_code == 403
    assert client.get("/certificates/manage").status_code == 403


@pytest.mark.pdf
def test_expired_certificates_say_so(app, client, issued):
    _, cert = issued
    with app.app_context():
        stored = services.find(cert.public_id)
        stored.expires_at = utcnow() - timedelta(days=1)
        db.session.commit()
    record = client.get(f"/verify/{ids.grouped(cert.public_id)}.json").get_json()
    assert record["status"] == "expired"


@pytest.mark.pdf
def test_name_correction_supersedes_the_old_certificate(app, client, issued, make_user):
    uid, cert = issued
    with app.app_context():
        email = db.session.get(User, uid).email
    login(client, email)
    grouped = ids.grouped(cert.public_id)
    response = client.post(f"/certificates/{grouped}/correction",
                           data={"name": "Aminata Diallo", "reason": "Typo"})
    assert response.status_code == 302
    client.post("/auth/logout")
    admin_email = "boss@example.org"
    make_user("admin", email=admin_email)
    login(client, admin_email)
    html = client.get("/certificates/manage").get_data(as_text=True)
    assert "Aminata Diallo" in html
    with app.app_context():
        from app.certificates.models import NameCorrection

        request_id = db.session.scalar(select(NameCorrection.id))
    response = client.post(f"/certificates/manage/corrections/{request_id}",
                           data={"decision": "approve"})
    assert response.status_code == 302
    with app.app_context():
        old = services.find(cert.public_id)
        new = services.current_for_enrolment(old.enrolment_id)
        assert new.id != old.id and new.learner_name == "Aminata Diallo"
        assert old.superseded_by_id == new.id and services.status(old) == "superseded"
        assert db.session.scalar(select(func.count()).select_from(Certificate).where(
            Certificate.current_for.is_not(None))) == 1
    record = client.get(f"/verify/{grouped}.json").get_json()
    assert record["status"] == "superseded"
    assert record["superseded_by"] == ids.grouped(new.public_id)


def test_concurrent_issue_keeps_one_current_certificate(app, make_user, monkeypatch):
    """Two requests racing to issue for the same enrolment: one certificate."""
    monkeypatch.setattr(certificate_pdf, "render", lambda context, token: b"%PDF-1.7 stub")
    monkeypatch.setattr(services, "issue_after_completion", lambda e, c: None)
    enrolment_id = complete_course(app, make_user())
    barrier = threading.Barrier(2)
    results, busy = [], []

    def issue():
        with app.app_context():
            enrolment = db.session.get(Enrolment, enrolment_id)
            course = catalogue().get(COURSE)
            draft = services.prepare(enrolment, course, db.session.get(User, enrolment.user_id))
            barrier.wait()
            try:
                cert = services.store(draft, b"%PDF-1.7 stub")
                db.session.commit()
                results.append(cert.public_id)
            except OperationalError:
                # SQLite lets one writer through and tells the other it is busy
                # (the page says "try again"); PostgreSQL lets both through.
                db.session.rollback()
                busy.append(db.engine.dialect.name)
            db.session.remove()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(name == "sqlite" for name in busy)
    assert len(results) + len(busy) == 2 and len(set(results)) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_a_rendering_failure_leaves_no_certificate_and_completion_stands(
        app, client, make_user, monkeypatch):
    def broken(context, token):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(certificate_pdf, "render", broken)
    uid = make_user(email="unlucky@example.org")
    enrolment_id = complete_course(app, uid)
    with app.app_context():
        assert db.session.get(Enrolment, enrolment_id).completed_at is not None
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
        assert not list(services.storage_dir().rglob("*.pdf"))
    monkeypatch.undo()
    login(client, "unlucky@example.org")
    response = client.post(f"/certificates/issue/{COURSE}")
    assert response.status_code == 302 and response.headers["Location"] == "/certificates/"
    assert certificate_of(app, enrolment_id) is not None


def test_a_failed_transaction_removes_the_file_it_wrote(app, make_user, monkeypatch):
    monkeypatch.setattr(certificate_pdf, "render", lambda context, token: b"%PDF-1.7 stub")
    monkeypatch.setattr(services, "issue_after_completion", lambda e, c: None)
    enrolment_id = complete_course(app, make_user())
    with app.app_context():
        enrolment = db.session.get(Enrolment, enrolment_id)
        cert = services.issue(enrolment, catalogue().get(COURSE))
        path = services.storage_dir() / cert.pdf_path
        assert path.exists()
        db.session.rollback()
        assert not path.exists()
        assert services.current_for_enrolment(enrolment_id) is None


# --- the learner's side and downloads ----------------------------------------------

@pytest.mark.pdf
def test_my_certificates_and_downloads(app, client, issued, make_user):
    uid, cert = issued
    grouped = ids.grouped(cert.public_id)
    login(client, "amina@example.org")
    html = client.get("/certificates/").get_data(as_text=True)
    assert grouped in html and f"/verify/{grouped}" in html
    first = client.get(f"/certificates/{grouped}.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    etag = first.headers["ETag"]
    again = client.get(f"/certificates/{grouped}.pdf", headers={"If-None-Match": etag})
    assert again.status_code == 304
    token = client.get(f"/certificates/{grouped}/credential.jwt")
    assert token.data.decode() == cert.credential_jwt
    decoded = client.get(f"/certificates/{grouped}/credential.json").get_json()
    assert decoded["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    html = client.get(f"/courses/{COURSE}/").get_data(as_text=True)
    assert "See my certificate" in html
    client.post("/auth/logout")
    make_user(email="other@example.org")
    login(client, "other@example.org")
    assert client.get(f"/certificates/{grouped}.pdf").status_code == 404
    assert client.get(f"/certificates/{grouped}/credential.jwt").status_code == 404


# --- CLI, keys, bulk ---------------------------------------------------------------

@pytest.mark.pdf
def test_cli_list_export_revoke(app, runner, issued, tmp_path):
    _, cert = issued
    grouped = ids.grouped(cert.public_id)
    result = runner.invoke(args=["certificates", "list", "--format", "json"])
    rows = json.loads(result.stdout)
    assert rows[0]["id"] == grouped and rows[0]["status"] == "valid"
    assert rows[0]["verify_url"].endswith(f"/verify/{grouped}")
    out = tmp_path / "c.pdf"
    assert runner.invoke(args=["certificates", "export", grouped, "-o", str(out)]).exit_code == 0
    assert out.read_bytes() == pdf_bytes(app, cert)
    assert runner.invoke(args=["certificates", "export", "nope", "-o", str(out)]).exit_code == 1
    result = runner.invoke(args=["certificates", "revoke", grouped, "--reason", "Fraud"])
    assert result.exit_code == 0
    assert runner.invoke(args=["certificates", "revoke", grouped, "--reason", "x"]).exit_code == 1


@pytest.mark.pdf
def test_key_rotation_keeps_old_certificates_verifiable(app, client, runner, issued):
    _, cert = issued
    assert runner.invoke(args=["certificates", "rotate-key"]).exit_code == 0
    with app.app_context():
        app.extensions.pop("cert_keys", None)
        keys = client.get("/.well-known/jwks.json").get_json()["keys"]
        assert len(keys) == 2
        assert services.verify_token(cert.credential_jwt).ok


def test_signing_key_is_created_once_for_concurrent_workers(app):
    from app.certificates import keys

    with app.app_context():
        folder = keys.keys_dir()
    for path in folder.glob("*.jwk.json"):
        path.unlink()
    barrier = threading.Barrier(4)
    kids = []

    def load():
        with app.app_context():
            app.extensions.pop("cert_keys", None)
            barrier.wait()
            kids.append(keys.load_keys().kid)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(kids)) == 1
    assert len(list(folder.glob("*.jwk.json"))) == 1


def test_bulk_issue_runs_as_a_job_with_progress(app, client, make_user, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_SYNCHRONOUS", True)
    monkeypatch.setattr(services, "issue_after_completion", lambda e, c: None)
    ids_ = [complete_course(app, make_user()) for _ in range(3)]
    login_as("admin")
    response = client.post("/certificates/manage/issue-missing")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Finished." in page
    for enrolment_id in ids_:
        assert certificate_of(app, enrolment_id) is not None
    # Someone else cannot watch this job.
    other = app.test_client()
    make_user(email="nosy@example.org")
    login(other, "nosy@example.org")
    assert other.get(response.headers["Location"]).status_code == 404


# --- privacy --------------------------------------------------------------------------

@pytest.mark.pdf
def test_deleting_the_account_withdraws_certificates(app, client, issued):
    uid, cert = issued
    login(client, "amina@example.org")
    data = json.loads(client.post("/account/data/export").data)
    assert data["data"]["certificates"][0]["id"] == cert.public_id
    client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    record = client.get(f"/verify/{ids.grouped(cert.public_id)}.json").get_json()
    assert record["status"] == "revoked" and record["learner_name"] == "A. D."
    assert "holder" in record["revocation_reason"]
    with app.app_context():
        assert services.find(cert.public_id).pdf_path is None
    assert not list(Path(app.instance_path, "certificates").rglob(f"{cert.public_id}.pdf"))
