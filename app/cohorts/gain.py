"""Knowledge gain: pure functions over plain numbers (no Flask, no database).

A cohort that asks for a pre-test compares, for each learner, the score of
the pre-test with the score of the post-test (both 0–100):

    gain = post − pre                       (percentage points)
    g    = (post − pre) / (100 − pre)       (normalised gain, Hake 1998)

``g`` is the share of what the learner did not know that they learnt: 1 means
everything missing at the pre-test was learnt, 0 nothing, a negative value a
lower score afterwards. It is undefined (None) when pre = 100 (nothing left to
learn) or when either score is missing.

For the cohort each figure is summarised over the learners who have it
(missing values are ignored): the pre-test mean over those who took the
pre-test, the post-test mean over those who took the post-test, and gain and
g over those who took both. "Positive gain" is counted among learners with
both scores.

Per learning objective the same is done with objective scores: the mean
credit (0–1) of the attempt's questions on that objective, as a percentage.
"""

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: Hake's bands for the normalised gain (and one for losses).
G_BANDS = (("loss", None, 0.0), ("low", 0.0, 0.3), ("medium", 0.3, 0.7), ("high", 0.7, None))


def normalised_gain(pre: float | None, post: float | None) -> float | None:
    """(post − pre) / (100 − pre); None when pre = 100 or a score is missing."""
    if pre is None or post is None or pre >= 100:
        return None
    return (post - pre) / (100 - pre)


@dataclass(frozen=True)
class LearnerGain:
    pre: float | None
    post: float | None

    @property
    def both(self) -> bool:
        return self.pre is not None and self.post is not None

    @property
    def gain(self) -> float | None:
        return self.post - self.pre if self.both else None

    @property
    def g(self) -> float | None:
        return normalised_gain(self.pre, self.post)

    @property
    def g_undefined(self) -> bool:
        """Both scores are there but g cannot be computed (pre = 100)."""
        return self.both and self.g is None


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float | None
    median: float | None


def summarise(values: Iterable[float | None]) -> Summary:
    """Count, mean and median of the values that are not None."""
    present = [float(v) for v in values if v is not None]
    if not present:
        return Summary(0, None, None)
    return Summary(len(present), statistics.fmean(present), statistics.median(present))


@dataclass(frozen=True)
class CohortGain:
    learners: int               # learners considered (with or without scores)
    pre: Summary                # over learners with a pre-test
    post: Summary               # over learners with a post-test
    gain: Summary               # over learners with both
    g: Summary                  # over learners with both and pre < 100
    both: int                   # learners with both scores
    positive: int               # of them, how many scored higher afterwards
    g_undefined: int            # of them, how many had pre = 100
    #: Hake's class-average gain over the learners with both scores,
    #: (mean post − mean pre) / (100 − mean pre); the mean of individual g
    #: (``g.mean``) weighs every learner the same and is the headline figure.
    class_g: float | None = None

    @property
    def positive_share(self) -> float | None:
        """Share (0–1) of learners with both scores whose gain is above zero."""
        return self.positive / self.both if self.both else None

    @property
    def enough(self) -> bool:
        return self.both > 0


def cohort_gain(pairs: Sequence[tuple[float | None, float | None]]) -> CohortGain:
    """Summaries for a cohort from (pre, post) pairs, one per learner."""
    rows = [LearnerGain(pre, post) for pre, post in pairs]
    both = [r for r in rows if r.both]
    class_g = None
    if both:
        class_g = normalised_gain(statistics.fmean(r.pre for r in both),
                                  statistics.fmean(r.post for r in both))
    return CohortGain(
        learners=len(rows),
        pre=summarise(r.pre for r in rows),
        post=summarise(r.post for r in rows),
        gain=summarise(r.gain for r in both),
        g=summarise(r.g for r in both),
        both=len(both),
        positive=sum(1 for r in both if r.gain > 0),
        g_undefined=sum(1 for r in both if r.g_undefined),
        class_g=class_g)


# --- learning objectives -----------------------------------------------------------------

def objective_scores(answers: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Objective -> score (0–100): the mean credit of the attempt's answers to
    the questions on that objective, from (objective, credit) pairs."""
    totals: dict[str, list[float]] = {}
    for objective, credit in answers:
        totals.setdefault(objective, []).append(float(credit))
    return {objective: 100 * statistics.fmean(credits) for objective, credits in totals.items()}


def objective_gains(learners: Sequence[tuple[Mapping[str, float] | None,
                                             Mapping[str, float] | None]],
                    order: Sequence[str] = ()) -> dict[str, CohortGain]:
    """Objective -> CohortGain, from one (pre objective scores, post objective
    scores) pair per learner. Objectives come in ``order`` first, then any
    other objective met in the answers (sorted)."""
    seen = {o for pre, post in learners for scores in (pre, post) if scores for o in scores}
    objectives = [o for o in order if o in seen] + sorted(seen - set(order))
    return {objective: cohort_gain([((pre or {}).get(objective), (post or {}).get(objective))
                                    for pre, post in learners])
            for objective in objectives}


# --- distributions for charts ------------------------------------------------------------

def g_band(g: float) -> str:
    """"loss" (g < 0), "low" (0 ≤ g < 0.3), "medium" (0.3 ≤ g < 0.7), "high" (g ≥ 0.7)."""
    for name, low, high in G_BANDS:
        if (low is None or g >= low) and (high is None or g < high):
            return name
    raise AssertionError("unreachable")   # the bands cover every number


def g_histogram(values: Iterable[float | None]) -> dict[str, int]:
    """How many learners fall in each of Hake's bands (None values are left out)."""
    counts = {name: 0 for name, _low, _high in G_BANDS}
    for g in values:
        if g is not None:
            counts[g_band(g)] += 1
    return counts


def score_bands(values: Iterable[float | None], width: int = 10) -> list[int]:
    """Counts of scores in bands of ``width`` points: [0, 10), [10, 20) … [90, 100]
    (100 falls in the last band)."""
    bands = [0] * (100 // width)
    for value in values:
        if value is not None:
            bands[min(len(bands) - 1, max(0, int(value // width)))] += 1
    return bands
