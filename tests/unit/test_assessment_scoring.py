"""Scoring with hand-checked numbers (pure: no app, no database)."""

from types import SimpleNamespace as NS

import pytest

from app.assessments import scoring


def framework():
    """A: weight 2 (q1 weight 2, q2 weight 1); B: weight 1 (q3, q4); C: weight 1 (q5)."""
    return NS(domains=(
        NS(slug="a", weight=2.0, questions=(NS(id="q1", weight=2.0), NS(id="q2", weight=1.0))),
        NS(slug="b", weight=1.0, questions=(NS(id="q3", weight=1.0), NS(id="q4", weight=1.0))),
        NS(slug="c", weight=1.0, questions=(NS(id="q5", weight=1.0),)),
    ))


CONSENSUS = {"q1": 4, "q2": 1, "q3": None, "q4": 2}      # q3 not applicable, q5 no consensus


def test_domain_scores_are_weighted_means_without_unscored_questions():
    a, b, c = scoring.domain_scores(framework(), CONSENSUS)
    # A = (4*2 + 1*1) / (2 + 1) = 9/3 = 3.0
    assert a.score == pytest.approx(3.0) and a.percent == pytest.approx(75.0)
    assert (a.scored, a.total) == (2, 2)
    # B = 2 (q3 excluded)
    assert b.score == pytest.approx(2.0) and b.percent == pytest.approx(50.0)
    assert (b.scored, b.total) == (1, 2)
    # C: nothing scored
    assert c.score is None and c.percent is None and c.scored == 0


def test_overall_index_weights_the_scored_domains():
    scores = scoring.domain_scores(framework(), CONSENSUS)
    # (3.0*2 + 2.0*1) / (2 + 1) = 8/3; C is not scored so it does not count.
    assert scoring.overall_index(framework(), scores) == pytest.approx(8 / 3)
    summary = scoring.summarise(framework(), CONSENSUS)
    assert summary.overall_percent == pytest.approx(200 / 3)


def test_nothing_scored_gives_none():
    summary = scoring.summarise(framework(), {})
    assert summary.overall is None and summary.overall_percent is None
    assert all(d.score is None for d in summary.domains)
    assert summary.strengths == () and summary.gaps == ()


def test_strengths_gaps_and_evidence():
    evidence = {"q2": ["https://example.org/law", "A note"], "q1": ["unused"]}
    summary = scoring.summarise(framework(), CONSENSUS, evidence=evidence)
    assert summary.strengths == ("a",)                          # 3.0 >= 3
    assert [(g.question, g.level) for g in summary.gaps] == [("q2", 1), ("q4", 2)]
    assert summary.gaps[0].evidence == ("https://example.org/law", "A note")
    assert summary.gaps[1].evidence == ()


def test_disagreement_is_max_minus_min_and_flagged_at_two():
    answers = {
        "q1": {"nso": 4, "interior": 2, "labour": None},         # spread 2: flagged
        "q2": {"nso": 1, "interior": 2},                          # spread 1
        "q4": {"nso": 2},                                         # one level: no spread
        "q5": {"nso": 0, "interior": 4, "labour": 1},             # spread 4: flagged
    }
    every = {d.question: d for d in scoring.disagreements(framework(), answers)}
    assert every["q1"].spread == 2 and every["q1"].flagged
    assert every["q1"].levels == {"interior": 2, "nso": 4}
    assert every["q2"].spread == 1 and not every["q2"].flagged
    assert every["q4"].spread is None and not every["q4"].flagged
    assert every["q3"].spread is None
    summary = scoring.summarise(framework(), CONSENSUS, answers)
    assert [d.question for d in summary.disagreements] == ["q1", "q5"]


def test_spread_and_weighted_mean_helpers():
    assert scoring.spread([None, 3]) is None
    assert scoring.spread([0, 4, 2]) == 4
    assert scoring.weighted_mean([]) is None
    assert scoring.weighted_mean([(1, 1), (4, 2)]) == pytest.approx(3.0)


@pytest.mark.parametrize("bad", [5, -1, 2.5, "3", True])
def test_levels_outside_0_to_4_are_refused(bad):
    with pytest.raises(ValueError):
        scoring.domain_scores(framework(), {"q1": bad})


def test_summary_survives_a_json_round_trip():
    import json

    summary = scoring.summarise(framework(), CONSENSUS, {"q1": {"nso": 4, "interior": 1}},
                                {"q2": ["note"]})
    again = scoring.Summary.from_dict(json.loads(json.dumps(summary.to_dict())))
    assert again == summary
    assert again.scores() == {"a": pytest.approx(3.0), "b": pytest.approx(2.0), "c": None}


def test_works_with_a_loaded_framework():
    from pathlib import Path

    from app.assessments.loader import load_library

    root = Path(__file__).resolve().parents[1] / "fixtures" / "assessments"
    fw = load_library(root, ("en", "fr"), None).get("mini")
    consensus = {"statistics-law-mandate": 3, "admin-data-access": 0, "working-group": 2,
                 "common-definitions": 4, "release-calendar": None}
    summary = scoring.summarise(fw, consensus)
    # legal: (3*2 + 0*1)/3 = 2.0; coordination: (2+4)/2 = 3.0; dissemination: none
    assert summary.scores() == {"legal-framework": pytest.approx(2.0),
                                "coordination": pytest.approx(3.0), "dissemination": None}
    # overall: (2.0*2 + 3.0*1) / 3 = 7/3
    assert summary.overall == pytest.approx(7 / 3)
