"""Progress between two rounds: deltas, targets, attainment, action status (pure)."""

from pathlib import Path

import pytest

from app.assessments.loader import load_library
from app.assessments.plan import compare

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "assessments" / "mini"


@pytest.fixture(scope="module")
def edition():
    return load_library(MINI, ("en", "fr"), None).get("mini").default


def test_question_and_domain_changes(edition):
    result = compare.compare(
        edition, {"statistics-law-mandate": 1, "admin-data-access": 2, "working-group": 3},
        {"statistics-law-mandate": 3, "admin-data-access": 1, "working-group": None},
        previous_scores={"legal-framework": 1.33, "coordination": 3.0},
        current_scores={"legal-framework": 2.33, "coordination": None},
        targets={"statistics-law-mandate": 3, "admin-data-access": 3},
        actions={"statistics-law-mandate": ("A-01", "done")})
    legal, coordination, dissemination = result
    q1, q2 = legal.questions
    assert (q1.previous, q1.current, q1.change, q1.attained) == (1, 3, 2, True)
    assert (q1.action_code, q1.action_status) == ("A-01", "done")
    assert (q2.change, q2.attained) == (-1, False)
    assert legal.change == pytest.approx(1.0)
    assert (legal.attained, legal.targets) == (1, 2)
    wg = coordination.questions[0]
    assert wg.change is None and wg.attained is None          # no level now, no target
    assert coordination.change is None
    assert dissemination.questions[0].previous is None


def test_target_of_prefers_the_plans_action():
    assert compare.target_of(4, [2, 3]) == 4
    assert compare.target_of(None, [2, 3, None, 4]) == 3
    assert compare.target_of(None, [None]) is None
