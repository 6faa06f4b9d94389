"""The national migration data plan of a round, and what the team edits in it.

    Round 1─0..1 Plan 1─* PlanAction      (the action table, C.3 §8)
                      1─* PlanNeed        (priority data needs and indicators, §6 and §9)
                      1─* PlanFlow        (inter-agency data flows, §10)
                      1─* PlanCohortRequest (workshops asked for from the plan, §11)

Everything computed (scores, priorities, budget totals, the timeline, the
document itself) is derived when needed by app/assessments/plan/generate.py
and never stored. Rows carry a ``version`` (optimistic concurrency, as answers
do): a save made from an older version is refused instead of overwriting.
Plans hold no personal data except who edited a row last (a user id) and the
e-mail address a trainer invitation was sent to.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.assessments.plan.generate import priority
from app.core.db import UTCDateTime, utcnow
from app.extensions import db

APPROVAL_STATUSES = ("draft", "submitted", "approved")
ACTION_STATUSES = ("not_started", "in_progress", "done", "blocked")
FUNDING_SOURCES = ("domestic", "donor", "mixed", "unfunded")
GAP_TYPES = ("data", "reporting", "financial", "geographic", "capacity")
DSA_STATUSES = ("signed", "in_negotiation", "none", "not_needed", "unknown")
DPIA_STATUSES = ("done", "planned", "none", "not_needed", "unknown")
REQUEST_STATUSES = ("invited", "created", "cancelled")
# The disaggregation dimensions of the indicator framework (IOM Migration Data
# Strategy, SDG 17.18): the order is the column order of the matrix.
DIMENSIONS = ("sex", "age", "migratory_status", "disability", "education", "ethnicity",
              "gender_identity", "geography")


def _one_of(column: str, values, nullable: bool = False) -> str:
    check = f"{column} IN ({', '.join(repr(v) for v in values)})"
    return f"{column} IS NULL OR {check}" if nullable else check


def _level(column: str) -> str:
    return f"{column} IS NULL OR ({column} >= 0 AND {column} <= 4)"


class Plan(db.Model):
    """One plan per round: the editable narrative and the document's settings."""

    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("round_id"),
        CheckConstraint(_one_of("approval_status", APPROVAL_STATUSES), name="approval_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id", ondelete="CASCADE"))
    #: The document's language (en, fr, es, ar): the interface language of the
    #: person who generated it, changeable in the plan's settings.
    language: Mapped[str] = mapped_column(String(8), default="en")
    doc_version: Mapped[str] = mapped_column(String(20), default="0.1")
    approval_status: Mapped[str] = mapped_column(String(12), default="draft")
    lead_agency: Mapped[str] = mapped_column(String(200), default="")
    #: The plan period starts here: phases and the timeline count from it.
    starts_on: Mapped[date | None] = mapped_column(Date)
    next_review_on: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # Narrative sections, edited by the team (plain text, paragraphs separated
    # by blank lines; objectives one per line).
    summary_note: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")
    policy_priorities: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    protection_principles: Mapped[str] = mapped_column(Text, default="")
    technical_assistance: Mapped[str] = mapped_column(Text, default="")
    budget_notes: Mapped[str] = mapped_column(Text, default="")
    governance: Mapped[str] = mapped_column(Text, default="")
    #: The last action number given (A-01, A-02…): numbers are never reused, even
    #: after a deletion. Incremented by an UPDATE statement (services.reserve_numbers),
    #: which does not count as an edit of the plan's texts (``version``).
    last_action_number: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    round = relationship("Round")
    actions: Mapped[list["PlanAction"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PlanAction.number")
    needs: Mapped[list["PlanNeed"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PlanNeed.number")
    flows: Mapped[list["PlanFlow"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PlanFlow.number")

    __mapper_args__ = {"version_id_col": version}


class PlanAction(db.Model):
    """One row of the action table, drafted from a gap (``drafted_from`` is the
    question id) or added by the team (``drafted_from`` empty)."""

    __tablename__ = "plan_actions"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        # One drafted action per question: regenerating never drafts it twice.
        UniqueConstraint("plan_id", "drafted_from"),
        CheckConstraint(_one_of("status", ACTION_STATUSES), name="status_valid"),
        CheckConstraint(_one_of("funding", FUNDING_SOURCES, nullable=True),
                        name="funding_valid"),
        CheckConstraint("importance >= 1 AND importance <= 3", name="importance_valid"),
        CheckConstraint(_level("baseline_level"), name="baseline_valid"),
        CheckConstraint(_level("target_level"), name="target_valid"),
        CheckConstraint("cost IS NULL OR cost >= 0", name="cost_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    #: Shown as A-01, A-02…; never reused within a plan.
    number: Mapped[int] = mapped_column(Integer)
    domain: Mapped[str] = mapped_column(String(80), default="")
    question_id: Mapped[str | None] = mapped_column(String(80))
    drafted_from: Mapped[str | None] = mapped_column(String(80))
    gap: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text, default="")
    output: Mapped[str] = mapped_column(Text, default="")
    #: An institution code (app/assessments/constants.py INSTITUTIONS).
    lead_institution: Mapped[str | None] = mapped_column(String(30))
    partners: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    funding: Mapped[str | None] = mapped_column(String(10))
    indicator: Mapped[str] = mapped_column(Text, default="")
    milestone: Mapped[str] = mapped_column(Text, default="")
    baseline_level: Mapped[int | None] = mapped_column(Integer)
    target_level: Mapped[int | None] = mapped_column(Integer)
    importance: Mapped[int] = mapped_column(Integer, default=2)
    needs_dpia: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_dsa: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_sdc: Mapped[bool] = mapped_column(Boolean, default=False)
    protection_note: Mapped[str] = mapped_column(Text, default="")
    risks: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="not_started")
    #: "course-slug/module-slug" of the platform course module that helps.
    course_module: Mapped[str | None] = mapped_column(String(170))
    #: None until someone edits the row: regeneration may refresh the baseline
    #: of untouched drafted actions, never anything of an edited one.
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    plan: Mapped[Plan] = relationship(back_populates="actions")

    __mapper_args__ = {"version_id_col": version}

    @property
    def code(self) -> str:
        return f"A-{self.number:02d}"

    @property
    def priority(self) -> int:
        """(target − baseline) × importance: computed, never stored."""
        return priority(self.target_level, self.baseline_level, self.importance)


class PlanNeed(db.Model):
    """A priority data need: policy question → indicator → required
    disaggregation → source → gap type → priority; with what the indicator
    framework (§9) adds: definition, frequency, responsible institution,
    baseline, target, and which dimensions are available today."""

    __tablename__ = "plan_needs"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        UniqueConstraint("plan_id", "key"),
        CheckConstraint(_one_of("gap_type", GAP_TYPES, nullable=True), name="gap_type_valid"),
        CheckConstraint("priority >= 1 AND priority <= 3", name="priority_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    #: The standard indicator it was drafted from (app/assessments/plan/defaults.py),
    #: None for a need added by the team.
    key: Mapped[str | None] = mapped_column(String(40))
    policy_question: Mapped[str] = mapped_column(Text, default="")
    indicator: Mapped[str] = mapped_column(Text, default="")
    definition: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str] = mapped_column(String(200), default="")
    responsible: Mapped[str | None] = mapped_column(String(30))
    #: Dimensions the policy question needs, and those available today (DIMENSIONS).
    disaggregation: Mapped[list] = mapped_column(JSON, default=list)
    available: Mapped[list] = mapped_column(JSON, default=list)
    gap_type: Mapped[str | None] = mapped_column(String(12))
    priority: Mapped[int] = mapped_column(Integer, default=2)
    baseline: Mapped[str] = mapped_column(String(200), default="")
    target: Mapped[str] = mapped_column(String(200), default="")
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    plan: Mapped[Plan] = relationship(back_populates="needs")

    __mapper_args__ = {"version_id_col": version}

    @property
    def code(self) -> str:
        return f"N-{self.number:02d}"


class PlanFlow(db.Model):
    """An inter-agency data flow and its data protection safeguards."""

    __tablename__ = "plan_flows"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint(_one_of("dsa_status", DSA_STATUSES), name="dsa_valid"),
        CheckConstraint(_one_of("dpia_status", DPIA_STATUSES), name="dpia_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    from_institution: Mapped[str | None] = mapped_column(String(30))
    to_institution: Mapped[str | None] = mapped_column(String(30))
    data: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    dsa_status: Mapped[str] = mapped_column(String(16), default="unknown")
    dpia_status: Mapped[str] = mapped_column(String(16), default="unknown")
    security: Mapped[str] = mapped_column(String(200), default="")
    retention: Mapped[str] = mapped_column(String(200), default="")
    sdc_rules: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    plan: Mapped[Plan] = relationship(back_populates="flows")

    __mapper_args__ = {"version_id_col": version}

    @property
    def code(self) -> str:
        return f"F-{self.number:02d}"


class PlanCohortRequest(db.Model):
    """A workshop asked for from the plan's capacity section: created at once
    with an existing trainer, or waiting for an invited trainer to accept."""

    __tablename__ = "plan_cohort_requests"
    __table_args__ = (
        CheckConstraint(_one_of("status", REQUEST_STATUSES), name="status_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(80))
    course_module: Mapped[str | None] = mapped_column(String(170))
    #: The cohort's name, dates and mode, as the focal point entered them.
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The address of an invited trainer (lower-case); None once erased.
    trainer_email: Mapped[str | None] = mapped_column(String(254), index=True)
    nonce: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(10), default="invited")
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship()
