"""The certificate PDF: A4 landscape, PDF/A-3b, with the signed credential
attached as the document-level file ``credential.jwt``.

The template receives a CertificateContext of plain strings only, so it can
neither reach the database nor print anything but escaped text.
"""

from dataclasses import asdict, dataclass
from datetime import datetime

import segno
from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from app.core.pdf import render_pdf

ATTACHMENT_NAME = "credential.jwt"


@dataclass(frozen=True)
class CertificateContext:
    language: str
    direction: str
    learner_name: str
    course_title: str
    details: str
    cohort_line: str
    expiry_line: str
    issuer_name: str
    signatory_name: str
    signatory_title: str
    public_id: str
    verify_url: str
    qr_data_uri: str


def _hours(hours: float) -> str:
    return f"{hours:g}"


def build_context(*, language: str, learner_name: str, course_title: str, hours: float,
                  completed_at: datetime, score: float | None, cohort_name: str | None,
                  trainer_names: str | None, expires_at: datetime | None, public_id: str,
                  verify_url: str) -> CertificateContext:
    cfg = current_app.config
    with force_locale(language):
        parts = [_("%(hours)s hours", hours=_hours(hours)),
                 _("completed on %(date)s", date=format_date(completed_at, "long"))]
        if score is not None:
            parts.append(_("final score %(score)s%%", score=f"{score:g}"))
        cohort = ""
        if cohort_name:
            cohort = _("Workshop: %(name)s", name=cohort_name)
            if trainer_names:
                cohort += " · " + _("Trainers: %(names)s", names=trainer_names)
        expiry = (_("Valid until %(date)s", date=format_date(expires_at, "long"))
                  if expires_at else "")
    qr = segno.make(verify_url, error="m")
    return CertificateContext(
        language=language, direction="rtl" if language in cfg["RTL_LANGUAGES"] else "ltr",
        learner_name=learner_name, course_title=course_title, details=" · ".join(parts),
        cohort_line=cohort, expiry_line=expiry, issuer_name=cfg["ISSUER_NAME"],
        signatory_name=cfg["CERT_SIGNATORY_NAME"], signatory_title=cfg["CERT_SIGNATORY_TITLE"],
        public_id=public_id, verify_url=verify_url,
        qr_data_uri=qr.svg_data_uri(scale=4, border=0, dark="#1b1f24"))


def certificate_html(context: CertificateContext) -> str:
    with force_locale(context.language):
        return render_template("certificates/certificate.html", c=context)


def render(context: CertificateContext, credential_jwt: str) -> bytes:
    from weasyprint import Attachment

    attachment = Attachment(string=credential_jwt, name=ATTACHMENT_NAME,
                            description="Open Badges 3.0 credential (VC-JWT)",
                            relationship="Source")
    return render_pdf(certificate_html(context), pdf_variant="pdf/a-3b",
                      attachments=[attachment], pdf_identifier=context.public_id.encode(),
                      custom_metadata=True)


def context_as_dict(context: CertificateContext) -> dict:
    return asdict(context)


# --- rendering in worker processes (bulk issue) -------------------------------------

_STANDALONE = None


def _standalone_app():
    """A minimal Flask app with the certificate template and the translations:
    enough to render in a worker process without loading the whole platform."""
    global _STANDALONE
    if _STANDALONE is None:
        from pathlib import Path

        from flask import Flask
        from flask_babel import Babel

        package = Path(__file__).resolve().parent
        app = Flask(__name__, template_folder=str(package / "templates"))
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(package.parent / "translations")
        Babel(app)
        _STANDALONE = app
    return _STANDALONE


def render_in_worker(context: dict, credential_jwt: str) -> bytes:
    with _standalone_app().app_context():
        return render(CertificateContext(**context), credential_jwt)
