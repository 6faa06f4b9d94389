"""Benchmark aggregates: only over at least 5 countries, median and quartiles,
never a country's identity (pure)."""

import pytest

from app.assessments.plan.benchmark import MIN_COUNTRIES, Aggregate, aggregate

DOMAINS = ["legal", "census"]


def scores(n, census=True):
    return {f"C{i}": {"legal": float(i), "census": float(i) / 2 if census else None}
            for i in range(n)}


def test_four_countries_show_nothing():
    assert MIN_COUNTRIES == 5
    assert aggregate(scores(4), DOMAINS) == {}


def test_five_countries_show_the_median_and_quartiles():
    result = aggregate(scores(5), DOMAINS)
    legal = result["legal"]
    assert legal == Aggregate("legal", 5, 2.0, 1.0, 3.0)
    assert result["census"].median == pytest.approx(1.0)


def test_a_domain_with_fewer_than_five_scores_is_left_out():
    data = scores(6)
    for country in ("C0", "C1"):
        data[country]["census"] = None
    result = aggregate(data, DOMAINS)
    assert "census" not in result and result["legal"].countries == 6


def test_no_country_can_be_identified_in_the_result():
    result = aggregate(scores(7), DOMAINS)
    text = repr(result)
    assert all(f"C{i}" not in text for i in range(7))
    assert set(result) == set(DOMAINS)
    assert all(a.countries >= MIN_COUNTRIES for a in result.values())
