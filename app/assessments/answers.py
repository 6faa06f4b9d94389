"""Answering: one page per domain for the person's institution, evidence files,
progress per domain and institution. Services check permission, flush, never
commit.

Lost updates are impossible: every answer row has a ``version``; a form (or a
workbook) says which version it was loaded at, and ``rules.merge_decision``
turns a save made from an older version into a conflict shown to the person
instead of a silent overwrite. The UPDATE itself also checks the version
(``version_id_col``), so two saves at the very same moment cannot both win.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.assessments import rules
from app.assessments.access import RoundAccess, load_round
from app.assessments.constants import INSTITUTIONS, UPLOAD_AREA
from app.assessments.frameworks import framework_or_404
from app.assessments.loader import Domain, Edition, Question
from app.assessments.models import Answer, EvidenceFile, Round
from app.assessments.rules import AnswerValues, RawAnswer
from app.core import uploads
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, NotFound, ValidationError
from app.extensions import db

MAX_FILES_PER_ANSWER = 5
CARRIED = "carried"         # Answer.source of an answer copied from the previous round


class AnswerErrors(ValidationError):
    """Problems in one or more answers: {question id: {field: message}}. Nothing saved."""

    default_message = _l("Some answers are not valid, so nothing was saved. Correct the "
                         "fields marked below and save again.")

    def __init__(self, errors: dict[str, dict[str, str]], message=None):
        super().__init__(message)
        self.errors = errors


class ConcurrentSave(Conflict):
    default_message = _l("Someone saved these answers at the same moment, so nothing was "
                         "saved. Save again to compare your answers with theirs.")


def values_of(row: Answer | None) -> AnswerValues:
    if row is None:
        return AnswerValues()
    return AnswerValues(response=row.response, level=row.level,
                        links=tuple(row.evidence_links or ()), note=row.evidence_note or "",
                        comment=row.comment or "", target_level=row.target_level,
                        target_year=row.target_year)


def edition_domain(round_: Round, slug: str, language: str | None = None
                   ) -> tuple[Edition, Domain]:
    edition = framework_or_404(round_.framework_slug).edition(language)
    domain = edition.domain(slug)
    if domain is None:
        raise NotFound()
    return edition, domain


def rows_for(round_id: int, institution: str | None, question_ids: Iterable[str]
             ) -> dict[str, Answer]:
    stmt = select(Answer).where(Answer.round_id == round_id,
                                Answer.question_id.in_(list(question_ids)))
    if institution is not None:
        stmt = stmt.where(Answer.institution == institution)
    return {a.question_id: a for a in db.session.scalars(stmt).unique()}


def files_for(round_id: int, institution: str | None, question_ids: Iterable[str]
              ) -> dict[tuple[str, str], list[EvidenceFile]]:
    stmt = select(EvidenceFile).where(EvidenceFile.round_id == round_id,
                                      EvidenceFile.question_id.in_(list(question_ids)))
    if institution is not None:
        stmt = stmt.where(EvidenceFile.institution == institution)
    result: dict[tuple[str, str], list[EvidenceFile]] = {}
    for f in db.session.scalars(stmt.order_by(EvidenceFile.id)):
        result.setdefault((f.institution, f.question_id), []).append(f)
    return result


# --- the answer page -------------------------------------------------------------------

@dataclass
class QuestionState:
    question: Question
    answer: Answer | None
    files: list[EvidenceFile]

    @property
    def values(self) -> AnswerValues:
        return values_of(self.answer)

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0


@dataclass
class DomainAnswers:
    access: RoundAccess
    edition: Edition
    domain: Domain
    institution: str
    items: list[QuestionState]
    editable: bool

    @property
    def answered(self) -> int:
        return sum(1 for item in self.items if item.values.answered)


def _answering_institution(access: RoundAccess, domain: Domain) -> str:
    """Only people whose institution answers this domain have an answer page."""
    institution = access.institution
    if institution is None or institution not in access.round.routed(domain.slug) or (
            access.role not in ("focal_point", "facilitator", "contributor")):
        raise Forbidden()
    return institution


def domain_answers(user, round_id: int, slug: str, language: str | None = None
                   ) -> DomainAnswers:
    access = load_round(user, round_id)
    edition, domain = edition_domain(access.round, slug, language)
    institution = _answering_institution(access, domain)
    ids = [q.id for q in domain.questions]
    rows = rows_for(round_id, institution, ids)
    files = files_for(round_id, institution, ids)
    items = [QuestionState(q, rows.get(q.id), files.get((institution, q.id), []))
             for q in domain.questions]
    return DomainAnswers(access, edition, domain, institution, items,
                         editable=access.can_answer(domain.slug))


@dataclass
class Submission:
    """One question of a submitted domain form."""

    raw: RawAnswer
    version: int = 0                 # the answer's version when the page was loaded
    base: str = ""                   # fingerprint of its values then
    resolution: str | None = None    # after a conflict: "theirs" or "mine"
    uploads: list = field(default_factory=list)     # FileStorage objects
    remove: set[int] = field(default_factory=set)   # EvidenceFile ids to delete


@dataclass(frozen=True)
class AnswerConflict:
    question: str
    theirs: AnswerValues
    version: int
    by: str | None
    at: datetime | None
    yours: AnswerValues

    @property
    def fingerprint(self) -> str:
        return self.theirs.fingerprint()


def write_answer(round_: Round, institution: str, question: Question, values: AnswerValues,
                 row: Answer | None, user, source: str) -> Answer:
    """Create or update one answer row (the version check happens at flush)."""
    if row is None:
        row = Answer(round_id=round_.id, institution=institution, domain=question.domain,
                     question_id=question.id)
        db.session.add(row)
    row.response, row.level = values.response, values.level
    row.evidence_links = list(values.links)
    row.evidence_note, row.comment = values.note, values.comment
    row.target_level, row.target_year = values.target_level, values.target_year
    row.source = source
    row.updated_by_id = getattr(user, "id", None)
    row.updated_at = utcnow()
    return row


def flush_or_conflict() -> None:
    """Flush writes; a concurrent save (version moved, or a row created by someone
    else in the meantime) becomes ConcurrentSave and the caller's transaction is void."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as exc:
        raise ConcurrentSave() from exc


