"""Sending e-mail.

With MAIL_SERVER configured, messages go out over SMTP. Otherwise (a laptop,
the tests) each message is written as an .eml file into OUTBOX_DIR and its
subject is logged, so a developer can open the links it contains.
"""

import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from app.core.db import utcnow

log = logging.getLogger(__name__)


def send(to: str, subject: str, template: str, *, locale: str | None = None, **context) -> None:
    """Render ``templates/<template>.txt`` in the recipient's language and send it."""
    with force_locale(locale or "en"):
        body = render_template(f"{template}.txt", **context)
        subject = str(subject)
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(domain="migration-data-academy")
    msg.set_content(body)
    deliver(msg)


def deliver(msg: EmailMessage) -> None:
    cfg = current_app.config
    if cfg.get("MAIL_SERVER"):
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(msg)
        return
    outbox = Path(cfg["OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    (outbox / name).write_bytes(bytes(msg))
    log.info("E-mail '%s' written to %s", msg["Subject"], outbox / name)
