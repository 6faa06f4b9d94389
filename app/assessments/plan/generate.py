"""The national migration data plan as a document structure. Pure code: no
Flask, no database.

``build(data, _)`` takes plain data about one round (``PlanData``: the
framework edition, the consensus levels and answers, the scores from
app/assessments/scoring.py, the previous round's scores, the plan's edited
rows and texts, completion counts) and returns a ``PlanDocument``: the
fifteen sections of the domain brief's C.3 template, in order, made of
paragraphs, lists, fact lists, tables and charts, plus the list of what is
still incomplete. Every exporter (PDF, DOCX, Markdown, XLSX/CSV) and the plan
page format that one structure: content is decided here only.

Fixed texts are translated by the ``_`` function passed in (Flask-Babel's
``gettext`` in the application, the identity in unit tests), so the document
comes out in the plan's language.

The drafting rules live here too: ``draft_actions`` (a question agreed at
level 2 or below drafts an action from the framework's improvement text;
level 3 or 4, don't know, not applicable and no consensus draft nothing) and
``priority`` = (target − current) × importance.
"""

import re
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from app.assessments.loader import Edition, Question
from app.assessments.scoring import GAP_AT, MAX_LEVEL, Summary

SECTION_KEYS = ("cover", "summary", "context", "method", "results", "needs", "objectives",
                "actions", "indicators", "flows", "capacity", "budget", "governance",
                "timeline", "annexes")
SMALL_GROUP = 5             # counts below this are shown as "fewer than 5"
TOP = 5                     # top gaps and top actions in the executive summary
PHASE_MONTHS = ((0, 3), (3, 12), (12, 36), (36, 60))
YEARS = 5


def identity(text: str, **values) -> str:
    return text % values if values else text


# --- rules ---------------------------------------------------------------------------------

def priority(target: int | None, current: int | None, importance: int | None) -> int:
    """(target − current) × importance (1–3); 0 when the target is reached or unknown."""
    if target is None or current is None:
        return 0
    return max(0, target - current) * (importance or 0)


def default_target(current: int, answer_targets: Iterable[int | None] = ()) -> int:
    """The institutions' target (the lower median of those above the current
    level), else level 3 ("meets"), always above the current level when possible."""
    above = sorted(t for t in answer_targets if t is not None and t > current)
    if above:
        return statistics.median_low(above)
    return min(MAX_LEVEL, max(current + 1, 3))


def default_importance(level: int) -> int:
    """3 (high) for an absent capacity (level 0), else 2; the workshop adjusts it."""
    return 3 if level == 0 else 2


def suggested_phase(prio: int) -> int:
    """Where an undated action goes in the timeline: the most urgent first."""
    return 1 if prio >= 6 else (2 if prio >= 3 else 3)


def mask_count(n: int) -> int | None:
    """Aggregate counts of people: None (shown as "fewer than 5") below 5."""
    return n if n >= SMALL_GROUP else None


_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
_MD_MARKS = re.compile(r"(\*\*|__|\*|`)")


def completion_text(staff: int, done: int, _: Callable = identity) -> str:
    """"7 of 12", "fewer than 5 of 12", or "fewer than 5 staff": never a count below 5."""
    shown_staff = mask_count(staff)
    if shown_staff is None:
        return _("fewer than 5 staff")
    shown_done = mask_count(done)
    return _("%(done)s of %(staff)d", staff=shown_staff,
             done=_("fewer than 5") if shown_done is None else str(shown_done))


def plain(text: str) -> str:
    """Inline Markdown of the framework (bold, links) as plain text."""
    return " ".join(_MD_MARKS.sub("", _MD_LINK.sub(r"\1", text or "")).split())


@dataclass(frozen=True)
class ActionDraft:
    domain: str
    question_id: str
    gap: str
    action: str
    baseline_level: int
    target_level: int
    importance: int
    indicator: str
    course_module: str | None
    needs_dpia: bool = False
    needs_dsa: bool = False
    needs_sdc: bool = False


def draft_actions(edition: Edition, consensus: Mapping[str, int | None],
                  answer_targets: Mapping[str, Iterable[int | None]] | None = None,
                  existing: Iterable[str] = (), _: Callable = identity,
                  protection_keywords: Mapping[str, Iterable[str]] | None = None
                  ) -> list[ActionDraft]:
    """One draft per question agreed at level 0, 1 or 2 that has no action yet.
    ``consensus`` maps question ids to the agreed level, or None (don't know,
    not applicable, no consensus): those draft nothing."""
    answer_targets = answer_targets or {}
    skip = set(existing)
    drafts = []
    for domain in edition.domains:
        for q in domain.questions:
            level = consensus.get(q.id)
            if level is None or level > GAP_AT or q.id in skip:
                continue
            target = default_target(level, answer_targets.get(q.id, ()))
            flags = {name: any(word in q.id for word in words)
                     for name, words in (protection_keywords or {}).items()}
            drafts.append(ActionDraft(
                domain=domain.slug, question_id=q.id,
                gap=_("%(number)s %(question)s (agreed level %(level)d: %(label)s)",
                      number=q.number, question=plain(q.text), level=level,
                      label=edition.scale_labels.get(level, "")),
                action=q.improvement[level], baseline_level=level, target_level=target,
                importance=default_importance(level),
                indicator=_("Question %(number)s agreed at level %(target)d or more at the "
                            "next assessment", number=q.number, target=target),
                course_module=q.courses[0] if q.courses else None, **flags))
    return drafts


def draft_objectives(edition: Edition, summary: Summary, _: Callable = identity,
                     limit: int = 4) -> list[str]:
    """Starting objectives: one per weakest domain scoring below 3 (at most four)."""
    weak = sorted((ds for ds in summary.domains if ds.score is not None and ds.score < 3),
                  key=lambda ds: (ds.score, ds.domain))[:limit]
    lines = []
    for ds in weak:
        domain = edition.domain(ds.domain)
        if domain is None:
            continue
        gaps = sum(1 for g in summary.gaps if g.domain == ds.domain)
        lines.append(_("Strengthen “%(domain)s”: raise its score from %(score)s towards 3 "
                       "(meets) by closing its %(n)d gaps.", domain=domain.title,
                       score=f"{ds.score:.1f}", n=gaps))
    return lines