def save_domain(user, round_id: int, slug: str, submissions: dict[str, Submission]
                ) -> list[AnswerConflict]:
    """Check every answer of the domain, then save them all, or none.

    Raises AnswerErrors when anything is invalid. Returns the conflicts (answers
    changed by someone else since the page was loaded and changed here too):
    then nothing is saved and the person chooses, for each, theirs or mine.
    """
    access = load_round(user, round_id)
    access.require_writable()
    _, domain = edition_domain(access.round, slug)
    institution = _answering_institution(access, domain)
    if not access.can_answer(domain.slug):
        raise Forbidden(_l("Answering is not open for this round."))
    questions = {q.id: q for q in domain.questions}
    if set(submissions) - set(questions):
        raise ValidationError(_l("The form does not match this domain's questions. Reload the "
                                 "page and try again."))
    rows = rows_for(round_id, institution, questions)
    files = files_for(round_id, institution, questions)
    max_bytes = current_app.config["ASSESSMENT_UPLOAD_MAX_BYTES"]

    errors: dict[str, dict[str, str]] = {}
    cleaned: dict[str, AnswerValues] = {}
    new_files: dict[str, list[uploads.CheckedFile]] = {}
    for qid, sub in submissions.items():
        values, problems = rules.clean(sub.raw)
        checked = []
        for storage in sub.uploads:
            try:
                checked.append(uploads.read_upload(storage, allowed=uploads.DOCUMENTS,
                                                   max_bytes=max_bytes))
            except uploads.UploadError as err:
                problems["files"] = str(err.message)
        kept = [f for f in files.get((institution, qid), []) if f.id not in sub.remove]
        if len(kept) + len(checked) > MAX_FILES_PER_ANSWER:
            problems["files"] = str(_l("Attach at most %(max)d files to one answer.",
                                       max=MAX_FILES_PER_ANSWER))
        if problems:
            errors[qid] = problems
        else:
            cleaned[qid], new_files[qid] = values, checked
    if errors:
        raise AnswerErrors(errors)

    conflicts, writes = [], []
    for qid, values in cleaned.items():
        sub, row = submissions[qid], rows.get(qid)
        current = values_of(row)
        decision = rules.merge_decision(
            submitted_fp=values.fingerprint(), submitted_version=sub.version, base_fp=sub.base,
            current_fp=current.fingerprint(), current_version=row.version if row else 0,
            resolution=sub.resolution)
        if decision == rules.CONFLICT:
            conflicts.append(AnswerConflict(
                qid, current, row.version if row else 0,
                row.updated_by.full_name if row and row.updated_by else None,
                row.updated_at if row else None, values))
        elif decision == rules.WRITE or (
                row is not None and row.source == CARRIED
                and values.fingerprint() == current.fingerprint()):
            # Saving an answer carried over from the previous round confirms it.
            writes.append((qid, values))
    if conflicts:
        return conflicts

    for qid, values in writes:
        write_answer(access.round, institution, questions[qid], values, rows.get(qid), user,
                     "web")
    flush_or_conflict()
    for qid, sub in submissions.items():
        for f in files.get((institution, qid), []):
            if f.id in sub.remove:
                db.session.delete(f)
                uploads.remove_after_commit(db.session(), UPLOAD_AREA, f.stored_name)
        for checked in new_files.get(qid, []):
            stored = uploads.store(UPLOAD_AREA, checked, db.session())
            db.session.add(EvidenceFile(
                round_id=round_id, institution=institution, question_id=qid,
                original_name=checked.original_name, stored_name=stored,
                content_type=checked.mimetype, size=checked.size, uploaded_by_id=user.id))
    db.session.flush()
    return []


