"""Aggregates that must not identify anyone (app/cohorts/aggregates.py)."""

import math

from app.cohorts import aggregates
from app.cohorts.aggregates import OTHER, UNKNOWN, Participant


def answers(relevance, content, trainer, pace=3, apply=4, comment=None):
    return {"relevance": relevance, "content": content, "trainer": trainer, "pace": pace,
            "apply": apply, "comment": comment}


def test_fewer_than_five_answers_show_nothing():
    rows = [answers(5, 5, 5, comment="Great") for _ in range(4)]
    found = aggregates.feedback_summary(rows)
    assert found.answers == 4 and not found.enough
    assert found.questions == () and found.comments == () and found.satisfaction.mean is None
    assert not aggregates.feedback_summary([]).enough


def test_five_answers_worked_by_hand():
    rows = [answers(5, 4, 3, comment="  zebra  crossing "), answers(4, 4, 4, pace=1),
            answers(3, None, 5, comment="Apples"), answers(5, 5, 5, comment=""),
            answers(1, 2, 3, pace=5, apply=None, comment="banana")]
    found = aggregates.feedback_summary(rows)
    assert found.enough and found.answers == 5
    by_key = {q.key: q for q in found.questions}
    # relevance 5, 4, 3, 5, 1 -> mean 18 / 5 = 3.6; counts of 1..5: 1, 0, 1, 1, 2
    assert math.isclose(by_key["relevance"].mean, 3.6)
    assert by_key["relevance"].counts == (1, 0, 1, 1, 2)
    # content skips one answer: 4, 4, 5, 2 -> 15 / 4 = 3.75
    assert by_key["content"].n == 4 and math.isclose(by_key["content"].mean, 3.75)
    assert by_key["pace"].counts == (1, 0, 3, 0, 1)
    assert by_key["apply"].n == 4
    # satisfaction per learner: (5+4+3)/3 = 4, 4, (3+5)/2 = 4, 5, (1+2+3)/3 = 2
    # mean (4 + 4 + 4 + 5 + 2) / 5 = 3.8
    assert math.isclose(found.satisfaction.mean, 3.8)
    # comments: without names, trimmed, empty ones left out, alphabetical (any case)
    assert found.comments == ("Apples", "banana", "zebra crossing")


def test_satisfaction_of_one_learner():
    assert aggregates.satisfaction(answers(5, 4, 3)) == 4
    assert aggregates.satisfaction(answers(None, None, 2)) == 2
    assert aggregates.satisfaction(answers(None, None, None)) is None


def people(country, n, start=0, certified=0, g=None, sat=None, organisation=None):
    return [Participant(person=(country, start + i), course="c", country=country,
                        organisation=organisation, certified=i < certified, g=g,
                        satisfaction=sat) for i in range(n)]


def test_small_groups_are_merged_and_withheld():
    group = (people("SN", 6, certified=2, g=0.5, sat=4.0) + people("GH", 2)
             + people("KE", 1) + people(None, 5))
    rows = aggregates.group_rows(group, lambda p: p.country)
    assert [r.key for r in rows] == ["SN", UNKNOWN, OTHER]
    sn = rows[0]
    assert sn.learners == 6 and sn.certified == 2 and sn.g.mean == 0.5
    assert sn.satisfaction.n == 6
    other = rows[-1]
    # GH (2) + KE (1) = 3 learners: fewer than 5, so no figure is shown
    assert other.merged == 2 and other.learners == 3 and other.withheld
    assert other.certified is None and other.g is None and other.satisfaction is None
    unknown = rows[1]
    assert unknown.learners == 5 and unknown.g is None   # no g values at all


def test_merged_group_of_five_is_shown():
    group = people("GH", 3) + people("KE", 2) + people("SN", 5)
    rows = aggregates.group_rows(group, lambda p: p.country)
    other = rows[-1]
    assert other.key == OTHER and other.learners == 5 and not other.withheld


def test_means_need_five_values_and_people_count_once():
    group = people("SN", 5, g=None) + [
        Participant(person=("SN", 0), course="c2", country="SN", organisation=None,
                    certified=True, g=0.9)]
    rows = aggregates.group_rows(group, lambda p: p.country)
    assert rows[0].learners == 5               # the same person in two workshops
    assert rows[0].certified == 1 and rows[0].g is None     # 1 value of g: hidden
    total = aggregates.totals(group)
    assert total.learners == 5 and total.g is None
    assert aggregates.group_rows([], lambda p: p.country) == []
