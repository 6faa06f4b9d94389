"""The charts added for the cohort dashboards (app/core/charts.py): well-formed
SVG with a title and a description, markers that do not rely on colour alone."""

import xml.etree.ElementTree as ET

import pytest

from app.core import charts

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str):
    root = ET.fromstring(svg)  # noqa: S314  (our own SVG)
    assert root.get("role") == "img"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return root


def test_paired_chart_draws_both_scores_and_escapes_names():
    svg = charts.paired_chart([("<Awa & co>", 40, 80), ("Only pre", 30, None),
                               ("Nothing", None, None)], 100, "Scores", "Before and after",
                              labels=("Pre-test", "Post-test"), id_prefix="t")
    root = parse(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<Awa & co>" in texts and "–" in texts and "Pre-test" in texts
    # two hollow circles for the legend and the pre-tests (+1 legend), squares for post
    circles = root.findall(".//svg:circle", NS)
    assert len(circles) == 3 and all(c.get("fill") == "#fff" for c in circles)
    assert len(root.findall(".//svg:line[@stroke-width='2']", NS)) == 1   # one pair joined


def test_column_chart_counts_and_styles():
    svg = charts.column_chart(["0–9", "10–19", "20–29"], [("Pre", [1, 0, 3]),
                                                         ("Post", [0, 2, 2])],
                              "Bands", "Learners by band", id_prefix="c")
    root = parse(svg)
    rects = root.findall(".//svg:rect", NS)
    outlined = [r for r in rects if r.get("fill") == "#fff"]
    assert outlined            # the second series is drawn as outlines
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "3" in labels and "10–19" in labels
    with pytest.raises(ValueError):
        charts.column_chart(["a"], [("x", [1, 2])], "t", "d")
    with pytest.raises(ValueError):
        charts.column_chart([], [], "t", "d")


def test_all_zero_histogram_still_renders():
    parse(charts.column_chart(["a", "b"], [("n", [0, 0])], "t", "d"))
