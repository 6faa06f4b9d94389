"""Grading: pure functions over a quiz's questions and a learner's responses."""

from dataclasses import dataclass

from app.quizzes.question_types import Question, ResponseError


@dataclass(frozen=True)
class ItemResult:
    question_id: str
    response: object          # as stored: option id(s), bool, number string, text or None
    credit: float             # 0.0–1.0

    @property
    def correct(self) -> bool:
        return self.credit >= 0.999


@dataclass(frozen=True)
class GradeResult:
    score: float              # percentage 0–100, rounded to one decimal
    passed: bool
    items: tuple[ItemResult, ...]


@dataclass(frozen=True)
class ReadResult:
    responses: dict[str, object]
    problems: dict[str, str]  # question id -> what is wrong with the input
    missing: tuple[str, ...]  # unanswered question ids


def read_responses(questions: tuple[Question, ...], form: dict[str, list[str]]) -> ReadResult:
    """Read raw form values (``q-<id>`` -> values) into responses. Fields for
    unknown questions are ignored; unreadable input is reported, not raised."""
    responses, problems, missing = {}, {}, []
    for q in questions:
        try:
            response = q.kind.parse(q, form.get(f"q-{q.id}", []))
        except ResponseError as err:
            problems[q.id] = str(err)
            continue
        if response is None:
            missing.append(q.id)
        responses[q.id] = response
    return ReadResult(responses, problems, tuple(missing))


def grade(questions: tuple[Question, ...], responses: dict[str, object],
          pass_mark: float) -> GradeResult:
    """Score every question (missing responses earn nothing); each question weighs the same."""
    items = tuple(ItemResult(q.id, responses.get(q.id), q.kind.grade(q, responses.get(q.id)))
                  for q in questions)
    score = round(100 * sum(i.credit for i in items) / len(items), 1) if items else 0.0
    return GradeResult(score, score >= pass_mark, items)
