"""Question types, as a registry: a new type is one class with the
``@question_type`` decorator. Pure code (no Flask, no database).

Each type knows how to check its YAML keys, read a learner's raw form values
into a response, grade a response (0.0–1.0 credit) and say what the right
answer was.
"""

import html
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

QUESTION_TYPES: dict[str, "QuestionType"] = {}


class ResponseError(ValueError):
    """The learner's input cannot be read (not a number, an unknown option…)."""


def question_type(cls):
    QUESTION_TYPES[cls.name] = cls()
    return cls


@dataclass(frozen=True)
class Option:
    id: str
    html: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    objective: str
    prompt_html: str
    explanation_html: str
    options: tuple[Option, ...]
    key: dict            # the answer key, as the type's ``check`` produced it
    unit: str = ""
    line: int = 0

    @property
    def kind(self) -> "QuestionType":
        return QUESTION_TYPES[self.type]


class QuestionType(ABC):
    name = ""
    input = ""            # how the page asks: radio, checkbox, number or text
    has_options = False

    @abstractmethod
    def check(self, raw: dict, option_ids: list[str]) -> tuple[dict, list[str]]:
        """Validate the type-specific YAML keys; return (answer key, problems)."""

    @abstractmethod
    def parse(self, question: Question, values: list[str]):
        """Turn raw form values into a response (JSON-serialisable) or None if blank.
        Raises ResponseError when the input cannot be read."""

    @abstractmethod
    def grade(self, question: Question, response) -> float:
        """Credit between 0.0 and 1.0 for a response (None means unanswered)."""

    @abstractmethod
    def answer_text(self, question: Question) -> str:
        """The right answer, as HTML (shown with |safe), for the feedback after
        submission: plain texts from the YAML are escaped here."""


def _option_html(question: Question, option_id: str) -> str:
    return next((o.html for o in question.options if o.id == option_id), option_id)


def _choose(question: Question, values: list[str]) -> list[str]:
    known = {o.id for o in question.options}
    chosen = [v for v in dict.fromkeys(values) if v]
    if any(v not in known for v in chosen):
        raise ResponseError("unknown option")
    return chosen


@question_type
class SingleChoice(QuestionType):
    name = "single_choice"
    input = "radio"
    has_options = True

    def check(self, raw, option_ids):
        answer = str(raw.get("answer", ""))
        problems = [] if answer in option_ids else [
            f"answer {answer!r} is not one of the option ids {option_ids}"]
        return {"answer": answer}, problems

    def parse(self, question, values):
        chosen = _choose(question, values)
        if len(chosen) > 1:
            raise ResponseError("choose one option")
        return chosen[0] if chosen else None

    def grade(self, question, response):
        return 1.0 if response == question.key["answer"] else 0.0

    def answer_text(self, question):
        return _option_html(question, question.key["answer"])


@question_type
class MultipleChoice(QuestionType):
    name = "multiple_choice"
    input = "checkbox"
    has_options = True

    def check(self, raw, option_ids):
        answer = raw.get("answer")
        scoring = raw.get("scoring", "all_or_nothing")
        problems = []
        if not isinstance(answer, list) or not answer:
            problems.append("answer must be a non-empty list of option ids")
            answer = []
        answer = [str(a) for a in answer]
        unknown = [a for a in answer if a not in option_ids]
        if unknown:
            problems.append(f"answer ids {unknown} are not option ids {option_ids}")
        if scoring not in ("all_or_nothing", "partial"):
            problems.append("scoring must be all_or_nothing or partial")
        return {"answer": sorted(set(answer)), "scoring": scoring,
                "options": list(option_ids)}, problems

    def parse(self, question, values):
        chosen = _choose(question, values)
        return sorted(chosen) if chosen else None

    def grade(self, question, response):
        if not response:
            return 0.0      # unanswered earns nothing, not the credit of every right blank
        right = set(question.key["answer"])
        given = set(response)
        if question.key["scoring"] == "partial":
            options = question.key["options"]
            earned = sum(1 for o in options if (o in right) == (o in given))
            return earned / len(options)
        return 1.0 if given == right else 0.0

    def answer_text(self, question):
        return "; ".join(_option_html(question, a) for a in question.key["answer"])


@question_type
class TrueFalse(QuestionType):
    name = "true_false"
    input = "radio"

    def check(self, raw, option_ids):
        answer = raw.get("answer")
        if not isinstance(answer, bool):
            return {"answer": False}, ["answer must be true or false"]
        return {"answer": answer}, []

    def parse(self, question, values):
        values = [v for v in values if v]
        if not values:
            return None
        if len(values) > 1 or values[0] not in ("true", "false"):
            raise ResponseError("choose true or false")
        return values[0] == "true"

    def grade(self, question, response):
        return 1.0 if response is question.key["answer"] else 0.0

    def answer_text(self, question):
        return "true" if question.key["answer"] else "false"


def parse_number(text: str) -> Decimal:
    """Read "12.5", "12,5", "1 234,5" or "1,234.5": spaces are ignored; when both
    separators appear the last one is the decimal mark; a lone comma is one."""
    s = re.sub(r"[\s\u00a0\u202f']", "", text or "")
    if s.endswith("%"):
        s = s[:-1]
    if "," in s and "." in s:
        decimal_mark = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        s = s.replace(thousands, "").replace(decimal_mark, ".")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1:
        s = s.replace(",", "")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", s):
        raise ResponseError("not a number")
    try:
        return Decimal(s)
    except InvalidOperation as exc:
        raise ResponseError("not a number") from exc


@question_type
class Numeric(QuestionType):
    name = "numeric"
    input = "number"

    def check(self, raw, option_ids):
        problems = []
        answer, tolerance = raw.get("answer"), raw.get("tolerance", 0)
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            problems.append("answer must be a number")
            answer = 0
        if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
            problems.append("tolerance must be a number of at least 0")
            tolerance = 0
        return {"answer": str(answer), "tolerance": str(tolerance)}, problems

    def parse(self, question, values):
        text = next((v for v in values if v and v.strip()), "")
        if not text:
            return None
        return str(parse_number(text))

    def grade(self, question, response):
        if response is None:
            return 0.0
        diff = abs(Decimal(response) - Decimal(question.key["answer"]))
        return 1.0 if diff <= Decimal(question.key["tolerance"]) else 0.0

    def answer_text(self, question):
        tolerance = Decimal(question.key["tolerance"])
        text = question.key["answer"] + (f" {html.escape(question.unit)}" if question.unit
                                         else "")
        return text + (f" (± {tolerance})" if tolerance else "")


def normalise_text(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a short answer."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = re.sub(r"[\s\u00a0]+", " ", stripped.casefold()).strip()
    return stripped.strip(".,;:!?\"'«»()")


@question_type
class ShortText(QuestionType):
    name = "short_text"
    input = "text"

    def check(self, raw, option_ids):
        answer = raw.get("answer")
        if isinstance(answer, str):
            answer = [answer]
        if not isinstance(answer, list) or not answer or not all(
                isinstance(a, str | int | float) and str(a).strip() for a in answer):
            return {"answer": [], "accepted": []}, [
                "answer must be a list of accepted answers"]
        answer = [str(a) for a in answer]
        return {"answer": answer, "accepted": sorted({normalise_text(a) for a in answer})}, []

    def parse(self, question, values):
        text = next((v for v in values if v and v.strip()), "")
        return text.strip()[:500] or None

    def grade(self, question, response):
        return 1.0 if response and normalise_text(response) in question.key["accepted"] else 0.0

    def answer_text(self, question):
        return " / ".join(html.escape(a) for a in question.key["answer"])
