"""Item analysis (app/cohorts/items.py) with numbers worked out by hand and
checked against statistics.correlation."""

import math
import statistics

from app.cohorts import items

# Five first attempts at a four-question quiz (credit per question).
ATTEMPTS = [
    {"q1": 1, "q2": 1, "q3": 1, "q4": 0},    # total 3
    {"q1": 1, "q2": 1, "q3": 0, "q4": 1},    # total 3
    {"q1": 1, "q2": 0, "q3": 0, "q4": 0},    # total 1
    {"q1": 0, "q2": 1, "q3": 0, "q4": 0},    # total 1
    {"q1": 0, "q2": 0, "q3": 0, "q4": 1},    # total 1
]


def test_point_biserial_worked_by_hand():
    stats = {s.question_id: s for s in items.analyse(["q1", "q3", "q4"], ATTEMPTS)}
    # q1: x = 1 1 1 0 0, rest = total − x = 2 2 0 1 1
    # means 0.6 and 1.2; dx = .4 .4 .4 −.6 −.6; dy = .8 .8 −1.2 −.2 −.2
    # Sxy = .32 + .32 − .48 + .12 + .12 = 0.40; Sxx = 1.2; Syy = 2.8
    # r = 0.40 / sqrt(1.2 × 2.8) = 0.40 / 1.83303 = 0.21822
    q1 = stats["q1"]
    assert q1.n == 5 and q1.difficulty == 0.6 and q1.correct == 3
    assert math.isclose(q1.discrimination, 0.4 / math.sqrt(3.36))
    assert round(q1.discrimination, 4) == 0.2182
    assert math.isclose(q1.discrimination, statistics.correlation([1, 1, 1, 0, 0],
                                                                  [2, 2, 0, 1, 1]))
    # q3: x = 1 0 0 0 0, rest = 2 3 1 1 1; Sxy = 0.40, Sxx = 0.8, Syy = 3.2
    # r = 0.40 / sqrt(2.56) = 0.25
    assert math.isclose(stats["q3"].discrimination, 0.25)
    assert stats["q3"].difficulty == 0.2
    # q4: x = 0 1 0 0 1, rest = 3 2 1 1 0; Sxy = −0.80, Sxx = 1.2, Syy = 5.2
    # r = −0.80 / sqrt(6.24) = −0.32026: the learners who do well elsewhere miss it
    q4 = stats["q4"]
    assert round(q4.discrimination, 5) == -0.32026
    assert math.isclose(q4.discrimination, statistics.correlation([0, 1, 0, 0, 1],
                                                                  [3, 2, 1, 1, 0]))
    assert q4.flags == (items.STRONG_MISS,)
    assert stats["q1"].flags == () and stats["q3"].flags == ()


def test_pearson_edge_cases():
    assert items.pearson([], []) is None
    assert items.pearson([1], [3]) is None                      # n < 2
    assert items.pearson([1, 1, 1], [0, 1, 2]) is None          # no variance in x
    assert items.pearson([0, 1, 1], [2, 2, 2]) is None          # no variance in y
    assert math.isclose(items.pearson([0, 1, 2], [1, 3, 5]), 1.0)
    assert math.isclose(items.pearson([0, 1, 2], [5, 3, 1]), -1.0)


def test_nobody_and_everybody_correct():
    nobody = items.item_stats("q", [{"q": 0, "r": 1}, {"q": 0, "r": 0}, {"q": 0, "r": 1}])
    assert nobody.correct == 0 and nobody.difficulty == 0 and nobody.discrimination is None
    assert nobody.flags == (items.NOBODY_CORRECT,)
    everybody = items.item_stats("q", [{"q": 1, "r": 1}, {"q": 1, "r": 0}, {"q": 1}])
    assert everybody.flags == (items.EVERYBODY_CORRECT,)
    # fewer than 3 answers: no flag
    assert items.item_stats("q", [{"q": 0}, {"q": 0}]).flags == ()


def test_strong_miss_needs_five_answers():
    four = [{"q": 1, "r": 0}, {"q": 0, "r": 3}, {"q": 1, "r": 1}, {"q": 0, "r": 2}]
    stats = items.item_stats("q", four)
    assert stats.discrimination < 0 and items.STRONG_MISS not in stats.flags
    five = [*four, {"q": 0, "r": 4}]
    assert items.STRONG_MISS in items.item_stats("q", five).flags


def test_partial_credit_counts_in_difficulty_not_in_correct():
    # credits 0.5, 1, 0 -> difficulty (0.5 + 1 + 0) / 3 = 0.5; one fully correct
    stats = items.item_stats("q", [{"q": 0.5}, {"q": 1.0}, {"q": 0.0}])
    assert stats.difficulty == 0.5 and stats.correct == 1
    assert math.isclose(stats.correct_share, 1 / 3)


def test_no_answer_and_a_single_answer():
    empty = items.item_stats("q", [])
    assert empty.n == 0 and empty.difficulty is None and empty.discrimination is None
    assert empty.correct_share is None and empty.flags == ()
    one = items.item_stats("q", [{"q": 1, "r": 0}])
    assert one.n == 1 and one.discrimination is None and one.flags == ()
    # a question that an older version of the quiz did not have
    assert items.item_stats("new", [{"q": 1}, {"q": 0}]).n == 0
