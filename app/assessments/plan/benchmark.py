"""Opt-in benchmarks: anonymised aggregates of domain scores, never a ranking.

A round's focal point may let its validated scores count (``Round.benchmark_opt_in``).
For each domain the page shows the median and the interquartile range of the
latest validated, opted-in round of each country using the same framework,
only when at least 5 countries contribute to that domain; nothing else: no
country names, no list, no count below 5, no position. A round sees the
aggregates only once it has opted in itself (reciprocity).
"""

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from app.assessments.access import RoundAccess, load_round
from app.assessments.constants import VALIDATED
from app.assessments.loader import Edition
from app.assessments.models import Round
from app.assessments.scoring import Summary
from app.core import audit
from app.extensions import db

MIN_COUNTRIES = 5


@dataclass(frozen=True)
class Aggregate:
    domain: str
    countries: int          # always MIN_COUNTRIES or more
    median: float
    q1: float
    q3: float


def aggregate(scores_by_country: Mapping[str, Mapping[str, float | None]],
              domains: Iterable[str], minimum: int = MIN_COUNTRIES) -> dict[str, Aggregate]:
    """Median and quartiles per domain over the countries that have a score for
    it; a domain with fewer than ``minimum`` countries is left out, so is
    everything when fewer than ``minimum`` countries take part. The result
    names no country."""
    if len(scores_by_country) < minimum:
        return {}
    result = {}
    for domain in domains:
        values = sorted(v for scores in scores_by_country.values()
                        if (v := scores.get(domain)) is not None)
        if len(values) < minimum:
            continue
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        result[domain] = Aggregate(domain, len(values), round(median, 2), round(q1, 2),
                                   round(q3, 2))
    return result


def contributing_scores(framework_slug: str) -> dict[str, dict[str, float | None]]:
    """{country: domain scores} of the latest validated, opted-in round of each
    country (1 query)."""
    rows = db.session.execute(
        select(Round.country, Round.snapshot).where(
            Round.framework_slug == framework_slug, Round.status == VALIDATED,
            Round.benchmark_opt_in.is_(True))
        .order_by(Round.country, Round.validated_at.desc(), Round.id.desc()))
    result: dict[str, dict[str, float | None]] = {}
    for country, snapshot in rows:
        if country in result or not snapshot or not snapshot.get("summary"):
            continue
        result[country] = Summary.from_dict(snapshot["summary"]).scores()
    return result


@dataclass
class BenchmarkView:
    access: RoundAccess
    edition: Edition
    own: dict                   # this round's domain scores
    aggregates: dict            # domain -> Aggregate ({} when not enough countries)
    shown: bool                 # the round opted in, so it may see the aggregates


def benchmark_page(user, round_id: int, language: str | None = None) -> BenchmarkView:
    from app.assessments.services import framework_of, summary_of

    access = load_round(user, round_id)
    framework = framework_of(access.round)
    edition = framework.edition(language)
    own = summary_of(access.round, framework).scores()
    shown = bool(access.round.benchmark_opt_in)
    aggregates = aggregate(contributing_scores(framework.slug),
                           [d.slug for d in framework.domains]) if shown else {}
    return BenchmarkView(access, edition, own, aggregates, shown)


def set_opt_in(user, round_id: int, opt_in: bool) -> Round:
    access = load_round(user, round_id)
    access.require(access.can_set_benchmark)
    if access.round.benchmark_opt_in != opt_in:
        access.round.benchmark_opt_in = opt_in
        audit.record("plans.benchmark_opt_in" if opt_in else "plans.benchmark_opt_out",
                     actor=user, subject=f"round:{round_id}")
    return access.round
