"""The plan of a round: generation (idempotent), the document's data, and the
team's edits. Services check permission through access.py, flush and never
commit.

Generation never overwrites what people edited: it adds an action for each new
gap (one per question, ever), drafts the data needs, flows and starting texts
only when the plan is new, and refreshes the computed parts of rows nobody has
touched yet (an action's baseline, a need's gap type, priority and available
breakdowns). Everything else in the document (scores, priorities, budget,
timeline, the incomplete list) is computed by generate.py each time.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.assessments import figures
from app.assessments.access import RoundAccess, load_round
from app.assessments.constants import (
    INSTITUTION_LABELS,
    INSTITUTIONS,
    LEVEL,
    STATUS_LABELS,
    VALIDATED,
)
from app.assessments.models import EvidenceFile, Membership, Round
from app.assessments.plan import defaults, generate
from app.assessments.plan.models import (
    ACTION_STATUSES,
    APPROVAL_STATUSES,
    DIMENSIONS,
    DPIA_STATUSES,
    DSA_STATUSES,
    FUNDING_SOURCES,
    GAP_TYPES,
    Plan,
    PlanAction,
    PlanFlow,
    PlanNeed,
)
from app.assessments.rules import clean_text
from app.assessments.services import framework_of, round_data, summary_of
from app.core import audit
from app.core.db import utcnow
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.i18n import country_name, current_language
from app.extensions import db

LANGUAGES = tuple(code for code, _name in defaults.LANGUAGE_CHOICES)
MAX_TEXT = 5000
MAX_COST = Decimal("999999999999.99")


class StaleEdit(Conflict):
    """Someone saved this row since the form was loaded: nothing was saved."""

    default_message = _l("Someone else saved this since you opened it, so nothing was saved. "
                         "Their version is shown below; your changes are still in the form. "
                         "Save again to replace theirs with yours.")

    def __init__(self, current, message=None):
        super().__init__(message)
        self.current = current


# --- loading ----------------------------------------------------------------------------------

def plan_of(round_id: int) -> Plan | None:
    """The plan with its actions, needs and flows (4 queries)."""
    return db.session.scalar(
        select(Plan).where(Plan.round_id == round_id)
        .options(selectinload(Plan.actions), selectinload(Plan.needs),
                 selectinload(Plan.flows)))


def plan_or_404(round_id: int) -> Plan:
    plan = plan_of(round_id)
    if plan is None:
        raise NotFound()
    return plan


def language_of(user) -> str:
    if has_request_context():
        return current_language()
    locale = getattr(user, "locale", None)
    return locale if locale in LANGUAGES else "en"


# --- generation -------------------------------------------------------------------------------

def _consensus_levels(data) -> dict[str, int | None]:
    return data.consensus_levels()


def _answer_targets(data) -> dict[str, list[int]]:
    targets: dict[str, list[int]] = {}
    for a in data.answers:
        if a.target_level is not None:
            targets.setdefault(a.question_id, []).append(a.target_level)
    return targets


def ensure_plan(round_: Round, user=None, language: str | None = None) -> Plan:
    """Create the round's plan if needed, and draft what is new (idempotent).
    No permission check: callers check (generate) or act for the system
    (validation, demo, exports)."""
    plan = plan_of(round_.id)
    created = plan is None
    if created:
        language = language if language in LANGUAGES else "en"
        plan = Plan(round_id=round_.id, language=language, currency="USD",
                    starts_on=_plan_start(round_), updated_by_id=getattr(user, "id", None))
        db.session.add(plan)
        _flush_generation()
        plan = plan_of(round_.id)
    framework = framework_of(round_)
    data = round_data(round_.id)
    consensus = _consensus_levels(data)
    with force_locale(plan.language):
        edition = framework.edition(plan.language)
        if created:
            summary = summary_of(round_, framework, data)
            plan.objectives = "\n".join(generate.draft_objectives(edition, summary, _))
            plan.protection_principles = defaults.default_principles()
            plan.governance = defaults.default_governance()
            _draft_needs(plan, edition, consensus)
            _draft_flows(plan, round_)
        _draft_actions(plan, edition, consensus, _answer_targets(data))
        _refresh_untouched(plan, edition, consensus)
    plan.generated_at = utcnow()
    _flush_generation()
    return plan


def _flush_generation() -> None:
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as exc:
        raise Conflict(_l("The plan was being generated by someone else at the same moment. "
                          "Reload the page.")) from exc


def _plan_start(round_: Round) -> date:
    """1 January of the year after the round's (a label like "2026"), else next year."""
    year = int(round_.label[:4]) if round_.label[:4].isdigit() else utcnow().year
    return date(min(max(year, 2000), 2100) + 1, 1, 1)


