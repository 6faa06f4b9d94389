"""Knowledge gain (app/cohorts/gain.py): every expected number below was worked
out by hand; the arithmetic is in the comments."""

import math

import pytest

from app.cohorts import gain


def close(a, b, tol=1e-9):
    return a is not None and b is not None and math.isclose(a, b, abs_tol=tol)


@pytest.mark.parametrize(("pre", "post", "expected"), [
    (40, 70, 0.5),           # (70 − 40) / (100 − 40) = 30 / 60
    (80, 90, 0.5),           # 10 / 20
    (50, 40, -0.2),          # −10 / 50: a loss
    (0, 100, 1.0),           # 100 / 100
    (99, 100, 1.0),          # 1 / 1
    (20, 20, 0.0),           # 0 / 80
    (100, 90, None),         # pre = 100: nothing left to learn, undefined
    (100, 100, None),
    (None, 60, None),        # a missing score
    (30, None, None),
])
def test_normalised_gain(pre, post, expected):
    found = gain.normalised_gain(pre, post)
    assert found == expected if expected is None else close(found, expected)


def test_a_learner_with_pre_100_has_a_gain_but_no_g():
    row = gain.LearnerGain(100, 90)
    assert row.both and row.gain == -10 and row.g is None and row.g_undefined
    assert not gain.LearnerGain(None, 90).g_undefined


def test_summaries_ignore_missing_values():
    assert gain.summarise([]) == gain.Summary(0, None, None)
    assert gain.summarise([None, None]) == gain.Summary(0, None, None)
    # 1, 2, 4: mean 7 / 3, median 2
    found = gain.summarise([4, None, 1, 2])
    assert found.n == 3 and close(found.mean, 7 / 3) and found.median == 2


def test_cohort_gain_worked_by_hand():
    pairs = [(40, 70), (80, 90), (50, 40), (100, 90), (None, 60), (30, None)]
    f = gain.cohort_gain(pairs)
    assert f.learners == 6
    # pre-tests: 40, 80, 50, 100, 30 -> mean 300 / 5 = 60, median 50
    assert f.pre.n == 5 and close(f.pre.mean, 60) and f.pre.median == 50
    # post-tests: 70, 90, 40, 90, 60 -> mean 350 / 5 = 70, median 70
    assert f.post.n == 5 and close(f.post.mean, 70) and f.post.median == 70
    # both: (40, 70), (80, 90), (50, 40), (100, 90): gains 30, 10, −10, −10
    # mean 20 / 4 = 5; median of −10, −10, 10, 30 = (−10 + 10) / 2 = 0
    assert f.both == 4 and f.gain.n == 4 and close(f.gain.mean, 5) and f.gain.median == 0
    # g: 0.5, 0.5, −0.2 (the pre = 100 learner has none): mean 0.8 / 3, median 0.5
    assert f.g.n == 3 and close(f.g.mean, 0.8 / 3) and close(f.g.median, 0.5)
    assert f.g_undefined == 1
    # positive gain: 2 of the 4 with both
    assert f.positive == 2 and f.positive_share == 0.5
    # class g: mean pre (40 + 80 + 50 + 100) / 4 = 67.5, mean post 290 / 4 = 72.5,
    # (72.5 − 67.5) / (100 − 67.5) = 5 / 32.5
    assert close(f.class_g, 5 / 32.5)


def test_one_learner():
    f = gain.cohort_gain([(25, 85)])
    # gain 60, g = 60 / 75 = 0.8; mean and median are that one value
    assert f.both == 1 and f.gain.mean == 60 and f.gain.median == 60
    assert close(f.g.mean, 0.8) and close(f.g.median, 0.8) and f.positive_share == 1.0


def test_no_data():
    f = gain.cohort_gain([])
    assert f.learners == 0 and f.both == 0 and not f.enough
    assert f.pre.mean is None and f.g.mean is None and f.positive_share is None
    assert f.class_g is None
    only_pre = gain.cohort_gain([(40, None), (60, None)])
    assert only_pre.pre.n == 2 and only_pre.pre.mean == 50 and only_pre.both == 0
    assert only_pre.gain.mean is None and only_pre.positive_share is None


def test_everybody_at_100_before():
    f = gain.cohort_gain([(100, 100), (100, 80)])
    assert f.both == 2 and f.g.n == 0 and f.g.mean is None and f.g_undefined == 2
    assert f.class_g is None        # mean pre = 100: undefined too
    assert f.positive == 0 and f.positive_share == 0.0


def test_objective_scores_are_mean_credits_in_percent():
    # a: (1 + 0) / 2 = 50 %; b: 0.5 / 1 = 50 %; c: (1 + 1 + 0.25) / 3 = 75 %
    found = gain.objective_scores([("a", 1), ("a", 0), ("b", 0.5), ("c", 1), ("c", 1),
                                   ("c", 0.25)])
    assert found == {"a": 50.0, "b": 50.0, "c": 75.0}
    assert gain.objective_scores([]) == {}


def test_objective_gains():
    learners = [({"a": 50, "b": 100}, {"a": 100, "b": 100}),
                (None, {"a": 0}),
                ({"z": 20}, {"z": 60})]
    found = gain.objective_gains(learners, order=["b", "a", "unused"])
    assert list(found) == ["b", "a", "z"]     # the given order first, then the others
    # a: only the first learner has both: (50, 100) -> g = 50 / 50 = 1
    assert found["a"].both == 1 and close(found["a"].g.mean, 1.0)
    assert found["a"].post.n == 2 and found["a"].post.mean == 50     # (100 + 0) / 2
    # b: (100, 100): gain 0, g undefined
    assert found["b"].g_undefined == 1 and found["b"].g.mean is None
    # z: (20, 60): g = 40 / 80 = 0.5
    assert close(found["z"].g.mean, 0.5)


def test_bands_for_the_charts():
    assert [gain.g_band(g) for g in (-0.5, 0, 0.29, 0.3, 0.69, 0.7, 1)] == [
        "loss", "low", "low", "medium", "medium", "high", "high"]
    assert gain.g_histogram([-0.1, 0.1, 0.5, 0.8, 0.9, None]) == {
        "loss": 1, "low": 1, "medium": 1, "high": 2}
    # 0 -> band 0; 9.9 -> 0; 10 -> 1; 55 -> 5; 100 -> the last band (9)
    assert gain.score_bands([0, 9.9, 10, 55, 100, None]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]
