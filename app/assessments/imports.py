"""The offline questionnaire as a service: download an institution's workbook,
upload it back, preview what would change, confirm (or discard).

Nothing reaches the answers before the person confirms the preview. The
checked upload waits in a WorkbookImport row (server side: it can be larger
than a cookie). The preview is computed again at confirmation; if answers were
saved online in between, the person sees the new preview first.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from app.assessments import rules, workbook
from app.assessments.access import RoundAccess, load_round
from app.assessments.answers import flush_or_conflict, rows_for, values_of, write_answer
from app.assessments.constants import INSTITUTION_LABELS, institution_label, response_choices
from app.assessments.loader import Domain, Edition, Question
from app.assessments.models import WorkbookImport
from app.assessments.rules import AnswerValues
from app.assessments.services import framework_of
from app.core import audit, uploads
from app.core.db import utcnow
from app.core.errors import Forbidden, NotFound, ValidationError
from app.core.i18n import country_name
from app.extensions import db

PENDING_FOR = timedelta(hours=24)
NEW, CHANGED, UNCHANGED, KEPT, CONFLICT = "new", "changed", "unchanged", "kept", "conflict"


class WorkbookRejected(ValidationError):
    """The workbook cannot be imported; ``problems`` lists every reason. Nothing saved."""

    default_message = _l("The workbook was not imported: nothing was saved. Correct these "
                         "problems and upload it again.")

    def __init__(self, problems: list[str]):
        super().__init__()
        self.problems = problems


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="assessment-workbook")


def _answering(access: RoundAccess) -> tuple[str, list[str]]:
    """The person's institution and the domains routed to it."""
    institution = access.institution
    domains = access.round.domains_for(institution)
    if access.role not in ("focal_point", "facilitator", "contributor") or not domains:
        raise Forbidden()
    return institution, domains


def _routed(edition: Edition, domain_slugs: list[str]) -> list[Domain]:
    return [d for d in edition.domains if d.slug in domain_slugs]


def choices(edition: Edition) -> list[tuple[str, str]]:
    return response_choices(edition.scale_labels)


def _guidance(question: Question, edition: Edition) -> str:
    parts = [question.guidance, ""]
    parts += [f"{level} – {edition.scale_labels[level]}: {text}"
              for level, text in enumerate(question.levels)]
    if question.references:
        parts += ["", ", ".join(question.references)]
    return "\n".join(parts)


def download(user, round_id: int, language: str) -> tuple[str, bytes]:
    """(file name, XLSX bytes) of the person's institution's routed questions."""
    access = load_round(user, round_id)
    institution, domain_slugs = _answering(access)
    round_ = access.round
    framework = framework_of(round_)
    edition = framework.edition(language)
    domains = _routed(edition, domain_slugs)
    ids = [q.id for d in domains for q in d.questions]
    rows = rows_for(round_id, institution, ids)
    downloaded_at = utcnow().isoformat(timespec="seconds")
    country = country_name(round_.country, language)
    spec = workbook.Spec(
        meta={"round": round_.id, "institution": institution, "language": language,
              "framework": framework.slug, "version": framework.version,
              "downloaded_at": downloaded_at,
              "token": _serializer().dumps([round_.id, institution, downloaded_at])},
        title=f"{edition.title}: {country} {round_.label}",
        subtitle=str(_l("Institution: %(institution)s. Framework version %(version)s. "
                        "Downloaded %(at)s UTC.", institution=institution_label(institution),
                        version=framework.version, at=downloaded_at.replace("T", " ")[:16])),
        headers={"question_id": _l("Question id (do not edit)"), "domain": _l("Domain"),
                 "number": _l("No."), "question": _l("Question"),
                 "guidance": _l("Guidance and levels"), "answer": _l("Your answer (level)"),
                 "links": _l("Evidence links (one per line, http:// or https://)"),
                 "note": _l("Evidence note"), "comment": _l("Comment"),
                 "target_level": _l("Target level"), "target_year": _l("Target year"),
                 "base_version": _l("Version"), "base_fp": _l("Check")},
        instructions=[str(t) for t in (
            _l("How to use this workbook"),
            _l("1. Answer each question in the “Questions” sheet: choose a level from the "
               "drop-down list, or “Don't know” or “Not applicable”."),
            _l("2. Add evidence links (http:// or https://, one per line), a short evidence "
               "note and a comment where useful (at most %(max)d characters each), and a "
               "target level and year if you have one.", max=rules.MAX_TEXT),
            _l("3. Do not add, remove or reorder rows and do not edit hidden columns."),
            _l("4. Upload the workbook on the round's page. You will see what changes, and "
               "any answer saved online since you downloaded it, before anything is saved."),
            _l("Files (a law, an agreement) can be attached on the website."),
        )],
        scale=[(s.level, s.label, s.meaning) for s in edition.scale],
        choices=choices(edition),
        rows=[workbook.Row(q.id, f"{d.number}. {d.title}", q.number, q.text,
                           _guidance(q, edition), values_of(rows.get(q.id)),
                           rows[q.id].version if q.id in rows else 0)
              for d in domains for q in d.questions])
    name = uploads.sanitise_filename(
        f"self-assessment-{round_.country}-{round_.label}-{institution}.xlsx")
    return name, workbook.build(spec)


