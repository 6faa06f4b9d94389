"""Item analysis of a quiz: pure functions over plain numbers (no Flask, no database).

The input is one mapping per attempt, question id -> credit (0–1, as graded:
right/wrong questions earn 0 or 1, partial-credit questions anything between).
For the cohort dashboards each learner contributes one attempt per quiz: their
first counted attempt (the one taken before seeing any correct answer).

For each question:

- **difficulty p** = the mean credit earned on it. For right/wrong questions
  this is the share of learners who answered it correctly; for partial-credit
  questions it also counts part marks. ``correct`` counts the fully correct
  answers (credit ≥ 0.999) separately.
- **discrimination** = the point-biserial correlation between the credit on
  the question and the learner's *rest score*: the total credit of the attempt
  minus this question (so the question is not correlated with itself). It is
  Pearson's r; None when fewer than two attempts or when either the question
  or the rest score has no variance (everybody got the same).

Flags:

- ``nobody_correct``: nobody answered it fully correctly (at least 3 answers):
  check the key, the wording, or the teaching;
- ``strong_miss``: discrimination below 0.1 (zero or negative: learners who do
  well on the rest of the quiz miss it as often as, or more than, the others;
  at least 5 answers): the question may be ambiguous or keyed wrongly;
- ``everybody_correct``: everybody answered it fully correctly (at least 3
  answers): informative only, the question does not tell learners apart.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

CORRECT = 0.999               # the grading's threshold for "correct"
NOBODY_CORRECT, STRONG_MISS, EVERYBODY_CORRECT = ("nobody_correct", "strong_miss",
                                                  "everybody_correct")
MIN_N_CORRECT_FLAGS = 3
MIN_N_DISCRIMINATION_FLAG = 5
LOW_DISCRIMINATION = 0.1


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation; None when n < 2 or either variable has no variance."""
    n = len(xs)
    if n != len(ys):
        raise ValueError("xs and ys must have the same length")
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


@dataclass(frozen=True)
class ItemStats:
    question_id: str
    n: int                          # attempts that answered it
    difficulty: float | None        # mean credit, 0–1 (None when n = 0)
    correct: int                    # fully correct answers
    discrimination: float | None    # item–rest point-biserial correlation
    flags: tuple[str, ...]

    @property
    def correct_share(self) -> float | None:
        return self.correct / self.n if self.n else None


def flags_for(n: int, correct: int, discrimination: float | None) -> tuple[str, ...]:
    found = []
    if n >= MIN_N_CORRECT_FLAGS and correct == 0:
        found.append(NOBODY_CORRECT)
    if (n >= MIN_N_DISCRIMINATION_FLAG and discrimination is not None
            and discrimination < LOW_DISCRIMINATION):
        found.append(STRONG_MISS)
    if n >= MIN_N_CORRECT_FLAGS and correct == n:
        found.append(EVERYBODY_CORRECT)
    return tuple(found)


def item_stats(question_id: str, attempts: Sequence[Mapping[str, float]]) -> ItemStats:
    """Statistics of one question over the attempts that include it."""
    credits, rests = [], []
    for attempt in attempts:
        if question_id not in attempt:
            continue
        credit = float(attempt[question_id])
        credits.append(credit)
        rests.append(sum(float(c) for c in attempt.values()) - credit)
    n = len(credits)
    correct = sum(1 for c in credits if c >= CORRECT)
    discrimination = pearson(credits, rests)
    return ItemStats(question_id=question_id, n=n,
                     difficulty=sum(credits) / n if n else None, correct=correct,
                     discrimination=discrimination, flags=flags_for(n, correct, discrimination))


def analyse(question_ids: Sequence[str],
            attempts: Sequence[Mapping[str, float]]) -> list[ItemStats]:
    """One ItemStats per question, in the order given."""
    return [item_stats(q, attempts) for q in question_ids]