def available_dimensions(consensus: Mapping[str, int | None],
                         dimension_questions: Mapping[str, Iterable[str]]) -> list[str]:
    """Dimensions available today: one of their questions agreed at 3 or more."""
    return [dim for dim, ids in dimension_questions.items()
            if any((consensus.get(i) or 0) >= 3 for i in ids)]


def need_gap(edition: Edition, consensus: Mapping[str, int | None],
             question_ids: Iterable[str]) -> tuple[str | None, int]:
    """(gap type, priority 1–3) of a data need from its questions: the gap type of
    the weakest one agreed at 2 or below; priority 3 if one is at 0 or 1, 2 if
    one is at 2 (or none is scored), 1 when all are at 3 or more."""
    scored = []
    for qid in question_ids:
        q = edition.question(qid)
        if q is not None and consensus.get(qid) is not None:
            scored.append((consensus[qid], q))
    if not scored:
        return None, 2
    level, weakest = min(scored, key=lambda pair: pair[0])
    if level > GAP_AT:
        return None, 1
    return weakest.gap_type, 3 if level <= 1 else 2


# --- inputs -----------------------------------------------------------------------------------

def _from_row(cls, row):
    return cls(**{f.name: getattr(row, f.name) for f in fields(cls) if hasattr(row, f.name)})


@dataclass(frozen=True)
class ActionData:
    number: int
    domain: str
    question_id: str | None = None
    gap: str = ""
    action: str = ""
    output: str = ""
    lead_institution: str | None = None
    partners: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    cost: Decimal | None = None
    currency: str = "USD"
    funding: str | None = None
    indicator: str = ""
    milestone: str = ""
    baseline_level: int | None = None
    target_level: int | None = None
    importance: int = 2
    needs_dpia: bool = False
    needs_dsa: bool = False
    needs_sdc: bool = False
    protection_note: str = ""
    risks: str = ""
    status: str = "not_started"
    course_module: str | None = None
    id: int | None = None

    @property
    def code(self) -> str:
        return f"A-{self.number:02d}"

    @property
    def priority(self) -> int:
        return priority(self.target_level, self.baseline_level, self.importance)

    from_row = classmethod(_from_row)


@dataclass(frozen=True)
class NeedData:
    number: int
    policy_question: str = ""
    indicator: str = ""
    definition: str = ""
    source: str = ""
    frequency: str = ""
    responsible: str | None = None
    disaggregation: tuple[str, ...] = ()
    available: tuple[str, ...] = ()
    gap_type: str | None = None
    priority: int = 2
    baseline: str = ""
    target: str = ""
    id: int | None = None

    @property
    def code(self) -> str:
        return f"N-{self.number:02d}"

    @classmethod
    def from_row(cls, row):
        item = _from_row(cls, row)
        return cls(**{**item.__dict__, "disaggregation": tuple(row.disaggregation or ()),
                      "available": tuple(row.available or ())})


@dataclass(frozen=True)
class FlowData:
    number: int
    from_institution: str | None = None
    to_institution: str | None = None
    data: str = ""
    legal_basis: str = ""
    dsa_status: str = "unknown"
    dpia_status: str = "unknown"
    security: str = ""
    retention: str = ""
    sdc_rules: str = ""
    id: int | None = None

    @property
    def code(self) -> str:
        return f"F-{self.number:02d}"

    from_row = classmethod(_from_row)


@dataclass(frozen=True)
class PlanSettings:
    doc_version: str = "0.1"
    approval_status: str = "draft"
    lead_agency: str = ""
    starts_on: date | None = None
    next_review_on: date | None = None
    currency: str = "USD"
    summary_note: str = ""
    context: str = ""
    policy_priorities: str = ""
    objectives: str = ""
    protection_principles: str = ""
    technical_assistance: str = ""
    budget_notes: str = ""
    governance: str = ""

    from_row = classmethod(_from_row)


@dataclass(frozen=True)
class ConsensusData:
    question_id: str
    response: str | None
    level: int | None
    justification: str = ""
    carried_over: bool = False


@dataclass(frozen=True)
class AnswerData:
    institution: str
    question_id: str
    response: str | None
    level: int | None
    links: tuple[str, ...] = ()
    note: str = ""
    comment: str = ""
    target_level: int | None = None
    target_year: int | None = None
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModuleNeed:
    """A course module recommended for gaps, with completions per institution:
    {institution: (staff counted, staff who completed it)}."""

    path: str
    title: str
    questions: tuple[str, ...]          # question numbers of the gaps it addresses
    counts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PreviousRound:
    label: str
    summary: Summary


@dataclass
class Labels:
    """Translated labels of the fixed lists (institutions, statuses…)."""

    institutions: dict = field(default_factory=dict)
    statuses: dict = field(default_factory=dict)
    funding: dict = field(default_factory=dict)
    gap_types: dict = field(default_factory=dict)
    dimensions: dict = field(default_factory=dict)
    dsa: dict = field(default_factory=dict)
    dpia: dict = field(default_factory=dict)
    approval: dict = field(default_factory=dict)
    priority: dict = field(default_factory=dict)
    round_status: str = ""

    def institution(self, code: str | None) -> str:
        return str(self.institutions.get(code or "", code or ""))


@dataclass
class PlanData:
    country: str
    round_label: str
    validated: bool
    edition: Edition
    framework_version: str
    summary: Summary
    consensus: dict                     # question id -> ConsensusData
    settings: PlanSettings = field(default_factory=PlanSettings)
    actions: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    flows: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    show_details: bool = True
    institutions: list = field(default_factory=list)    # institutions taking part, in order
    answer_counts: dict = field(default_factory=dict)   # institution -> questions answered
    routing: dict = field(default_factory=dict)
    framework_hash: str = ""
    created_on: date | None = None
    opened_on: date | None = None
    validated_on: date | None = None
    modules: list = field(default_factory=list)         # ModuleNeed
    previous: PreviousRound | None = None
    charts: tuple | None = None                         # (radar svg, bar svg)
    labels: Labels = field(default_factory=Labels)
    glossary: list = field(default_factory=list)        # (term, definition)
    references: list = field(default_factory=list)
    today: date = field(default_factory=date.today)


# --- the document --------------------------------------------------------------------------

@dataclass
class Paragraph:
    block = "paragraph"  # the kind of block, for templates

    text: str
    style: str = ""             # "", "lead", "note", "placeholder"


@dataclass
class Heading:
    block = "heading"  # the kind of block, for templates

    text: str
    level: int = 2


@dataclass
class Bullets:
    block = "bullets"  # the kind of block, for templates

    items: list
    ordered: bool = False