def uploader(user, round_id: int) -> RoundAccess:
    """The round, if the person may upload their institution's workbook now."""
    access = load_round(user, round_id)
    access.require_writable()
    _, domain_slugs = _answering(access)
    if not all(access.can_answer(d) for d in domain_slugs):
        raise Forbidden(_l("Answering is not open for this round."))
    return access


def upload(user, round_id: int, storage) -> WorkbookImport:
    """Check an uploaded workbook completely; keep it for the preview, or raise
    WorkbookRejected / UploadError with every problem."""
    access = uploader(user, round_id)
    institution, domain_slugs = _answering(access)
    checked = uploads.read_upload(storage, allowed=uploads.SPREADSHEETS,
                                  max_bytes=current_app.config["ASSESSMENT_UPLOAD_MAX_BYTES"])
    meta, problem = workbook.read_meta(checked.data)
    if problem:
        raise WorkbookRejected([problem])
    _check_identity(meta, access, institution)
    framework = framework_of(access.round)
    # The drop-down labels are in the language the workbook was downloaded in.
    language = meta.get("language")
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    edition = framework.edition(language)
    with force_locale(language):
        answer_choices = choices(edition)
    known = {q.id for d in _routed(edition, domain_slugs) for q in d.questions}
    parsed = workbook.parse(checked.data, known=known, choices=answer_choices)
    if parsed.problems:
        raise WorkbookRejected(parsed.problems)
    for older in db.session.scalars(select(WorkbookImport).where(
            WorkbookImport.round_id == round_id, WorkbookImport.user_id == user.id,
            WorkbookImport.status == "pending")):
        older.status = "discarded"
    imported = WorkbookImport(
        round_id=round_id, institution=institution, user_id=user.id,
        filename=checked.original_name[:200],
        rows=[{"question_id": r.question_id, "values": r.values.to_dict(),
               "base_version": r.base_version, "base_fp": r.base_fp} for r in parsed.rows])
    db.session.add(imported)
    db.session.flush()
    return imported


def _check_identity(meta: dict, access: RoundAccess, institution: str) -> None:
    try:
        signed = _serializer().loads(meta.get("token", ""))
    except BadSignature:
        signed = None
    identity = [_int(meta.get("round")), meta.get("institution"), meta.get("downloaded_at")]
    if signed != identity:
        raise WorkbookRejected([str(_l(
            "The workbook's hidden identification was changed, so it cannot be trusted. "
            "Download a new workbook and copy your answers into it."))])
    if identity[0] != access.round.id:
        raise WorkbookRejected([str(_l(
            "This workbook was downloaded for another self-assessment round. Download the "
            "workbook of this round and copy your answers into it."))])
    if identity[1] != institution:
        raise WorkbookRejected([str(_l(
            "This workbook is for another institution (%(other)s). Download the workbook of "
            "your institution.", other=INSTITUTION_LABELS.get(identity[1], identity[1])))])


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- preview and confirmation --------------------------------------------------------------

