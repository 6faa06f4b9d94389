"""Scores of a self-assessment round. Pure functions over plain data: no Flask,
no database.

Inputs are a framework (or one edition of it: anything with ``domains``, each
with ``slug``, ``weight`` and ``questions`` having ``id`` and ``weight``) and
plain dicts:

- ``consensus``: {question id: agreed level 0–4, or None}. None (or a missing
  id) means "not scored": don't know, not applicable, or no consensus yet.
- ``answers``: {question id: {institution: level 0–4 or None}}.
- ``evidence``: {question id: [texts or links]}.

Rules (assessments/README.md): a domain's score is the weighted mean of its
scored questions' levels (None when nothing is scored); the percentage is of
the maximum level 4; the overall index is the weighted mean of the scored
domains. Strengths are domains scoring 3 or more; gaps are questions agreed at
2 or less; a question is flagged when institutions' answers differ by 2 levels
or more. Scores describe one country's own system: nothing here ranks countries.
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

MAX_LEVEL = 4
STRENGTH_AT = 3.0           # a domain scoring this or more is a strength
GAP_AT = 2                  # a question agreed at this level or below is a gap
DISAGREEMENT_AT = 2         # answers this many levels apart are flagged


def _check_level(value, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_LEVEL:
        raise ValueError(f"{what}: {value!r} is not a level 0–{MAX_LEVEL}")
    return value


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Mean of (value, weight) pairs; None when there are none."""
    total = weight_sum = 0.0
    for value, weight in pairs:
        total += value * weight
        weight_sum += weight
    return total / weight_sum if weight_sum else None


def percent(score: float | None) -> float | None:
    return None if score is None else score / MAX_LEVEL * 100


@dataclass(frozen=True)
class DomainScore:
    domain: str
    score: float | None         # 0–4, None when no question is scored
    scored: int                 # questions with an agreed level
    total: int                  # questions in the domain

    @property
    def percent(self) -> float | None:
        return percent(self.score)


@dataclass(frozen=True)
class Gap:
    domain: str
    question: str
    level: int
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Disagreement:
    domain: str
    question: str
    levels: dict                # institution -> level (only institutions that gave a level)
    spread: int | None          # max - min, None with fewer than two levels

    @property
    def flagged(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_AT


@dataclass(frozen=True)
class Summary:
    domains: tuple[DomainScore, ...]
    overall: float | None
    strengths: tuple[str, ...]          # domain slugs
    gaps: tuple[Gap, ...]
    disagreements: tuple[Disagreement, ...]   # flagged questions only

    @property
    def overall_percent(self) -> float | None:
        return percent(self.overall)

    def domain(self, slug: str) -> DomainScore | None:
        return next((d for d in self.domains if d.domain == slug), None)

    def scores(self) -> dict[str, float | None]:
        return {d.domain: d.score for d in self.domains}

    def to_dict(self) -> dict:
        """JSON-ready (kept in a validated round's snapshot)."""
        return {
            "domains": [asdict(d) for d in self.domains],
            "overall": self.overall,
            "strengths": list(self.strengths),
            "gaps": [{**asdict(g), "evidence": list(g.evidence)} for g in self.gaps],
            "disagreements": [asdict(d) for d in self.disagreements],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> "Summary":
        return cls(
            domains=tuple(DomainScore(**d) for d in data["domains"]),
            overall=data["overall"],
            strengths=tuple(data["strengths"]),
            gaps=tuple(Gap(**{**g, "evidence": tuple(g["evidence"])}) for g in data["gaps"]),
            disagreements=tuple(Disagreement(**d) for d in data["disagreements"]),
        )


def _domains(framework):
    return getattr(framework, "domains", None) or framework.default.domains


def domain_score(domain, consensus: Mapping[str, int | None]) -> DomainScore:
    pairs = []
    for q in domain.questions:
        level = _check_level(consensus.get(q.id), q.id)
        if level is not None:
            pairs.append((level, q.weight))
    return DomainScore(domain.slug, weighted_mean(pairs), len(pairs), len(domain.questions))


def domain_scores(framework, consensus: Mapping[str, int | None]) -> tuple[DomainScore, ...]:
    return tuple(domain_score(d, consensus) for d in _domains(framework))


def overall_index(framework, scores: Iterable[DomainScore]) -> float | None:
    weights = {d.slug: d.weight for d in _domains(framework)}
    return weighted_mean((s.score, weights[s.domain]) for s in scores if s.score is not None)


def strengths(scores: Iterable[DomainScore], at: float = STRENGTH_AT) -> tuple[str, ...]:
    return tuple(s.domain for s in scores if s.score is not None and s.score >= at)


def gaps(framework, consensus: Mapping[str, int | None],
         evidence: Mapping[str, Iterable[str]] | None = None, at: int = GAP_AT) -> tuple[Gap, ...]:
    evidence = evidence or {}
    found = []
    for d in _domains(framework):
        for q in d.questions:
            level = _check_level(consensus.get(q.id), q.id)
            if level is not None and level <= at:
                found.append(Gap(d.slug, q.id, level, tuple(evidence.get(q.id, ()))))
    return tuple(found)


def spread(levels: Iterable[int | None]) -> int | None:
    """Max minus min of the levels given (None ignored); None with fewer than two."""
    values = [_check_level(v, "answer") for v in levels]
    values = [v for v in values if v is not None]
    return max(values) - min(values) if len(values) >= 2 else None


def disagreements(framework, answers: Mapping[str, Mapping[str, int | None]],
                  flagged_only: bool = False) -> tuple[Disagreement, ...]:
    found = []
    for d in _domains(framework):
        for q in d.questions:
            given = {inst: level for inst, level in (answers.get(q.id) or {}).items()
                     if level is not None}
            item = Disagreement(d.slug, q.id, dict(sorted(given.items())),
                                spread(given.values()))
            if item.flagged or not flagged_only:
                found.append(item)
    return tuple(found)


def summarise(framework, consensus: Mapping[str, int | None],
              answers: Mapping[str, Mapping[str, int | None]] | None = None,
              evidence: Mapping[str, Iterable[str]] | None = None) -> Summary:
    scores = domain_scores(framework, consensus)
    return Summary(domains=scores, overall=overall_index(framework, scores),
                   strengths=strengths(scores), gaps=gaps(framework, consensus, evidence),
                   disagreements=disagreements(framework, answers or {}, flagged_only=True))