@dataclass
class Facts:
    block = "facts"  # the kind of block, for templates

    rows: list                  # (label, value)


@dataclass
class Table:
    block = "table"  # the kind of block, for templates

    columns: list
    rows: list                  # lists of cell texts
    caption: str = ""
    kind: str = ""              # "actions", "needs", "flows"… (exporters may style them)
    refs: list | None = None    # per row: the id of the edited row, for edit links
    widths: list | None = None  # relative column widths
    choices: dict = field(default_factory=dict)     # column index -> allowed values


@dataclass
class Chart:
    block = "chart"  # the kind of block, for templates

    svg: str
    caption: str
    table: Table                # the same numbers, for formats without images
    kind: str = ""              # "radar" or "bars"


@dataclass
class Section:
    number: int
    key: str
    title: str
    blocks: list
    landscape: bool = False


@dataclass
class PlanDocument:
    title: str
    subtitle: str
    language: str
    draft_title: str
    incomplete: list
    sections: list
    generated_on: date
    footer: str
    #: Typed tables for spreadsheets (XLSX, CSV): "actions", "needs", "flows".
    sheets: dict = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.incomplete

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def _paragraphs(text: str, style: str = "") -> list[Paragraph]:
    return [Paragraph(" ".join(p.split()), style) for p in re.split(r"\n\s*\n", text or "")
            if p.strip()]


def _lines(text: str) -> list[str]:
    return [line.strip(" -•*\t") for line in (text or "").splitlines() if line.strip(" -•*\t")]


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _change(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}" if round(value, 1) != 0 else "0.0"


def _money(value: Decimal | None, currency: str) -> str:
    return "—" if value is None else f"{value:,.2f} {currency}"