@dataclass(frozen=True)
class PreviewItem:
    question: Question
    status: str
    workbook: AnswerValues
    online: AnswerValues
    online_by: str | None
    online_at: datetime | None


@dataclass
class Preview:
    access: RoundAccess
    imported: WorkbookImport
    edition: Edition
    items: list[PreviewItem]

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def fingerprint(self) -> str:
        """Changes as soon as the preview would show something else."""
        raw = "|".join(f"{i.question.id}:{i.status}:{i.online.fingerprint()}" for i in self.items)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _pending(user, access: RoundAccess, import_id: int) -> WorkbookImport:
    imported = db.session.get(WorkbookImport, import_id)
    if (imported is None or imported.round_id != access.round.id or imported.user_id != user.id
            or imported.institution != access.institution):
        raise NotFound()
    if imported.status != "pending" or utcnow() - imported.created_at > PENDING_FOR:
        raise ValidationError(_l("This upload is no longer waiting for confirmation. Upload "
                                 "the workbook again."))
    return imported


def preview(user, round_id: int, import_id: int, language: str | None = None) -> Preview:
    access = load_round(user, round_id)
    _answering(access)
    imported = _pending(user, access, import_id)
    edition = framework_of(access.round).edition(language)
    ids = [r["question_id"] for r in imported.rows]
    current = rows_for(round_id, imported.institution, ids)
    items = []
    for r in imported.rows:
        question = edition.question(r["question_id"])
        if question is None:
            continue
        values = AnswerValues.from_dict(r["values"])
        row = current.get(question.id)
        online = values_of(row)
        decision = rules.merge_decision(
            submitted_fp=values.fingerprint(), submitted_version=r["base_version"],
            base_fp=r["base_fp"], current_fp=online.fingerprint(),
            current_version=row.version if row else 0)
        if decision == rules.CONFLICT:
            status = CONFLICT
        elif decision == rules.WRITE:
            status = NEW if online.empty else CHANGED
        else:
            status = UNCHANGED if values == online else KEPT
        items.append(PreviewItem(question, status, values, online,
                                 row.updated_by.full_name if row and row.updated_by else None,
                                 row.updated_at if row else None))
    return Preview(access, imported, edition, items)


class PreviewOutdated(ValidationError):
    default_message = _l("Answers were saved online since you looked at the preview. Check "
                         "the preview again before confirming.")


def confirm(user, round_id: int, import_id: int, *, fingerprint: str,
            use_workbook: set[str]) -> int:
    """Apply the previewed changes (and the conflicts the person chose to
    overwrite); return the number of answers saved."""
    result = preview(user, round_id, import_id)
    institution = uploader(user, round_id).institution
    access = result.access
    if fingerprint != result.fingerprint:
        raise PreviewOutdated()
    ids = [item.question.id for item in result.items]
    current = rows_for(round_id, institution, ids)
    saved = 0
    for item in result.items:
        if item.status in (NEW, CHANGED) or (item.status == CONFLICT
                                             and item.question.id in use_workbook):
            write_answer(access.round, institution, item.question, item.workbook,
                         current.get(item.question.id), user, "workbook")
            saved += 1
    flush_or_conflict()
    result.imported.status = "applied"
    result.imported.applied_at = utcnow()
    audit.record("assessments.workbook_imported", actor=user, subject=f"round:{round_id}",
                 institution=institution, answers=saved)
    return saved


def discard(user, round_id: int, import_id: int) -> None:
    access = load_round(user, round_id)
    imported = _pending(user, access, import_id)
    imported.status = "discarded"
