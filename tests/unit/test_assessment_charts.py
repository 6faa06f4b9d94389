"""Charts are valid SVG with a title, a description and escaped texts."""

import xml.etree.ElementTree as ET

import pytest

from app.core import charts

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str):
    root = ET.fromstring(svg)  # noqa: S314  (SVG we just generated)
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert "var(" not in svg and "<script" not in svg and "style=" not in svg
    return root, title, desc


def test_bar_chart():
    svg = charts.bar_chart([("Legal framework", 2.5), ("Census & surveys", None),
                            ("Very long domain title that is clipped somewhere", 4)], 4,
                           title="Scores", desc="Legal 2.5; census not scored.",
                           empty_label="not scored")
    root, title, desc = parse(svg)
    assert title.text == "Scores" and desc.text.startswith("Legal")
    bars = root.findall(f"{NS}rect")
    assert len(bars) == 2
    widths = sorted(float(b.get("width")) for b in bars)
    assert widths[1] == pytest.approx(widths[0] * 4 / 2.5, abs=0.2)
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Census & surveys" in texts and "not scored" in texts and "2.5" in texts
    assert any(t.endswith("…") for t in texts)


def test_radar_chart():
    svg = charts.radar_chart(["D1", "D2", "D3", "D4"], [("2026", [1, 2, None, 4]),
                                                       ("Target", [3, 3, 3, 4])], 4,
                             title="Radar", desc="Two series.")
    root, _, _ = parse(svg)
    polygons = root.findall(f"{NS}polygon")
    assert len(polygons) == 4 + 2             # four rings, two series
    assert len(root.findall(f"{NS}circle")) == 3 + 4    # None draws no point
    assert "Target" in [t.text for t in root.iter(f"{NS}text")]    # legend


def test_texts_are_escaped():
    svg = charts.bar_chart([('<script>alert("x")</script>', 1)], 4, title="A <b> & c",
                           desc='"quoted"')
    root, title, _ = parse(svg)
    assert title.text == "A <b> & c"
    assert "<script>" not in svg


def test_ids_are_stable_and_can_be_chosen():
    one = charts.bar_chart([("a", 1)], 4, title="t", desc="d")
    assert one == charts.bar_chart([("a", 1)], 4, title="t", desc="d")
    assert 'id="mine-title"' in charts.bar_chart([("a", 1)], 4, title="t", desc="d",
                                                 id_prefix="mine")


def test_bad_input():
    with pytest.raises(ValueError):
        charts.radar_chart(["a", "b"], [("s", [1, 2])], 4, title="t", desc="d")
    with pytest.raises(ValueError):
        charts.radar_chart(["a", "b", "c"], [("s", [1, 2])], 4, title="t", desc="d")
    with pytest.raises(ValueError):
        charts.bar_chart([("a", 1)], 0, title="t", desc="d")


@pytest.mark.pdf
def test_charts_render_in_weasyprint():
    weasyprint = pytest.importorskip("weasyprint")
    radar = charts.radar_chart(["Legal", "Coordination", "Census"], [("2026", [2, 3.5, None])],
                               4, title="Radar", desc="Three domains.")
    bars = charts.bar_chart([("Legal", 2), ("Census", None)], 4, title="Bars", desc="Two.")
    pdf = weasyprint.HTML(string=f"<html><body>{radar}{bars}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")
