"""The plan's pure rules and document (no app, no database): priority,
drafting actions from gaps, the PlanDocument and its incomplete list."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.assessments import scoring
from app.assessments.loader import load_library
from app.assessments.plan import generate
from app.assessments.plan.generate import (
    SECTION_KEYS,
    ActionData,
    ConsensusData,
    FlowData,
    Labels,
    ModuleNeed,
    NeedData,
    PlanData,
    PlanSettings,
    PreviousRound,
)

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "assessments" / "mini"
Q1, Q2, WG, DEFS, CAL = ("statistics-law-mandate", "admin-data-access", "working-group",
                         "common-definitions", "release-calendar")


@pytest.fixture(scope="module")
def edition():
    library = load_library(MINI, ("en", "fr"), None)
    assert not library.problems
    return library.get("mini").default


# --- priority and drafting ---------------------------------------------------------------------

@pytest.mark.parametrize("target, current, importance, expected", [
    (3, 1, 2, 4), (4, 0, 3, 12), (3, 2, 1, 1), (2, 2, 3, 0), (1, 3, 3, 0),
    (None, 1, 2, 0), (3, None, 2, 0)])
def test_priority_is_target_minus_current_times_importance(target, current, importance,
                                                           expected):
    assert generate.priority(target, current, importance) == expected


def test_default_target_and_importance():
    assert generate.default_target(1) == 3                      # "meets" by default
    assert generate.default_target(2) == 3
    assert generate.default_target(3) == 4
    assert generate.default_target(1, [2, 4, None, 1]) == 2     # lower median of those above
    assert generate.default_target(4) == 4
    assert generate.default_importance(0) == 3
    assert generate.default_importance(2) == 2


@pytest.mark.parametrize("level, drafted", [(0, True), (1, True), (2, True), (3, False),
                                            (4, False), (None, False)])
def test_levels_two_or_below_draft_an_action_from_the_improvement_text(edition, level,
                                                                       drafted):
    drafts = generate.draft_actions(edition, {Q1: level})
    assert bool(drafts) is drafted
    if drafted:
        (d,) = drafts
        question = edition.question(Q1)
        assert d.question_id == Q1 and d.domain == "legal-framework"
        assert d.action == question.improvement[level]
        assert d.baseline_level == level and d.target_level > level
        assert d.course_module == "field-basics/counting"
        assert "1.1" in d.gap and "**" not in d.gap              # plain text, numbered


def test_not_applicable_dont_know_and_no_consensus_draft_nothing(edition):
    # consensus_levels() maps don't know / not applicable to None; missing = no consensus
    assert generate.draft_actions(edition, {Q1: None, Q2: None}) == []
    assert generate.draft_actions(edition, {}) == []


def test_drafting_skips_questions_that_already_have_an_action(edition):
    drafts = generate.draft_actions(edition, {Q1: 1, Q2: 0, WG: 2, CAL: 4},
                                    existing={Q1})
    assert [d.question_id for d in drafts] == [Q2, WG]
    assert [d.importance for d in drafts] == [3, 2]


def test_drafting_uses_the_institutions_targets_and_protection_keywords(edition):
    (d,) = generate.draft_actions(edition, {Q2: 1}, {Q2: [2, 2, 4]},
                                  protection_keywords={"needs_dsa": ("admin-data",),
                                                       "needs_dpia": ("linkage",)})
    assert d.target_level == 2 and d.needs_dsa and not d.needs_dpia


def test_need_gap_and_available_dimensions(edition):
    assert generate.need_gap(edition, {Q1: 1, Q2: 2}, [Q1, Q2]) == ("data", 3)
    assert generate.need_gap(edition, {WG: 2}, [WG]) == ("capacity", 2)
    assert generate.need_gap(edition, {WG: 3}, [WG]) == (None, 1)
    assert generate.need_gap(edition, {}, [WG, "missing"]) == (None, 2)
    assert generate.available_dimensions({"a": 3, "b": 2}, {"sex": ("a",), "age": ("b",),
                                                            "geography": ()}) == ["sex"]


def test_counts_below_five_are_masked():
    assert generate.mask_count(4) is None and generate.mask_count(5) == 5
    assert generate.completion_text(3, 3) == "fewer than 5 staff"
    assert generate.completion_text(12, 2) == "fewer than 5 of 12"
    assert generate.completion_text(12, 7) == "7 of 12"


def test_draft_objectives_name_the_weakest_domains(edition):
    summary = scoring.summarise(edition, {Q1: 1, Q2: 1, WG: 3, DEFS: 2, CAL: 4})
    lines = generate.draft_objectives(edition, summary)
    assert len(lines) == 2
    assert "Legal and institutional framework" in lines[0] and "2 gaps" in lines[0]
    assert "Coordination" in lines[1]


# --- the document ---------------------------------------------------------------------------

def _data(edition, *, consensus=None, actions=None, validated=False, previous=None,
          settings=None, modules=None, needs=None, flows=None):
    consensus = consensus if consensus is not None else {Q1: 1, Q2: 2, WG: 3, DEFS: 0}
    summary = scoring.summarise(edition, consensus)
    return PlanData(
        country="Jordan", round_label="2026", validated=validated, edition=edition,
        framework_version="test-1", summary=summary,
        consensus={q: ConsensusData(q, "level", lv) for q, lv in consensus.items()},
        settings=settings or PlanSettings(), actions=actions or [], needs=needs or [],
        flows=flows or [], institutions=["nso", "interior"],
        labels=Labels(institutions={"nso": "NSO", "interior": "Interior"},
                      statuses={"not_started": "Not started", "done": "Done"},
                      funding={"donor": "Donor", "unfunded": "Unfunded"},
                      dimensions={"sex": "Sex", "age": "Age"}, round_status="Open"),
        modules=modules or [], previous=previous, today=date(2026, 5, 1))


def _action(number, question, baseline, target, importance=2, **extra):
    return ActionData(number=number, domain="legal-framework", question_id=question,
                      gap=f"gap {number}", action=f"Action text {number}",
                      baseline_level=baseline, target_level=target, importance=importance,
                      **extra)


def test_the_document_has_the_fifteen_sections_in_order(edition):
    doc = generate.build(_data(edition))
    assert [s.key for s in doc.sections] == list(SECTION_KEYS)
    assert [s.number for s in doc.sections] == list(range(1, 16))
    assert [s.title for s in doc.sections] == [
        "Cover and document control", "Executive summary", "Context", "Method",
        "Assessment results", "Priority data needs matrix", "Strategic objectives",
        "Action plan", "Indicator monitoring framework",
        "Data flows and data protection annex", "Capacity development plan",
        "Budget and financing summary", "Governance and monitoring", "Timeline", "Annexes"]
    assert {s.key for s in doc.sections if s.landscape} == {"actions", "flows"}
    assert doc.title == "National migration data plan: Jordan"


def test_the_action_table_has_every_column_and_is_sorted_by_priority(edition):
    actions = [_action(1, Q1, 2, 3), _action(2, Q2, 0, 3, importance=3),
               _action(3, DEFS, 1, 3)]
    doc = generate.build(_data(edition, actions=actions))
    table = next(b for b in doc.section("actions").blocks
                 if isinstance(b, generate.Table) and b.kind == "actions")
    assert len(table.columns) == 18 and table.columns[0] == "ID"
    for column in ("Gap addressed", "Lead institution", "Partner(s)", "Estimated cost",
                   "Funding source", "Baseline → target", "Data protection requirement",
                   "Risks / assumptions", "Status", "Linked training module"):
        assert column in table.columns
    assert [row[0] for row in table.rows] == ["A-02", "A-03", "A-01"]   # 9, 4, 2
    assert [row[1] for row in table.rows] == ["9", "4", "2"]
    sheet = doc.sheets["actions"]
    assert [row[0] for row in sheet.rows] == ["A-02", "A-03", "A-01"]
    assert sheet.columns[sheet.columns.index("Status")] == "Status"
    assert set(sheet.choices) == {12, 23}


def test_incomplete_lists_what_is_missing(edition):
    actions = [_action(1, Q1, 1, 3), _action(2, Q2, 2, 3, lead_institution="nso",
                                             starts_on=date(2027, 1, 1),
                                             ends_on=date(2027, 12, 31),
                                             cost=Decimal("1000"), funding="donor")]
    doc = generate.build(_data(edition, actions=actions,
                               consensus={Q1: 1, Q2: 2, WG: 3, DEFS: 0},
                               flows=[FlowData(1, "interior", "nso")]))
    text = "\n".join(doc.incomplete)
    assert "not validated" in text
    assert "1 of 5 questions have no consensus level yet." in text       # release-calendar
    assert "1 actions have no lead institution." in text
    assert "1 actions have no cost estimate." in text
    assert "lead agency is not named" in text and "context section" in text
    assert "1 data flows have an unknown" in text
    assert not doc.complete and doc.draft_title == "Draft — incomplete"


def test_a_finished_plan_is_complete(edition):
    consensus = {Q1: 1, Q2: 2, WG: 3, DEFS: 0, CAL: 3}
    action = _action(1, Q1, 1, 3, lead_institution="nso", starts_on=date(2027, 1, 1),
                     ends_on=date(2027, 6, 30), cost=Decimal("5000"), funding="donor")
    doc = generate.build(_data(edition, actions=[action], consensus=consensus, validated=True,
                               settings=PlanSettings(lead_agency="NSO", context="Profile."),
                               needs=[NeedData(1, "Who?", "Stock", disaggregation=("sex",))],
                               flows=[FlowData(1, "interior", "nso", dsa_status="signed",
                                               dpia_status="done")]))
    assert doc.incomplete == [] and doc.complete


def test_results_show_the_change_since_the_last_round(edition):
    before = scoring.summarise(edition, {Q1: 0, Q2: 1, WG: 3, DEFS: 0})
    doc = generate.build(_data(edition, previous=PreviousRound("2024", before)))
    table = next(b for b in doc.section("results").blocks
                 if isinstance(b, generate.Table) and b.kind == "scores")
    assert "Change since 2024" in table.columns
    col = table.columns.index("Change since 2024")
    legal = next(r for r in table.rows if r[0].startswith("1."))
    # legal framework: weighted (1*2 + 2*1)/3 = 1.33 now vs (0*2 + 1)/3 = 0.33 before
    assert legal[col] == "+1.0"
    lead = doc.section("summary").blocks[0].text
    assert "in 2024" in lead


def test_capacity_counts_are_aggregates_with_small_groups_masked(edition):
    module = ModuleNeed("field-basics/counting", "Field basics › Counting", ("1.1",),
                        {"nso": (12, 7), "interior": (3, 3)})
    doc = generate.build(_data(edition, modules=[module]))
    table = next(b for b in doc.section("capacity").blocks if isinstance(b, generate.Table)
                 and b.kind == "capacity")
    assert table.columns[2:] == ["NSO", "Interior"]
    assert table.rows[0][2:] == ["7 of 12", "fewer than 5 staff"]


def test_budget_totals_by_source_and_funding_gap(edition):
    actions = [_action(1, Q1, 1, 3, cost=Decimal("1000"), funding="donor",
                       starts_on=date(2027, 1, 1)),
               _action(2, Q2, 1, 3, cost=Decimal("3000"), funding="unfunded"),
               _action(3, DEFS, 1, 3, cost=Decimal("500"))]
    doc = generate.build(_data(edition, actions=actions))
    facts = next(b for b in doc.section("budget").blocks if isinstance(b, generate.Facts))
    values = dict(facts.rows)
    assert values["Total estimated cost"] == "4,500.00 USD"
    assert values["Funding gap (unfunded or no source yet)"] == "3,500.00 USD"


def test_annex_hides_institution_answers_from_those_who_may_not_see_them(edition):
    data = _data(edition)
    data.answers = [generate.AnswerData("nso", Q1, "level", 1, ("https://e.org/law",),
                                        comment="secret-comment")]
    shown = generate.build(data)
    data.show_details = False
    hidden = generate.build(data)

    def annex_text(doc):
        return repr(doc.section("annexes").blocks)
    assert "secret-comment" in annex_text(shown) and "https://e.org/law" in annex_text(shown)
    assert "secret-comment" not in annex_text(hidden)