def evidence_file(user, round_id: int, file_id: int) -> EvidenceFile:
    """A file, for download: only for people who may see that institution's answers."""
    access = load_round(user, round_id)
    row = db.session.get(EvidenceFile, file_id)
    if row is None or row.round_id != round_id or not access.can_see(row.institution):
        raise NotFound()
    return row


# --- progress ---------------------------------------------------------------------------

@dataclass
class Progress:
    institutions: list[str]                         # routed somewhere, in the fixed order
    cells: dict[tuple[str, str], tuple[int, int]]   # (domain, institution) -> (answered, total)

    def cell(self, domain: str, institution: str) -> tuple[int, int] | None:
        return self.cells.get((domain, institution))

    def _total(self, keys) -> tuple[int, int]:
        cells = [self.cells[k] for k in keys if k in self.cells]
        return sum(c[0] for c in cells), sum(c[1] for c in cells)

    def domain_total(self, domain: str) -> tuple[int, int]:
        return self._total([(domain, i) for i in self.institutions])

    def institution_total(self, institution: str) -> tuple[int, int]:
        return self._total([k for k in self.cells if k[1] == institution])

    def overall(self) -> tuple[int, int]:
        return self._total(list(self.cells))

    @property
    def overall_percent(self) -> int:
        answered, total = self.overall()
        return round(100 * answered / total) if total else 0


def progress(round_: Round, edition: Edition) -> Progress:
    """Answered questions per domain and institution (one aggregate query)."""
    ids = [q.id for q in edition.questions]
    counts = dict(((d, i), n) for d, i, n in db.session.execute(
        select(Answer.domain, Answer.institution, func.count())
        .where(Answer.round_id == round_.id, Answer.response.is_not(None),
               Answer.question_id.in_(ids))
        .group_by(Answer.domain, Answer.institution)))
    cells = {}
    routed_somewhere = set()
    for domain in edition.domains:
        for institution in round_.routed(domain.slug):
            routed_somewhere.add(institution)
            cells[(domain.slug, institution)] = (counts.get((domain.slug, institution), 0),
                                                 len(domain.questions))
    return Progress([i for i in INSTITUTIONS if i in routed_somewhere], cells)