def reserve_numbers(plan: Plan, count: int) -> list[int]:
    """The next ``count`` action numbers of the plan, atomically (one UPDATE …
    RETURNING), never reused; the plan's text ``version`` is not touched."""
    if count <= 0:
        return []
    table = Plan.__table__
    last = db.session.execute(
        update(table).where(table.c.id == plan.id)
        .values(last_action_number=table.c.last_action_number + count)
        .returning(table.c.last_action_number)).scalar_one()
    return list(range(last - count + 1, last + 1))


def _draft_actions(plan: Plan, edition, consensus, targets) -> None:
    existing = {a.drafted_from for a in plan.actions if a.drafted_from}
    drafts = generate.draft_actions(edition, consensus, targets, existing, _,
                                    defaults.PROTECTION_KEYWORDS)
    for number, d in zip(reserve_numbers(plan, len(drafts)), drafts, strict=True):
        plan.actions.append(PlanAction(
            number=number, domain=d.domain, question_id=d.question_id,
            drafted_from=d.question_id, gap=d.gap, action=d.action,
            baseline_level=d.baseline_level, target_level=d.target_level,
            importance=d.importance, indicator=d.indicator, course_module=d.course_module,
            needs_dpia=d.needs_dpia, needs_dsa=d.needs_dsa, needs_sdc=d.needs_sdc,
            currency=plan.currency, status="not_started"))


def _draft_needs(plan: Plan, edition, consensus) -> None:
    available = generate.available_dimensions(consensus, defaults.DIMENSION_QUESTIONS)
    for number, ind in enumerate(defaults.STANDARD_INDICATORS, start=1):
        gap_type, prio = generate.need_gap(edition, consensus, ind.questions)
        plan.needs.append(PlanNeed(
            number=number, key=ind.key, policy_question=str(ind.policy_question),
            indicator=str(ind.indicator), definition=str(ind.definition),
            source=str(ind.source), frequency=str(ind.frequency)[:200],
            responsible=ind.responsible, disaggregation=list(ind.disaggregation),
            available=[d for d in available if d in ind.disaggregation] if ind.disaggregation
            else [], gap_type=gap_type, priority=prio))


def _draft_flows(plan: Plan, round_: Round) -> None:
    routed = {i for insts in (round_.routing or {}).values() for i in insts}
    number = 0
    for institution in INSTITUTIONS:
        if institution in defaults.FLOW_DATA and institution in routed:
            number += 1
            plan.flows.append(PlanFlow(
                number=number, from_institution=institution, to_institution="nso",
                data=str(defaults.FLOW_DATA[institution]), dsa_status="unknown",
                dpia_status="unknown"))


def _refresh_untouched(plan: Plan, edition, consensus) -> None:
    for a in plan.actions:
        if a.edited_at is None and a.drafted_from:
            level = consensus.get(a.drafted_from)
            if level is not None and level != a.baseline_level:
                a.baseline_level = level
    available = generate.available_dimensions(consensus, defaults.DIMENSION_QUESTIONS)
    indicators = {i.key: i for i in defaults.STANDARD_INDICATORS}
    for n in plan.needs:
        ind = indicators.get(n.key or "")
        if n.edited_at is None and ind is not None:
            gap_type, prio = generate.need_gap(edition, consensus, ind.questions)
            n.gap_type, n.priority = gap_type, prio
            n.available = [d for d in available if d in (n.disaggregation or [])]


def generate_plan(user, round_id: int, language: str | None = None) -> Plan:
    """"Generate the plan" (or refresh it): focal point and facilitator."""
    access = load_round(user, round_id)
    access.require(access.can_edit_plan)
    existed = plan_of(round_id) is not None
    plan = ensure_plan(access.round, user, language or language_of(user))
    audit.record("plans.generated" if not existed else "plans.refreshed", actor=user,
                 subject=f"round:{round_id}", actions=len(plan.actions))
    return plan


def on_validated(round_: Round, user) -> Plan:
    """Called when a round is validated: its plan is generated (or refreshed)."""
    return ensure_plan(round_, user, language_of(user))


