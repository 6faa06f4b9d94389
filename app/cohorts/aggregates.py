"""Aggregates that must not identify anyone: pure functions (no Flask, no database).

**Feedback survey.** Results are shown only in aggregate and only when at
least ``MIN_ANSWERS`` (5) learners answered; below that nothing is returned
(no mean, no count per answer, no comment). Comments are returned without
names, sorted alphabetically (never in the order people answered).

**Programme breakdowns.** Learners are counted by group (course, country,
organisation…). A group with fewer than ``MIN_GROUP`` (5) learners is not shown
on its own: such groups are merged into one "Other (fewer than 5 each)" row,
and when that row itself has fewer than 5 learners its figures are withheld.
A mean gain or a mean satisfaction is shown only when it rests on at least 5
values.
"""

import statistics
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.cohorts.gain import Summary, summarise

#: The survey's questions (Likert 1–5). ``pace`` runs from 1 "far too slow" through
#: 3 "about right" to 5 "far too fast": it is not part of satisfaction.
QUESTIONS = ("relevance", "content", "trainer", "pace", "apply")
#: Satisfaction = the mean of these three answers (1–5) for one learner.
SATISFACTION = ("relevance", "content", "trainer")
MIN_ANSWERS = 5
MIN_GROUP = 5
OTHER = "__other__"
UNKNOWN = "__unknown__"


# --- feedback --------------------------------------------------------------------------

def satisfaction(answers: Mapping[str, int | None]) -> float | None:
    """One learner's satisfaction: the mean of their relevance, content and
    trainer ratings (the ones they gave), or None."""
    values = [answers.get(k) for k in SATISFACTION if answers.get(k) is not None]
    return statistics.fmean(values) if values else None


@dataclass(frozen=True)
class QuestionSummary:
    key: str
    n: int
    mean: float | None
    counts: tuple[int, int, int, int, int]      # answers 1, 2, 3, 4, 5


@dataclass(frozen=True)
class FeedbackSummary:
    answers: int                    # how many learners answered (always shown)
    minimum: int
    questions: tuple[QuestionSummary, ...] = ()
    satisfaction: Summary = Summary(0, None, None)
    comments: tuple[str, ...] = ()

    @property
    def enough(self) -> bool:
        return self.answers >= self.minimum


def feedback_summary(rows: Sequence[Mapping[str, object]],
                     minimum: int = MIN_ANSWERS) -> FeedbackSummary:
    """Aggregates of the survey answers (one mapping per learner with the
    QUESTIONS keys and ``comment``); empty below ``minimum`` answers."""
    if len(rows) < minimum:
        return FeedbackSummary(len(rows), minimum)
    questions = []
    for key in QUESTIONS:
        values = [int(r[key]) for r in rows if r.get(key) is not None]
        counts = tuple(sum(1 for v in values if v == score) for score in range(1, 6))
        questions.append(QuestionSummary(key, len(values),
                                         statistics.fmean(values) if values else None,
                                         counts))
    comments = sorted((" ".join(str(r["comment"]).split()) for r in rows
                       if r.get("comment") and str(r["comment"]).strip()), key=str.casefold)
    return FeedbackSummary(len(rows), minimum, tuple(questions),
                           summarise(satisfaction(r) for r in rows), tuple(comments))


# --- programme groups -------------------------------------------------------------------

@dataclass(frozen=True)
class Participant:
    """One learner's place in one workshop, as the programme view counts it."""

    person: Hashable                # the same for the same person in several workshops
    course: str
    country: str | None
    organisation: str | None
    certified: bool
    g: float | None = None
    satisfaction: float | None = None


@dataclass(frozen=True)
class GroupRow:
    key: str                        # the group's value, OTHER or UNKNOWN
    learners: int
    certified: int | None           # None when withheld
    g: Summary | None               # None when withheld or fewer than MIN_GROUP values
    satisfaction: Summary | None
    merged: int = 0                 # for OTHER: how many small groups it holds

    @property
    def withheld(self) -> bool:
        return self.certified is None


def _figures(key: str, people: Sequence[Participant], minimum: int, merged: int = 0,
             withhold: bool = False) -> GroupRow:
    persons = {p.person for p in people}
    if withhold:
        return GroupRow(key, len(persons), None, None, None, merged)
    certified = {p.person for p in people if p.certified}
    g = summarise(p.g for p in people)
    sat = summarise(p.satisfaction for p in people)
    return GroupRow(key, len(persons), len(certified), g if g.n >= minimum else None,
                    sat if sat.n >= minimum else None, merged)


def totals(people: Iterable[Participant], minimum: int = MIN_GROUP) -> GroupRow:
    """The whole selection: counts always, means only on at least ``minimum`` values."""
    return _figures("__total__", list(people), minimum)


def group_rows(people: Iterable[Participant], key: Callable[[Participant], str | None],
               minimum: int = MIN_GROUP) -> list[GroupRow]:
    """Rows by ``key`` (None -> UNKNOWN), largest first; groups with fewer than
    ``minimum`` learners merged into one OTHER row, last, whose figures are
    withheld when it too has fewer than ``minimum`` learners."""
    groups: dict[str, list[Participant]] = {}
    for p in people:
        groups.setdefault(key(p) or UNKNOWN, []).append(p)
    rows, small = [], []
    merged = 0
    for value, members in groups.items():
        if len({p.person for p in members}) >= minimum:
            rows.append(_figures(value, members, minimum))
        else:
            small.extend(members)
            merged += 1
    rows.sort(key=lambda r: (-r.learners, r.key == UNKNOWN, r.key.casefold()))
    if small:
        rows.append(_figures(OTHER, small, minimum, merged,
                             withhold=len({p.person for p in small}) < minimum))
    return rows
