"""Progress between two rounds of the same framework. Pure code.

Per question: the previous and current agreed levels, the change, the target
set last time (the previous plan's action target, else the institutions'
target levels) and whether it is attained, and the status of the action the
previous plan had for it. Per domain: previous and current scores and the
change, and how many targets are attained.
"""

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.assessments.loader import Edition


@dataclass(frozen=True)
class QuestionChange:
    question_id: str
    number: str
    text_html: str                  # the question, rendered and sanitised at load time
    previous: int | None
    current: int | None
    target: int | None
    action_code: str | None = None
    action_status: str | None = None

    @property
    def change(self) -> int | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def attained(self) -> bool | None:
        """None when there is no target or no current level to judge it."""
        if self.target is None or self.current is None:
            return None
        return self.current >= self.target


@dataclass(frozen=True)
class DomainChange:
    slug: str
    number: int
    title: str
    previous: float | None
    current: float | None
    questions: tuple[QuestionChange, ...]

    @property
    def change(self) -> float | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def targets(self) -> int:
        return sum(1 for q in self.questions if q.attained is not None)

    @property
    def attained(self) -> int:
        return sum(1 for q in self.questions if q.attained)


def target_of(action_target: int | None, answer_targets: Iterable[int | None] = ()
              ) -> int | None:
    """The previous plan's target for the question, else the lower median of
    the targets the institutions gave, else None."""
    if action_target is not None:
        return action_target
    given = sorted(t for t in answer_targets if t is not None)
    return statistics.median_low(given) if given else None


def compare(edition: Edition, previous: Mapping[str, int | None],
            current: Mapping[str, int | None], *,
            previous_scores: Mapping[str, float | None],
            current_scores: Mapping[str, float | None],
            targets: Mapping[str, int | None] | None = None,
            actions: Mapping[str, tuple[str, str]] | None = None) -> list[DomainChange]:
    """``previous``/``current``: {question id: agreed level or None};
    ``targets``: {question id: target}; ``actions``: {question id: (code, status)}."""
    targets, actions = targets or {}, actions or {}
    result = []
    for domain in edition.domains:
        rows = []
        for q in domain.questions:
            code, status = actions.get(q.id, (None, None))
            rows.append(QuestionChange(q.id, q.number, q.text_html, previous.get(q.id),
                                       current.get(q.id), targets.get(q.id), code, status))
        result.append(DomainChange(domain.slug, domain.number, domain.title,
                                   previous_scores.get(domain.slug),
                                   current_scores.get(domain.slug), tuple(rows)))
    return result