# --- the document ----------------------------------------------------------------------------

def labels(round_: Round) -> generate.Labels:
    """The fixed lists' labels in the current (forced) locale."""
    def strs(mapping):
        return {k: str(v) for k, v in mapping.items()}
    return generate.Labels(
        institutions=strs(INSTITUTION_LABELS), statuses=strs(defaults.STATUS_LABELS),
        funding=strs(defaults.FUNDING_LABELS), gap_types=strs(defaults.GAP_TYPE_LABELS),
        dimensions=strs(defaults.DIMENSION_LABELS), dsa=strs(defaults.DSA_LABELS),
        dpia=strs(defaults.DPIA_LABELS), approval=strs(defaults.APPROVAL_LABELS),
        priority=strs(defaults.PRIORITY_LABELS),
        round_status=str(STATUS_LABELS.get(round_.status, round_.status)))


def _files(round_id: int) -> dict[tuple[str, str], list[str]]:
    result: dict[tuple[str, str], list[str]] = {}
    for inst, qid, name in db.session.execute(
            select(EvidenceFile.institution, EvidenceFile.question_id,
                   EvidenceFile.original_name).where(EvidenceFile.round_id == round_id)
            .order_by(EvidenceFile.id)):
        result.setdefault((inst, qid), []).append(name)
    return result


@dataclass
class PlanView:
    """What the plan page and the exports need."""

    access: RoundAccess | None
    round: Round
    plan: Plan
    document: generate.PlanDocument
    data: generate.PlanData


def build_view(round_: Round, plan: Plan, *, show_details: bool, access=None) -> PlanView:
    """The plan's data and document in the plan's language (a bounded number of
    queries: answers, consensus, files, the previous round, completions)."""
    from app.assessments.plan import learning, progress

    framework = framework_of(round_)
    data = round_data(round_.id)
    files = _files(round_.id)
    previous = progress.previous_round(round_)
    with force_locale(plan.language):
        edition = framework.edition(plan.language)
        summary = summary_of(round_, framework, data)
        prev_data = None
        if previous is not None and previous.framework_slug == round_.framework_slug:
            prev_data = generate.PreviousRound(previous.label, summary_of(previous, framework))
        answered: dict[str, set] = {}
        for a in data.answers:
            if a.response is not None:
                answered.setdefault(a.institution, set()).add(a.question_id)
        taking_part = set(db.session.scalars(select(Membership.institution).where(
            Membership.round_id == round_.id).distinct()))
        institutions = [i for i in INSTITUTIONS if i in taking_part or i in answered]
        answers = [generate.AnswerData(
            a.institution, a.question_id, a.response, a.level, tuple(a.evidence_links or ()),
            a.evidence_note or "", a.comment or "", a.target_level, a.target_year,
            tuple(files.get((a.institution, a.question_id), ())))
            for a in data.answers] if show_details else []
        consensus = {c.question_id: generate.ConsensusData(
            c.question_id, c.response, c.level, c.justification or "", bool(c.carried_over))
            for c in data.consensus}
        modules = learning.module_needs(round_, edition, summary, plan.language)
        plan_data = generate.PlanData(
            country=country_name(round_.country, plan.language), round_label=round_.label,
            validated=round_.status == VALIDATED, edition=edition,
            framework_version=round_.framework_version, framework_hash=round_.framework_hash,
            summary=summary, consensus=consensus,
            settings=generate.PlanSettings.from_row(plan),
            actions=[generate.ActionData.from_row(a) for a in plan.actions],
            needs=[generate.NeedData.from_row(n) for n in plan.needs],
            flows=[generate.FlowData.from_row(f) for f in plan.flows],
            answers=answers, show_details=show_details, institutions=institutions,
            answer_counts={i: len(q) for i, q in answered.items()},
            routing=dict(round_.routing or {}),
            created_on=round_.created_at.date() if round_.created_at else None,
            opened_on=round_.opened_at.date() if round_.opened_at else None,
            validated_on=round_.validated_at.date() if round_.validated_at else None,
            modules=modules, previous=prev_data,
            charts=figures.domain_charts(edition, summary, round_),
            labels=labels(round_),
            glossary=[(str(t), str(x)) for t, x in defaults.GLOSSARY],
            references=list(defaults.REFERENCES), today=utcnow().date())
        document = generate.build(plan_data, _)
    return PlanView(access, round_, plan, document, plan_data)