def _date(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _add_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    return date(start.year + year, month + 1, 1)


# --- building ---------------------------------------------------------------------------------

class _Builder:
    def __init__(self, data: PlanData, _: Callable):
        self.d = data
        self._ = _
        self.edition = data.edition
        self.labels = data.labels
        self.actions = sorted(data.actions, key=lambda a: (-a.priority, a.number))
        self.by_question = {a.question_id: a for a in data.actions if a.question_id}
        self.prev = data.previous.summary if data.previous else None

    # helpers ------------------------------------------------------------------
    def q(self, qid: str | None) -> Question | None:
        return self.edition.question(qid) if qid else None

    def ref(self, action: ActionData) -> str:
        q = self.q(action.question_id)
        if q is not None:
            return q.number
        domain = self.edition.domain(action.domain)
        return str(domain.number) if domain else "—"

    def module_title(self, path: str | None) -> str:
        if not path:
            return "—"
        return next((m.title for m in self.d.modules if m.path == path), path)

    def question_target(self, qid: str) -> int | None:
        action = self.by_question.get(qid)
        if action is not None and action.target_level is not None:
            return action.target_level
        targets = [a.target_level for a in self.d.answers
                   if a.question_id == qid and a.target_level is not None]
        return statistics.median_low(targets) if targets else None

    def domain_target(self, domain) -> float | None:
        pairs = []
        for q in domain.questions:
            c = self.d.consensus.get(q.id)
            if c is None or c.level is None:
                continue
            target = self.question_target(q.id)
            pairs.append((max(c.level, target if target is not None else c.level), q.weight))
        total = sum(w for _v, w in pairs)
        return sum(v * w for v, w in pairs) / total if total else None

    def change(self, slug: str) -> float | None:
        if self.prev is None:
            return None
        now, before = self.d.summary.domain(slug), self.prev.domain(slug)
        if now is None or before is None or now.score is None or before.score is None:
            return None
        return now.score - before.score

    # incomplete -----------------------------------------------------------------
    def incomplete(self) -> list[str]:
        _ = self._
        d, items = self.d, []
        if not d.validated:
            items.append(_("The assessment round is not validated yet: its scores are "
                           "provisional."))
        no_consensus = sum(1 for q in self.edition.questions
                           if (c := d.consensus.get(q.id)) is None or c.response is None)
        if no_consensus:
            items.append(_("%(n)d of %(total)d questions have no consensus level yet.",
                           n=no_consensus, total=len(self.edition.questions)))
        carried = sum(1 for c in d.consensus.values() if c.carried_over)
        if carried:
            items.append(_("%(n)d consensus levels were carried over from the previous round "
                           "and are not confirmed yet.", n=carried))
        if not d.settings.lead_agency.strip():
            items.append(_("The lead agency is not named."))
        if not d.settings.context.strip():
            items.append(_("The context section (migration profile) is not written yet."))
        checks = (
            (lambda a: not a.lead_institution, _("%(n)d actions have no lead institution.")),
            (lambda a: a.starts_on is None or a.ends_on is None,
             _("%(n)d actions have no start or end date.")),
            (lambda a: a.cost is None, _("%(n)d actions have no cost estimate.")),
            (lambda a: not a.funding, _("%(n)d actions have no funding source.")),
        )
        for test, message in checks:
            n = sum(1 for a in d.actions if test(a))
            if n:
                items.append(message % {"n": n})
        n = sum(1 for x in d.needs if not x.policy_question.strip() or not x.indicator.strip())
        if n:
            items.append(_("%(n)d data needs have no policy question or indicator.", n=n))
        n = sum(1 for f in d.flows if "unknown" in (f.dsa_status, f.dpia_status))
        if n:
            items.append(_("%(n)d data flows have an unknown agreement (DSA) or impact "
                           "assessment (DPIA) status.", n=n))
        return items

    # sections -------------------------------------------------------------------
    def cover(self) -> list:
        _, d, s = self._, self.d, self.d.settings
        working_group = ", ".join(self.labels.institution(i) for i in d.institutions) or "—"
        return [Facts([
            (_("Country"), d.country),
            (_("Assessment round"), d.round_label),
            (_("Plan version"), s.doc_version or "—"),
            (_("Date"), d.today.isoformat()),
            (_("Lead agency"), s.lead_agency or "—"),
            (_("Working group (institutions)"), working_group),
            (_("Approval status"), str(self.labels.approval.get(s.approval_status,
                                                                s.approval_status))),
            (_("Assessment status"), self.labels.round_status),
            (_("Next review"), _date(s.next_review_on)),
            (_("Questionnaire"), f"{self.edition.title} ({d.framework_version})"),
        ]), Paragraph(_("This plan was drafted from the results of the self-assessment and "
                        "edited by the working group. Scores describe the country's own "
                        "migration data system and its progress over time; they are never "
                        "used to rank countries."), "note")]

    def summary(self) -> list:
        _, d, summ = self._, self.d, self.d.summary
        blocks = []
        if summ.overall is not None:
            text = _("The overall index of the migration data system is %(score)s of 4 "
                     "(%(percent)s%% of the maximum), from the consensus levels of %(n)d of "
                     "%(total)d questions.", score=_score(summ.overall),
                     percent=f"{summ.overall_percent:.0f}",
                     n=sum(ds.scored for ds in summ.domains),
                     total=sum(ds.total for ds in summ.domains))
            if self.prev is not None and self.prev.overall is not None:
                text += " " + _("It was %(before)s in %(round)s (%(change)s).",
                                before=_score(self.prev.overall), round=d.previous.label,
                                change=_change(summ.overall - self.prev.overall))
            blocks.append(Paragraph(text, "lead"))
        else:
            blocks.append(Paragraph(_("No question has a consensus level yet: the scores "
                                      "will appear here."), "placeholder"))
        blocks += _paragraphs(d.settings.summary_note)
        blocks.append(Heading(_("Headline scores")))
        blocks.append(self.score_table(caption=_("Domain scores (0 to 4)")))
        blocks.append(Heading(_("Top %(n)d gaps", n=TOP)))
        gaps = sorted(summ.gaps, key=lambda g: (
            -(self.by_question[g.question].priority if g.question in self.by_question else 0),
            g.level))[:TOP]
        blocks.append(Bullets([self.gap_text(g) for g in gaps] or [_("No gap recorded.")],
                              ordered=bool(gaps)))
        blocks.append(Heading(_("Top %(n)d actions", n=TOP)))
        top = self.actions[:TOP]
        blocks.append(Bullets(
            [_("%(code)s %(action)s (lead: %(lead)s; priority %(priority)d)", code=a.code,
               action=a.action, lead=self.labels.institution(a.lead_institution) or _("to be "
                                                                                   "named"),
               priority=a.priority) for a in top] or [_("No action yet.")], ordered=bool(top)))
        return blocks

    def gap_text(self, gap) -> str:
        q = self.q(gap.question)
        label = self.edition.scale_labels.get(gap.level, "")
        text = plain(q.text) if q else gap.question
        return self._("%(number)s %(question)s (level %(level)d: %(label)s)",
                      number=q.number if q else "", question=text, level=gap.level,
                      label=label).strip()

    def score_table(self, caption: str) -> Table:
        _ = self._
        columns = [_("Domain"), _("Score (0–4)"), _("Percentage of the maximum"), _("Target"),
                   _("Questions scored")]
        if self.d.previous:
            columns.insert(4, _("Change since %(round)s", round=self.d.previous.label))
        rows = []
        for domain in self.edition.domains:
            ds = self.d.summary.domain(domain.slug)
            row = [f"{domain.number}. {domain.title}", _score(ds.score if ds else None),
                   "—" if not ds or ds.percent is None else f"{ds.percent:.0f}%",
                   _score(self.domain_target(domain)),
                   f"{ds.scored if ds else 0} / {len(domain.questions)}"]
            if self.d.previous:
                row.insert(4, _change(self.change(domain.slug)))
            rows.append(row)
        return Table(columns, rows, caption=caption, kind="scores")

    def context(self) -> list:
        _, s = self._, self.d.settings
        blocks = [Heading(_("Migration profile snapshot"))]
        blocks += _paragraphs(s.context) or [Paragraph(_(
            "To be completed by the working group: stocks and shares of international "
            "migrants (UN DESA, with the edition used), flows, refugees, internally displaced "
            "people, remittances, and displacement tracking data where relevant."),
            "placeholder")]
        blocks.append(Heading(_("Policy priorities and links to national plans")))
        blocks += _paragraphs(s.policy_priorities) or [Paragraph(_(
            "To be completed: the policy priorities this plan serves, and its links to the "
            "national development plan, the national strategy for the development of "
            "statistics (NSDS), the migration policy and the GCM implementation plan."),
            "placeholder")]
        return blocks

    def method(self) -> list:
        _, d = self._, self.d
        blocks = [Heading(_("Participating institutions"))]
        blocks.append(Bullets([
            _("%(institution)s: %(n)d answers", institution=self.labels.institution(i),
              n=d.answer_counts.get(i, 0)) for i in d.institutions] or [_("None yet.")]))
        blocks.append(Heading(_("Dates and questionnaire")))
        blocks.append(Facts([
            (_("Round created"), _date(d.created_on)),
            (_("Opened for answers"), _date(d.opened_on)),
            (_("Validated"), _date(d.validated_on)),
            (_("Questionnaire"), self.edition.title),
            (_("Questionnaire version"), f"{d.framework_version}"
                                         + (f" ({d.framework_hash[:12]})"
                                            if d.framework_hash else "")),
            (_("Domains and questions"), _("%(d)d domains, %(q)d questions",
                                           d=len(self.edition.domains),
                                           q=len(self.edition.questions))),
        ]))
        blocks.append(Heading(_("Scoring rules")))
        blocks.append(Paragraph(_(
            "Each institution answered the questions routed to it with a level from 0 to 4, "
            "“don't know” or “not applicable”, with its evidence. A domain's score is the "
            "weighted mean of the agreed (consensus) levels of its questions, “don't know” and "
            "“not applicable” excluded, also shown as a percentage of the maximum level 4. The "
            "overall index is the weighted mean of the domain scores. A domain scoring 3 or "
            "more is a strength; a question agreed at 2 or below is a gap.")))
        blocks.append(Heading(_("Consensus process")))
        blocks.append(Paragraph(_(
            "A facilitator compared the institutions' answers question by question; answers "
            "2 levels or more apart were flagged and discussed. The agreed level was recorded "
            "with a justification, and the focal point validated the round, which froze its "
            "answers and scores.")))
        blocks.append(Table([_("Level"), _("Label"), _("Meaning")],
                            [[str(s.level), s.label, s.meaning] for s in self.edition.scale],
                            caption=_("The scale")))
        return blocks

    def results(self) -> list:
        _, d, summ = self._, self.d, self.d.summary
        blocks = []
        if d.charts:
            radar, bars = d.charts
            data = self.score_table(caption=_("Domain scores (0 to 4)"))
            blocks.append(Chart(radar, _("Radar chart of the domain scores (0 to 4)."), data,
                                "radar"))
            blocks.append(Chart(bars, _("Bar chart of the domain scores (0 to 4)."), data,
                                "bars"))
        blocks.append(self.score_table(caption=_("Current score, target and change by "
                                                 "domain")))
        if d.previous is None:
            blocks.append(Paragraph(_("This is the first assessment round: the change since "
                                      "the last round will appear in the next plan."), "note"))
        blocks.append(Heading(_("Strengths")))
        strengths = [f"{dom.number}. {dom.title}: {_score(summ.domain(s).score)}"
                     for s in summ.strengths if (dom := self.edition.domain(s))]
        blocks.append(Bullets(strengths or [_("No domain scores 3 or more yet.")]))
        blocks.append(Heading(_("Gaps by domain, with evidence")))
        if not summ.gaps:
            blocks.append(Paragraph(_("No gap recorded yet.")))
        for domain in self.edition.domains:
            gaps = [g for g in summ.gaps if g.domain == domain.slug]
            if not gaps:
                continue
            blocks.append(Heading(f"{domain.number}. {domain.title}", 3))
            items = []
            for g in gaps:
                text = self.gap_text(g)
                if d.show_details and g.evidence:
                    text += " " + _("Evidence: %(evidence)s", evidence="; ".join(g.evidence))
                items.append(text)
            blocks.append(Bullets(items))
        blocks.append(Heading(_("Divergence between institutions")))
        if not d.show_details:
            blocks.append(Paragraph(_("Shown to the focal point, the facilitator and observers "
                                      "until the round is validated."), "note"))
        elif summ.disagreements:
            rows = []
            for item in summ.disagreements:
                q = self.q(item.question)
                rows.append([f"{q.number} {plain(q.text)}" if q else item.question,
                             "; ".join(f"{self.labels.institution(i)}: {lv}"
                                       for i, lv in item.levels.items()), str(item.spread)])
            blocks.append(Table([_("Question"), _("Levels given"), _("Spread")], rows,
                                caption=_("Questions whose answers differ by 2 levels or "
                                          "more")))
        else:
            blocks.append(Paragraph(_("The institutions' answers never differ by 2 levels or "
                                      "more.")))
        return blocks

    def needs(self) -> list:
        _, labels = self._, self.labels
        rows, refs = [], []
        for n in sorted(self.d.needs, key=lambda x: (-x.priority, x.number)):
            rows.append([n.code, n.policy_question, n.indicator,
                         ", ".join(str(labels.dimensions.get(x, x)) for x in n.disaggregation)
                         or "—", n.source or "—",
                         str(labels.gap_types.get(n.gap_type, "—")) if n.gap_type else
                         _("No gap"), str(labels.priority.get(n.priority, n.priority))])
            refs.append(n.id)
        return [Paragraph(_("From each policy question to the indicator that answers it, the "
                            "breakdowns it needs, where the data come from today, and the kind "
                            "of gap that stands in the way (data, reporting, financial, "
                            "geographic or capacity, as in PARIS21's ADAPT).")),
                Table([_("ID"), _("Policy question"), _("Indicator"),
                       _("Required disaggregation"), _("Current source(s)"), _("Gap type"),
                       _("Priority")], rows, caption=_("Priority data needs"), kind="needs",
                      refs=refs, widths=[5, 20, 22, 16, 17, 10, 10])]

    def objectives(self) -> list:
        _ = self._
        items = _lines(self.d.settings.objectives)
        blocks = [Paragraph(_("Each objective contributes to GCM Objective 1 (collect and "
                              "utilise accurate and disaggregated data) and to SDG target "
                              "17.18 (data availability and capacity)."))]
        if items:
            blocks.append(Bullets(items, ordered=True))
        else:
            blocks.append(Paragraph(_("To be completed: three to five strategic objectives, "
                                      "each linked to the domains it improves."),
                                    "placeholder"))
        return blocks

    def action_columns(self) -> list[str]:
        _ = self._
        return [_("ID"), _("Priority"), _("Domain / question ref"), _("Gap addressed"),
                _("Action"), _("Output / deliverable"), _("Lead institution"), _("Partner(s)"),
                _("Start"), _("End"), _("Estimated cost"), _("Funding source"),
                _("Progress indicator and milestone"), _("Baseline → target"),
                _("Data protection requirement"), _("Risks / assumptions"), _("Status"),
                _("Linked training module")]

    def protection_text(self, a: ActionData) -> str:
        _ = self._
        yes, no = _("yes"), _("no")
        text = _("DPIA: %(dpia)s; DSA: %(dsa)s; SDC rule: %(sdc)s",
                 dpia=yes if a.needs_dpia else no, dsa=yes if a.needs_dsa else no,
                 sdc=yes if a.needs_sdc else no)
        return f"{text}. {a.protection_note}" if a.protection_note else text

    def action_row(self, a: ActionData) -> list[str]:
        indicator = " — ".join(x for x in (a.indicator, a.milestone) if x) or "—"
        levels = (f"{'—' if a.baseline_level is None else a.baseline_level} → "
                  f"{'—' if a.target_level is None else a.target_level}")
        return [a.code, str(a.priority), self.ref(a), a.gap or "—", a.action, a.output or "—",
                self.labels.institution(a.lead_institution) or "—", a.partners or "—",
                _date(a.starts_on), _date(a.ends_on), _money(a.cost, a.currency),
                str(self.labels.funding.get(a.funding, "—")) if a.funding else "—",
                indicator, levels, self.protection_text(a), a.risks or "—",
                str(self.labels.statuses.get(a.status, a.status)),
                self.module_title(a.course_module)]

    def action_table(self) -> Table:
        return Table(self.action_columns(), [self.action_row(a) for a in self.actions],
                     caption=self._("Action plan"), kind="actions",
                     refs=[a.id for a in self.actions],
                     widths=[4, 4, 4, 9, 11, 7, 6, 6, 5, 5, 6, 5, 8, 4, 7, 6, 5, 7])

    def action_sheet(self) -> Table:
        """The action table with typed values (numbers, dates) for spreadsheets."""
        _, labels = self._, self.labels
        columns = [_("ID"), _("Priority"), _("Domain / question ref"), _("Gap addressed"),
                   _("Action"), _("Output / deliverable"), _("Lead institution"),
                   _("Partner(s)"), _("Start"), _("End"), _("Estimated cost"), _("Currency"),
                   _("Funding source"), _("Progress indicator"), _("Milestone"),
                   _("Baseline level"), _("Target level"), _("Importance (1–3)"),
                   _("DPIA needed"), _("DSA needed"), _("SDC rule needed"),
                   _("Data protection note"), _("Risks / assumptions"), _("Status"),
                   _("Linked training module")]
        yes, no = _("yes"), _("no")
        rows = [[a.code, a.priority, self.ref(a), a.gap, a.action, a.output,
                 labels.institution(a.lead_institution), a.partners, a.starts_on, a.ends_on,
                 a.cost, a.currency, str(labels.funding.get(a.funding, "")) if a.funding
                 else "", a.indicator, a.milestone, a.baseline_level, a.target_level,
                 a.importance, yes if a.needs_dpia else no, yes if a.needs_dsa else no,
                 yes if a.needs_sdc else no, a.protection_note, a.risks,
                 str(labels.statuses.get(a.status, a.status)),
                 self.module_title(a.course_module) if a.course_module else ""]
                for a in self.actions]
        return Table(columns, rows, caption=_("Action plan"), kind="actions",
                     refs=[a.id for a in self.actions],
                     widths=[7, 8, 10, 40, 50, 30, 24, 24, 11, 11, 13, 8, 16, 30, 30, 8, 8, 8,
                             8, 8, 8, 24, 30, 13, 34],
                     choices={12: [str(v) for v in labels.funding.values()],
                              23: [str(v) for v in labels.statuses.values()]})

    def need_sheet(self) -> Table:
        _, labels = self._, self.labels
        dims = list(labels.dimensions)
        columns = [_("ID"), _("Policy question"), _("Indicator"), _("Definition"),
                   _("Current source(s)"), _("Frequency"), _("Responsible institution"),
                   _("Gap type"), _("Priority"), _("Baseline"), _("Target"),
                   *[str(labels.dimensions[d]) for d in dims]]
        rows = []
        for n in sorted(self.d.needs, key=lambda x: x.number):
            cells = [("✓" if d in n.available else _("gap")) if d in n.disaggregation
                     else ("(✓)" if d in n.available else "") for d in dims]
            rows.append([n.code, n.policy_question, n.indicator, n.definition, n.source,
                         n.frequency, labels.institution(n.responsible),
                         str(labels.gap_types.get(n.gap_type, "")) if n.gap_type else "",
                         str(labels.priority.get(n.priority, n.priority)), n.baseline,
                         n.target, *cells])
        return Table(columns, rows, caption=_("Priority data needs and indicators"),
                     kind="needs", widths=[7, 40, 40, 40, 30, 16, 24, 12, 10, 14, 14,
                                           *[10] * len(dims)])

    def flow_sheet(self) -> Table:
        _, labels = self._, self.labels
        columns = [_("ID"), _("From"), _("To"), _("Data (variables)"), _("Legal basis"),
                   _("DSA"), _("DPIA"), _("Security level"), _("Retention"),
                   _("Disclosure-control rules")]
        rows = [[f.code, labels.institution(f.from_institution),
                 labels.institution(f.to_institution), f.data, f.legal_basis,
                 str(labels.dsa.get(f.dsa_status, f.dsa_status)),
                 str(labels.dpia.get(f.dpia_status, f.dpia_status)), f.security, f.retention,
                 f.sdc_rules] for f in sorted(self.d.flows, key=lambda x: x.number)]
        return Table(columns, rows, caption=_("Inter-agency data flows"), kind="flows",
                     widths=[7, 24, 24, 40, 30, 14, 14, 16, 16, 30],
                     choices={5: [str(v) for v in labels.dsa.values()],
                              6: [str(v) for v in labels.dpia.values()]})

    def action_section(self) -> list:
        _ = self._
        return [Paragraph(_("Every question agreed at level 2 or below drafted an action from "
                            "the questionnaire's improvement text; the working group edits "
                            "them. Priority = (target level − current level) × importance "
                            "(1 to 3); the table is sorted by priority.")),
                self.action_table()]

    def indicators(self) -> list:
        _, labels = self._, self.labels
        needs = sorted(self.d.needs, key=lambda x: x.number)
        rows = [[n.code, n.indicator or "—", n.definition or "—", n.source or "—",
                 n.frequency or "—", labels.institution(n.responsible) or "—",
                 n.baseline or "—", n.target or "—"] for n in needs]
        blocks = [Paragraph(_("The SDG migration indicators (10.7.1 to 10.7.4, 10.c.1, the "
                              "national contribution to 17.18.1 to 17.18.3) and the national "
                              "migration indicators the plan monitors.")),
                  Table([_("ID"), _("Indicator"), _("Definition"), _("Source"), _("Frequency"),
                         _("Responsible institution"), _("Baseline"), _("Target")], rows,
                        caption=_("Indicator monitoring framework"), kind="indicators",
                        refs=[n.id for n in needs], widths=[5, 22, 22, 15, 10, 10, 8, 8])]
        blocks.append(Heading(_("Disaggregation matrix")))
        blocks.append(Paragraph(_("✓: required and available today. gap: required by the "
                                  "policy question but not available. (✓): available, not "
                                  "required. Empty: neither.")))
        dims = list(labels.dimensions) or []
        matrix = []
        for n in needs:
            cells = []
            for dim in dims:
                req, avail = dim in n.disaggregation, dim in n.available
                cells.append("✓" if req and avail else _("gap") if req else
                             "(✓)" if avail else "")
            matrix.append([f"{n.code} {n.indicator}", *cells])
        blocks.append(Table([_("Indicator"), *[str(labels.dimensions[x]) for x in dims]],
                            matrix, caption=_("Disaggregation matrix"), kind="matrix"))
        return blocks

    def flows(self) -> list:
        _, labels = self._, self.labels
        flows = sorted(self.d.flows, key=lambda f: f.number)
        rows = [[f.code, labels.institution(f.from_institution) or "—",
                 labels.institution(f.to_institution) or "—", f.data or "—",
                 f.legal_basis or "—", str(labels.dsa.get(f.dsa_status, f.dsa_status)),
                 str(labels.dpia.get(f.dpia_status, f.dpia_status)), f.security or "—",
                 f.retention or "—", f.sdc_rules or "—"] for f in flows]
        return [Paragraph(_("Each inter-agency flow of migration data, with its legal basis and "
                            "safeguards: a data sharing agreement (DSA), a data protection "
                            "impact assessment (DPIA), and the statistical disclosure control "
                            "(SDC) rules applied to outputs.")),
                Table([_("ID"), _("From"), _("To"), _("Data (variables)"), _("Legal basis"),
                       _("DSA"), _("DPIA"), _("Security level"), _("Retention"),
                       _("Disclosure-control rules")], rows, caption=_("Inter-agency data flows"),
                      kind="flows", refs=[f.id for f in flows],
                      widths=[5, 10, 10, 18, 14, 8, 8, 9, 9, 13]),
                Heading(_("Principles adopted")),
                *(_paragraphs(self.d.settings.protection_principles) or [Paragraph(
                    _("To be completed: the data protection principles the plan follows "
                      "(national law, UN and IOM principles)."), "placeholder")])]

    def count_text(self, staff: int, done: int) -> str:
        return completion_text(staff, done, self._)

    def capacity(self) -> list:
        _, d = self._, self.d
        blocks = [Paragraph(_(
            "The course modules of the platform that address the gaps, and how many staff of "
            "each institution completed them. Counted: the round members' accounts on the "
            "platform, by their institution in the round; a module is completed when all its "
            "lessons are done and its knowledge check is passed (or the course is completed). "
            "Numbers below 5 are shown as “fewer than 5”, and no name is ever shown."))]
        institutions = list(dict.fromkeys(i for m in d.modules for i in m.counts))
        rows = [[m.title, ", ".join(m.questions),
                 *[self.count_text(*m.counts[i]) if i in m.counts else "—"
                   for i in institutions]] for m in d.modules]
        blocks.append(Table([_("Course module"), _("Gaps it addresses"),
                             *[self.labels.institution(i) for i in institutions]], rows,
                            caption=_("Training mapped to the gaps: staff who completed each "
                                      "module, by institution"), kind="capacity"))
        blocks.append(Heading(_("Training needs by institution")))
        need_rows = []
        for inst in d.institutions:
            domains = {slug for slug, insts in d.routing.items() if inst in insts}
            numbers = {q.number for g in d.summary.gaps if g.domain in domains
                       and (q := self.q(g.question))}
            titles = [m.title for m in d.modules if numbers & set(m.questions)]
            if titles:
                need_rows.append([self.labels.institution(inst), "; ".join(titles)])
        blocks.append(Table([_("Institution"), _("Recommended modules")], need_rows,
                            caption=_("Modules recommended for the domains each institution "
                                      "answers")))
        blocks.append(Heading(_("Technical assistance requests")))
        blocks += _paragraphs(d.settings.technical_assistance) or [Paragraph(_(
            "To be completed: the technical assistance the country asks its partners for."),
            "placeholder")]
        return blocks

    def budget(self) -> list:
        _, labels = self._, self.labels
        costed = [a for a in self.d.actions if a.cost is not None]
        currencies = sorted({a.currency for a in costed}) or [self.d.settings.currency]
        blocks = []
        for cur in currencies:
            mine = [a for a in costed if a.currency == cur]
            total = sum((a.cost for a in mine), Decimal(0))
            gap = sum((a.cost for a in mine if a.funding in (None, "unfunded")), Decimal(0))
            title = _("Budget in %(currency)s", currency=cur)
            if len(currencies) > 1:
                blocks.append(Heading(title, 3))
            blocks.append(Facts([
                (_("Total estimated cost"), _money(total, cur)),
                (_("Funding gap (unfunded or no source yet)"), _money(gap, cur)),
                (_("Costed actions"), f"{len(mine)} / {len(self.d.actions)}"),
            ]))
            by_year: dict = {}
            for a in mine:
                by_year.setdefault(a.starts_on.year if a.starts_on else None, []).append(a)
            rows = [[str(year) if year else _("No start date"),
                     _money(sum((a.cost for a in items), Decimal(0)), cur)]
                    for year, items in sorted(by_year.items(), key=lambda kv: (
                        kv[0] is None, kv[0] or 0))]
            blocks.append(Table([_("Year (start of the action)"), _("Estimated cost")], rows,
                                caption=_("Budget by year")))
            by_source: dict = {}
            for a in mine:
                by_source.setdefault(a.funding, []).append(a)
            rows = []
            for source in (*labels.funding, None):
                items = by_source.get(source)
                if not items:
                    continue
                amount = sum((a.cost for a in items), Decimal(0))
                share = f"{amount / total * 100:.0f}%" if total else "—"
                rows.append([str(labels.funding.get(source, _("No source yet"))) if source
                             else _("No source yet"), _money(amount, cur), share])
            blocks.append(Table([_("Funding source"), _("Estimated cost"), _("Share")], rows,
                                caption=_("Budget by source of funding")))
        blocks.append(Paragraph(_("The funding gap is relevant to SDG indicator 17.18.3 "
                                  "(a statistical plan that is fully funded)."), "note"))
        blocks += _paragraphs(self.d.settings.budget_notes)
        return blocks

    def governance(self) -> list:
        _, s = self._, self.d.settings
        blocks = _paragraphs(s.governance) or [Paragraph(_(
            "To be completed: the working group, the review cadence, the re-assessment date "
            "and how progress is reported."), "placeholder")]
        reassess = (s.next_review_on or (_add_months(s.starts_on, 24) if s.starts_on else None))
        blocks.append(Facts([(_("Lead agency"), s.lead_agency or "—"),
                             (_("Next review"), _date(s.next_review_on)),
                             (_("Re-assessment due"), _date(reassess))]))
        return blocks

    def phase_of(self, a: ActionData, start: date | None) -> int:
        if a.starts_on and start:
            months = (a.starts_on.year - start.year) * 12 + a.starts_on.month - start.month
            for i, (_lo, hi) in enumerate(PHASE_MONTHS):
                if months < hi:
                    return i
            return len(PHASE_MONTHS) - 1
        return suggested_phase(a.priority)

    def timeline(self) -> list:
        _ = self._
        start = self.d.settings.starts_on
        phases = [
            (_("Phase 0: set up"), _("Set up the working group, review the legal framework, "
                                     "make an inventory of sources.")),
            (_("Phase 1: quick wins"), _("Harmonise definitions, sign the priority data "
                                         "sharing agreements, publish existing tables with "
                                         "disclosure control, first migration profile.")),
            (_("Phase 2: consolidation"), _("Survey modules (including SDG 10.7.1), regular "
                                            "statistical use of administrative data, linkage "
                                            "with unique identifiers, DPIAs.")),
            (_("Phase 3: integration"), _("Integrated flow statistics, census-round "
                                          "preparation with the core and emigration "
                                          "questions, full SDG disaggregation, "
                                          "re-assessment.")),
        ]
        by_phase: dict = {}
        for a in self.actions:
            by_phase.setdefault(self.phase_of(a, start), []).append(a.code)
        rows = []
        for i, ((title, focus), (lo, hi)) in enumerate(zip(phases, PHASE_MONTHS, strict=True)):
            period = (f"{_add_months(start, lo).isoformat()} – {_add_months(start, hi).isoformat()}"
                      if start else _("months %(lo)d to %(hi)d", lo=lo, hi=hi))
            rows.append([title, period, focus, ", ".join(by_phase.get(i, [])) or "—"])
        blocks = [Paragraph(_("Phases follow the domain brief's template; align them with the "
                              "NSDS cycle and the next census round. Actions without dates are "
                              "placed by priority (6 or more: phase 1; 3 to 5: phase 2; below "
                              "3: phase 3).")),
                  Table([_("Phase"), _("Period"), _("Focus"), _("Actions")], rows,
                        caption=_("Phases"), widths=[15, 20, 45, 20])]
        first = start.year if start else self.d.today.year
        years = [first + i for i in range(YEARS)]
        gantt = []
        for a in self.actions:
            cells = []
            for year in years:
                if a.starts_on and a.ends_on:
                    cells.append("■" if a.starts_on.year <= year <= a.ends_on.year else "")
                else:
                    cells.append("")
            if not (a.starts_on and a.ends_on):
                cells[-1] = _("no dates (phase %(n)d)", n=self.phase_of(a, start))
            gantt.append([a.code, a.action[:90] + ("…" if len(a.action) > 90 else ""), *cells])
        blocks.append(Heading(_("Timeline of the actions")))
        blocks.append(Table([_("ID"), _("Action"), *[str(y) for y in years]], gantt,
                            caption=_("Timeline (Gantt) by year"), kind="gantt"))
        return blocks

    def annexes(self) -> list:
        _, d = self._, self.d
        blocks = [Heading(_("Annex A. Question-level responses and evidence"))]
        if not d.show_details:
            blocks.append(Paragraph(_("Each institution's answers are shown to the focal "
                                      "point, the facilitator and observers until the round is "
                                      "validated; this copy lists the agreed levels only."),
                                    "note"))
        answers: dict = {}
        for a in d.answers:
            answers.setdefault(a.question_id, []).append(a)
        for domain in self.edition.domains:
            blocks.append(Heading(f"{domain.number}. {domain.title}", 3))
            rows = []
            for q in domain.questions:
                c = d.consensus.get(q.id)
                agreed = self.choice_text(c.response, c.level) if c else _("No consensus yet")
                if c and c.justification:
                    agreed += f" — {c.justification}"
                given, evidence = [], []
                for a in answers.get(q.id, []):
                    text = f"{self.labels.institution(a.institution)}: " \
                           f"{self.choice_text(a.response, a.level)}"
                    if a.comment:
                        text += f" ({a.comment})"
                    given.append(text)
                    evidence += [*a.links, *([a.note] if a.note else []), *a.files]
                row = [f"{q.number} {plain(q.text)}", agreed]
                if d.show_details:
                    row += ["; ".join(given) or "—", "; ".join(dict.fromkeys(evidence)) or "—"]
                rows.append(row)
            columns = [_("Question"), _("Agreed level")]
            if d.show_details:
                columns += [_("Answers by institution"), _("Evidence")]
            blocks.append(Table(columns, rows, caption=f"{domain.number}. {domain.title}",
                                kind="annex"))
        blocks.append(Heading(_("Annex B. Glossary")))
        blocks.append(Facts([(str(t), str(x)) for t, x in d.glossary]))
        blocks.append(Heading(_("Annex C. References")))
        refs = list(dict.fromkeys([*d.references, *sorted(
            {r for q in self.edition.questions for r in q.references})]))
        blocks.append(Bullets(refs))
        return blocks

    def choice_text(self, response: str | None, level: int | None) -> str:
        _ = self._
        if response == "level" and level is not None:
            return f"{level} – {self.edition.scale_labels.get(level, '')}"
        if response == "dont_know":
            return _("Don't know")
        if response == "not_applicable":
            return _("Not applicable")
        return _("Not answered")

    def build(self) -> PlanDocument:
        _, d = self._, self.d
        incomplete = self.incomplete()
        titles = (
            _("Cover and document control"), _("Executive summary"), _("Context"), _("Method"),
            _("Assessment results"), _("Priority data needs matrix"), _("Strategic objectives"),
            _("Action plan"), _("Indicator monitoring framework"),
            _("Data flows and data protection annex"), _("Capacity development plan"),
            _("Budget and financing summary"), _("Governance and monitoring"),
            _("Timeline"), _("Annexes"))
        makers = (self.cover, self.summary, self.context, self.method, self.results,
                  self.needs, self.objectives, self.action_section, self.indicators,
                  self.flows, self.capacity, self.budget, self.governance, self.timeline,
                  self.annexes)
        landscape = {"actions", "flows"}
        sections = [Section(i + 1, key, title, make(), landscape=key in landscape)
                    for i, (key, title, make) in enumerate(zip(SECTION_KEYS, titles, makers,
                                                              strict=True))]
        return PlanDocument(
            title=_("National migration data plan: %(country)s", country=d.country),
            subtitle=_("From the self-assessment %(round)s · version %(version)s",
                       round=f"{d.country} {d.round_label}",
                       version=d.settings.doc_version or "—"),
            language=d.edition.language, draft_title=_("Draft — incomplete"),
            incomplete=incomplete, sections=sections, generated_on=d.today,
            footer=(_("Draft — incomplete") + " · " if incomplete else "") + _(
                "National migration data plan · %(country)s %(round)s · version %(version)s",
                country=d.country, round=d.round_label, version=d.settings.doc_version or "—"),
            sheets={"actions": self.action_sheet(), "needs": self.need_sheet(),
                    "flows": self.flow_sheet()})


def build(data: PlanData, _: Callable = identity) -> PlanDocument:
    """The whole plan document (C.3 sections 1–15, in order)."""
    return _Builder(data, _).build()