def plan_page(user, round_id: int) -> tuple[RoundAccess, PlanView | None]:
    access = load_round(user, round_id)
    plan = plan_of(round_id)
    if plan is None:
        return access, None
    return access, build_view(access.round, plan, show_details=access.can_see_all,
                              access=access)


# --- edits ------------------------------------------------------------------------------------

def editable(user, round_id: int) -> tuple[RoundAccess, Plan]:
    access = load_round(user, round_id)
    access.require(access.can_edit_plan)
    return access, plan_or_404(round_id)


def _check_version(row, version) -> None:
    if version != row.version:
        raise StaleEdit(row)


def _flush() -> None:
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as exc:
        raise Conflict() from exc


def _text(values: dict, name: str, limit: int = MAX_TEXT, required: bool = False,
          message=None) -> str:
    # Control characters go: the DOCX export (and XML in general) cannot hold them.
    raw = clean_text(values.get(name))
    value = " ".join(raw.split()) if limit <= 300 else raw
    if required and not value:
        raise ValidationError(message or _l("This field is required."), field=name)
    if len(value) > limit:
        raise ValidationError(_l("Use at most %(max)d characters.", max=limit), field=name)
    return value


def _choice(values: dict, name: str, allowed, nullable: bool = True):
    value = values.get(name) or None
    if value is None and nullable:
        return None
    if value not in allowed:
        raise ValidationError(_l("Choose a value from the list."), field=name)
    return value


def _level(values: dict, name: str) -> int | None:
    value = values.get(name)
    if value in (None, ""):
        return None
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = -1
    if not 0 <= level <= 4:
        raise ValidationError(_l("Choose a level from 0 to 4."), field=name)
    return level


def _dates(values: dict, start: str, end: str) -> tuple[date | None, date | None]:
    first, last = values.get(start), values.get(end)
    for name, value in ((start, first), (end, last)):
        if value is not None and not isinstance(value, date):
            raise ValidationError(_l("Enter a date as YYYY-MM-DD."), field=name)
        if value is not None and not 2000 <= value.year <= 2100:
            raise ValidationError(_l("Enter a date between 2000 and 2100."), field=name)
    if first and last and last < first:
        raise ValidationError(_l("The end cannot be before the start."), field=end)
    return first, last


def _cost(values: dict) -> Decimal | None:
    value = values.get("cost")
    if value in (None, ""):
        return None
    try:
        cost = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_l("Enter an amount like 25000 or 25000.50."),
                              field="cost") from exc
    if not Decimal(0) <= cost <= MAX_COST:
        raise ValidationError(_l("Enter an amount of 0 or more."), field="cost")
    return cost


def _currency(values: dict, name: str = "currency") -> str:
    value = (values.get(name) or "USD").strip().upper()
    if len(value) != 3 or not value.isalpha():
        raise ValidationError(_l("Use a three-letter currency code, like USD."), field=name)
    return value


SETTINGS_TEXTS = ("summary_note", "context", "policy_priorities", "objectives",
                  "protection_principles", "technical_assistance", "budget_notes", "governance")


def update_settings(user, round_id: int, values: dict, version: int) -> Plan:
    """The plan's document control and narrative sections."""
    _access, plan = editable(user, round_id)
    _check_version(plan, version)
    clean = {
        "doc_version": _text(values, "doc_version", 20, required=True,
                             message=_l("Give the plan a version, like 1.0.")),
        "approval_status": _choice(values, "approval_status", APPROVAL_STATUSES, False),
        "lead_agency": _text(values, "lead_agency", 200),
        "language": _choice(values, "language", LANGUAGES, False),
        "currency": _currency(values),
        **{name: _text(values, name) for name in SETTINGS_TEXTS},
    }
    clean["starts_on"], _ignored = _dates(values, "starts_on", "starts_on")
    clean["next_review_on"], _ignored = _dates(values, "next_review_on", "next_review_on")
    for name, value in clean.items():
        setattr(plan, name, value)
    plan.updated_at, plan.updated_by_id = utcnow(), user.id
    _flush()
    audit.record("plans.updated", actor=user, subject=f"round:{round_id}")
    return plan


ACTION_TEXTS = ("gap", "output", "partners", "indicator", "milestone", "protection_note",
                "risks")


def _clean_action(values: dict, edition) -> dict:
    clean = {"action": _text(values, "action", required=True,
                             message=_l("Describe the action."))}
    clean.update({name: _text(values, name) for name in ACTION_TEXTS})
    domain = values.get("domain") or ""
    if edition.domain(domain) is None:
        raise ValidationError(_l("Choose a domain from the list."), field="domain")
    clean["domain"] = domain
    clean["lead_institution"] = _choice(values, "lead_institution", INSTITUTIONS)
    clean["starts_on"], clean["ends_on"] = _dates(values, "starts_on", "ends_on")
    clean["cost"] = _cost(values)
    clean["currency"] = _currency(values)
    clean["funding"] = _choice(values, "funding", FUNDING_SOURCES)
    clean["baseline_level"] = _level(values, "baseline_level")
    clean["target_level"] = _level(values, "target_level")
    try:
        importance = int(values.get("importance") or 2)
    except (TypeError, ValueError):
        importance = 0
    if importance not in (1, 2, 3):
        raise ValidationError(_l("Choose an importance from 1 to 3."), field="importance")
    clean["importance"] = importance
    for flag in ("needs_dpia", "needs_dsa", "needs_sdc"):
        clean[flag] = bool(values.get(flag))
    clean["status"] = _choice(values, "status", ACTION_STATUSES, False)
    module = values.get("course_module") or None
    known = {path for q in edition.questions for path in q.courses}
    if module is not None and module not in known:
        raise ValidationError(_l("Choose a course module from the list."),
                              field="course_module")
    clean["course_module"] = module
    return clean


def action_of(plan: Plan, action_id: int) -> PlanAction:
    action = next((a for a in plan.actions if a.id == action_id), None)
    if action is None:
        raise NotFound()
    return action


def update_action(user, round_id: int, action_id: int, values: dict, version: int
                  ) -> PlanAction:
    access, plan = editable(user, round_id)
    action = action_of(plan, action_id)
    _check_version(action, version)
    clean = _clean_action(values, framework_of(access.round).default)
    for name, value in clean.items():
        setattr(action, name, value)
    action.edited_at = action.updated_at = utcnow()
    action.updated_by_id = user.id
    _flush()
    audit.record("plans.action_updated", actor=user, subject=f"round:{round_id}",
                 code=action.code)
    return action


def add_action(user, round_id: int, values: dict) -> PlanAction:
    access, plan = editable(user, round_id)
    clean = _clean_action(values, framework_of(access.round).default)
    (number,) = reserve_numbers(plan, 1)
    action = PlanAction(plan_id=plan.id, number=number, edited_at=utcnow(),
                        updated_by_id=user.id, **clean)
    db.session.add(action)
    _flush()
    audit.record("plans.action_added", actor=user, subject=f"round:{round_id}",
                 code=action.code)
    return action


def delete_action(user, round_id: int, action_id: int) -> None:
    """Only actions added by the team: a drafted action would come back with the
    next generation (mark it done or blocked instead)."""
    _access, plan = editable(user, round_id)
    action = action_of(plan, action_id)
    if action.drafted_from:
        raise ValidationError(_l("This action was drafted from a gap: edit it, or set its "
                                 "status, rather than delete it."))
    code = action.code
    db.session.delete(action)
    _flush()
    audit.record("plans.action_deleted", actor=user, subject=f"round:{round_id}", code=code)


def _dimensions(values: dict, name: str) -> list[str]:
    chosen = values.get(name) or []
    if any(d not in DIMENSIONS for d in chosen):
        raise ValidationError(_l("Choose dimensions from the list."), field=name)
    return [d for d in DIMENSIONS if d in chosen]


def _clean_need(values: dict) -> dict:
    clean = {
        "policy_question": _text(values, "policy_question", 1000, required=True,
                                 message=_l("Write the policy question.")),
        "indicator": _text(values, "indicator", 1000, required=True,
                           message=_l("Name the indicator.")),
        "definition": _text(values, "definition", 2000),
        "source": _text(values, "source", 1000),
        "frequency": _text(values, "frequency", 200),
        "baseline": _text(values, "baseline", 200),
        "target": _text(values, "target", 200),
        "responsible": _choice(values, "responsible", INSTITUTIONS),
        "gap_type": _choice(values, "gap_type", GAP_TYPES),
        "disaggregation": _dimensions(values, "disaggregation"),
        "available": _dimensions(values, "available"),
    }
    try:
        prio = int(values.get("priority") or 2)
    except (TypeError, ValueError):
        prio = 0
    if prio not in (1, 2, 3):
        raise ValidationError(_l("Choose a priority from the list."), field="priority")
    clean["priority"] = prio
    return clean


def need_of(plan: Plan, need_id: int) -> PlanNeed:
    need = next((n for n in plan.needs if n.id == need_id), None)
    if need is None:
        raise NotFound()
    return need


def update_need(user, round_id: int, need_id: int, values: dict, version: int) -> PlanNeed:
    _access, plan = editable(user, round_id)
    need = need_of(plan, need_id)
    _check_version(need, version)
    for name, value in _clean_need(values).items():
        setattr(need, name, value)
    need.edited_at = need.updated_at = utcnow()
    need.updated_by_id = user.id
    _flush()
    audit.record("plans.need_updated", actor=user, subject=f"round:{round_id}",
                 need=need.code)
    return need


def add_need(user, round_id: int, values: dict) -> PlanNeed:
    _access, plan = editable(user, round_id)
    number = (db.session.scalar(select(func.max(PlanNeed.number)).where(
        PlanNeed.plan_id == plan.id)) or 0) + 1
    need = PlanNeed(plan_id=plan.id, number=number, edited_at=utcnow(),
                    updated_by_id=user.id, **_clean_need(values))
    db.session.add(need)
    _flush()
    audit.record("plans.need_added", actor=user, subject=f"round:{round_id}", need=need.code)
    return need


def delete_need(user, round_id: int, need_id: int) -> None:
    _access, plan = editable(user, round_id)
    need = need_of(plan, need_id)
    code = need.code
    db.session.delete(need)
    _flush()
    audit.record("plans.need_deleted", actor=user, subject=f"round:{round_id}", need=code)


def _clean_flow(values: dict) -> dict:
    return {
        "from_institution": _choice(values, "from_institution", INSTITUTIONS),
        "to_institution": _choice(values, "to_institution", INSTITUTIONS),
        "data": _text(values, "data", 2000, required=True,
                      message=_l("Say which data flow (the variables).")),
        "legal_basis": _text(values, "legal_basis", 2000),
        "dsa_status": _choice(values, "dsa_status", DSA_STATUSES, False),
        "dpia_status": _choice(values, "dpia_status", DPIA_STATUSES, False),
        "security": _text(values, "security", 200),
        "retention": _text(values, "retention", 200),
        "sdc_rules": _text(values, "sdc_rules", 2000),
    }


def flow_of(plan: Plan, flow_id: int) -> PlanFlow:
    flow = next((f for f in plan.flows if f.id == flow_id), None)
    if flow is None:
        raise NotFound()
    return flow


def update_flow(user, round_id: int, flow_id: int, values: dict, version: int) -> PlanFlow:
    _access, plan = editable(user, round_id)
    flow = flow_of(plan, flow_id)
    _check_version(flow, version)
    for name, value in _clean_flow(values).items():
        setattr(flow, name, value)
    flow.updated_at, flow.updated_by_id = utcnow(), user.id
    _flush()
    audit.record("plans.flow_updated", actor=user, subject=f"round:{round_id}",
                 flow=flow.code)
    return flow


def add_flow(user, round_id: int, values: dict) -> PlanFlow:
    _access, plan = editable(user, round_id)
    number = (db.session.scalar(select(func.max(PlanFlow.number)).where(
        PlanFlow.plan_id == plan.id)) or 0) + 1
    flow = PlanFlow(plan_id=plan.id, number=number, updated_by_id=user.id,
                    **_clean_flow(values))
    db.session.add(flow)
    _flush()
    audit.record("plans.flow_added", actor=user, subject=f"round:{round_id}", flow=flow.code)
    return flow


def delete_flow(user, round_id: int, flow_id: int) -> None:
    _access, plan = editable(user, round_id)
    flow = flow_of(plan, flow_id)
    code = flow.code
    db.session.delete(flow)
    _flush()
    audit.record("plans.flow_deleted", actor=user, subject=f"round:{round_id}", flow=code)


def consensus_level(round_id: int, question_id: str) -> int | None:
    """The agreed level of one question (for the action page), or None."""
    from app.assessments.models import Consensus

    row = db.session.scalar(select(Consensus).where(Consensus.round_id == round_id,
                                                    Consensus.question_id == question_id))
    return row.level if row is not None and row.response == LEVEL else None
