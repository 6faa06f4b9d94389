"""Charts as SVG strings: horizontal bars, a radar chart, paired values (before and
after) and vertical columns (histograms).

Pure functions (no Flask, no JavaScript, no chart library). Each chart is an
``<svg role="img">`` with a ``<title>`` and a ``<desc>`` referenced by
``aria-labelledby``; pages show the same numbers in a data table next to it.
Only plain presentation attributes are used (no CSS, no variables), so the
SVG also renders in WeasyPrint PDFs.

    svg = bar_chart([("Legal framework", 2.5), ("Census", None)], 4,
                    title="Domain scores", desc="Scores from 0 to 4 for each domain.")
    svg = radar_chart(["D1", "D2", "D3"], [("2026", [2.5, 3, 1])], 4, title=..., desc=...)

Templates insert the result with ``|safe``: every text is escaped here.
"""

import hashlib
import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

INK = "#1b1f24"
MUTED = "#4a5560"
GRID = "#c9d1d9"
# Colour-blind-safe colours (Okabe–Ito), each series also gets its own dash pattern.
PALETTE = ("#0b5394", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "4 4")


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _clip(label: str, limit: int) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def _ids(prefix: str | None, title: str, desc: str) -> str:
    if prefix:
        return prefix
    return "chart-" + hashlib.sha1(f"{title}\0{desc}".encode(), usedforsecurity=False
                                   ).hexdigest()[:8]


def _open(width: float, height: float, ident: str, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="sans-serif" '
        f'font-size="13" fill="{INK}">',
        f'<title id="{ident}-title">{escape(str(title))}</title>',
        f'<desc id="{ident}-desc">{escape(str(desc))}</desc>',
    ]


def _text(x: float, y: float, text: str, **attrs) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(str(v))}" for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def bar_chart(items: Sequence[tuple[str, float | None]], max_value: float, title: str,
              desc: str, *, width: int = 640, bar_height: int = 26, label_width: int = 230,
              ticks: int | None = None, empty_label: str = "–", id_prefix: str | None = None,
              colour: str = PALETTE[0]) -> str:
    """Horizontal bars, one per (label, value); ``None`` draws no bar and ``empty_label``."""
    if max_value <= 0:
        raise ValueError("max_value must be positive")
    ident = _ids(id_prefix, str(title), str(desc))
    ticks = ticks if ticks is not None else (int(max_value) if float(max_value).is_integer()
                                             and max_value <= 10 else 4)
    top, gap, value_room = 8, 8, 44
    plot_x = label_width
    plot_w = max(60, width - label_width - value_room)
    height = top + len(items) * (bar_height + gap) + 24
    parts = _open(width, height, ident, title, desc)
    axis_y = top + len(items) * (bar_height + gap)
    for i in range(ticks + 1):
        x = plot_x + plot_w * i / ticks
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(x, axis_y + 16, _fmt(max_value * i / ticks), text_anchor="middle",
                           fill=MUTED, font_size="11"))
    for row, (label, value) in enumerate(items):
        y = top + row * (bar_height + gap)
        mid = y + bar_height / 2 + 4
        parts.append(_text(plot_x - 8, mid, _clip(label, 32), text_anchor="end"))
        if value is None:
            parts.append(_text(plot_x + 4, mid, empty_label, fill=MUTED))
            continue
        bar_w = plot_w * max(0.0, min(float(value), max_value)) / max_value
        parts.append(f'<rect x="{plot_x}" y="{y}" width="{bar_w:.1f}" height="{bar_height}" '
                     f'fill="{colour}"/>')
        parts.append(_text(plot_x + bar_w + 4, mid, _fmt(round(float(value), 2))))
    parts.append("</svg>")
    return "".join(parts)


def radar_chart(axes: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                max_value: float, title: str, desc: str, *, size: int = 440,
                rings: int | None = None, id_prefix: str | None = None) -> str:
    """A radar (spider) chart: one axis per label, one closed polygon per series.
    ``None`` values are drawn at the centre; say so in the text alternative."""
    if max_value <= 0:
        raise ValueError("max_value must be positive")
    if len(axes) < 3:
        raise ValueError("a radar chart needs at least three axes")
    ident = _ids(id_prefix, str(title), str(desc))
    rings = rings if rings is not None else (int(max_value) if float(max_value).is_integer()
                                             and max_value <= 10 else 4)
    legend_h = 22 * len(series) if len(series) > 1 else 0
    margin, side = 48, 120          # room for labels above/below and left/right
    radius = (size - 2 * margin) / 2 - 24
    width = size + 2 * side
    cx, cy = width / 2, margin + 24 + radius
    height = size + legend_h
    n = len(axes)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * max(0.0, min(value, max_value)) / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts = _open(width, height, ident, title, desc)
    for ring in range(1, rings + 1):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in
                       (point(i, max_value * ring / rings) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="{GRID}" stroke-width="1"/>')
        x, y = point(0, max_value * ring / rings)
        parts.append(_text(x + 4, y + 4, _fmt(max_value * ring / rings), fill=MUTED,
                           font_size="10"))
    for i, label in enumerate(axes):
        x, y = point(i, max_value)
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        lx, ly = point(i, max_value * 1.12)
        anchor = "middle" if abs(lx - cx) < 1 else ("start" if lx > cx else "end")
        ly += 4 if abs(ly - cy) < radius * 0.2 else (12 if ly > cy else -8)
        parts.append(_text(lx, ly, _clip(label, 24), text_anchor=anchor, font_size="12"))
    for s, (name, values) in enumerate(series):
        if len(values) != n:
            raise ValueError(f"series {name!r} has {len(values)} values for {n} axes")
        colour, dash = PALETTE[s % len(PALETTE)], DASHES[s % len(DASHES)]
        pts = [point(i, float(v or 0)) for i, v in enumerate(values)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polygon points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in pts)}" '
                     f'fill="{colour}" fill-opacity="0.15" stroke="{colour}" '
                     f'stroke-width="2.5"{dash_attr}/>')
        for (x, y), v in zip(pts, values, strict=True):
            if v is not None:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
        if legend_h:
            lx, ly = cx - radius, size + 6 + 22 * s
            parts.append(f'<line x1="{lx:.1f}" y1="{ly + 8}" x2="{lx + 28:.1f}" y2="{ly + 8}" '
                         f'stroke="{colour}" stroke-width="3"{dash_attr}/>')
            parts.append(_text(lx + 36, ly + 12, _clip(name, 40)))
    parts.append("</svg>")
    return "".join(parts)


def _legend_marker(kind: str, x: float, y: float, colour: str) -> str:
    """A small marker: "circle" (hollow), "square" (filled), "outline" or "solid" box."""
    if kind == "circle":
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#fff" stroke="{colour}" '
                f'stroke-width="2.5"/>')
    if kind == "square":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}"/>'
    if kind == "outline":
        return (f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="#fff" '
                f'stroke="{colour}" stroke-width="2.5"/>')
    return f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="{colour}"/>'


def paired_chart(rows: Sequence[tuple[str, float | None, float | None]], max_value: float,
                 title: str, desc: str, *, labels: tuple[str, str] = ("Before", "After"),
                 width: int = 640, row_height: int = 22, label_width: int = 190,
                 ticks: int = 5, empty_label: str = "–", id_prefix: str | None = None) -> str:
    """Two values per row joined by a line (a "dumbbell" chart), e.g. a learner's
    pre-test and post-test scores: the first value is a hollow circle, the
    second a filled square, so the two never rely on colour alone. A missing
    value draws no marker; a row with neither shows ``empty_label``."""
    if max_value <= 0:
        raise ValueError("max_value must be positive")
    ident = _ids(id_prefix, str(title), str(desc))
    first, second = PALETTE[1], PALETTE[0]
    top, value_room = 30, 16
    plot_x = label_width
    plot_w = max(60, width - label_width - value_room)
    axis_y = top + len(rows) * row_height + 4
    height = axis_y + 22
    parts = _open(width, height, ident, title, desc)
    parts.append(_legend_marker("circle", plot_x + 6, 12, first))
    parts.append(_text(plot_x + 16, 16, _clip(labels[0], 24)))
    legend2 = plot_x + 30 + 8 * min(len(labels[0]), 24)
    parts.append(_legend_marker("square", legend2, 12, second))
    parts.append(_text(legend2 + 10, 16, _clip(labels[1], 24)))

    def x_of(value: float) -> float:
        return plot_x + plot_w * max(0.0, min(float(value), max_value)) / max_value

    for i in range(ticks + 1):
        x = plot_x + plot_w * i / ticks
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{axis_y}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(x, axis_y + 16, _fmt(max_value * i / ticks), text_anchor="middle",
                           fill=MUTED, font_size="11"))
    for row, (label, a, b) in enumerate(rows):
        mid = top + row * row_height + row_height / 2
        parts.append(_text(plot_x - 8, mid + 4, _clip(label, 28), text_anchor="end"))
        if a is None and b is None:
            parts.append(_text(plot_x + 4, mid + 4, empty_label, fill=MUTED))
            continue
        if a is not None and b is not None:
            parts.append(f'<line x1="{x_of(a):.1f}" y1="{mid:.1f}" x2="{x_of(b):.1f}" '
                         f'y2="{mid:.1f}" stroke="{MUTED}" stroke-width="2"/>')
        if a is not None:
            parts.append(_legend_marker("circle", x_of(a), mid, first))
        if b is not None:
            parts.append(_legend_marker("square", x_of(b), mid, second))
    parts.append("</svg>")
    return "".join(parts)


def column_chart(categories: Sequence[str],
                 series: Sequence[tuple[str, Sequence[float | None]]], title: str, desc: str,
                 *, max_value: float | None = None, width: int = 640, height: int = 240,
                 styles: Sequence[tuple[str, str]] | None = None,
                 id_prefix: str | None = None) -> str:
    """Vertical columns, one group per category and one column per series (a
    histogram with one series). Each column above zero carries its value. By
    default the first series is filled and the second drawn as an outline, so
    they never rely on colour alone; ``styles`` gives (colour, "solid" or
    "outline") per series instead. ``max_value`` defaults to the largest value;
    counts (whole numbers) get whole-number ticks."""
    if not categories:
        raise ValueError("a column chart needs at least one category")
    for name, values in series:
        if len(values) != len(categories):
            raise ValueError(f"series {name!r} has {len(values)} values for "
                             f"{len(categories)} categories")
    present = [float(v) for _n, values in series for v in values if v is not None]
    whole = all(v.is_integer() for v in present)
    top_value = max(present + [0.0])
    steps = 4
    if max_value is None:
        max_value = max(1.0, top_value)
        if whole:                        # counts: whole-number ticks
            steps = int(max_value) if max_value <= 8 else 4
            max_value = steps * math.ceil(max_value / steps)
    if max_value <= 0:
        raise ValueError("max_value must be positive")
    styles = list(styles) if styles else [
        (PALETTE[s % len(PALETTE)], "solid" if s % 2 == 0 else "outline")
        for s in range(len(series))]
    ident = _ids(id_prefix, str(title), str(desc))
    legend_h = 22 if len(series) > 1 else 0
    left, right, top, bottom = 40, 8, 14 + legend_h, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = _open(width, height, ident, title, desc)
    for s, (name, _values) in enumerate(series if legend_h else ()):
        x = left + 6 + s * 170
        colour, style = styles[s]
        parts.append(_legend_marker(style, x, 10, colour))
        parts.append(_text(x + 12, 14, _clip(name, 22)))
    for i in range(steps + 1):
        y = top + plot_h - plot_h * i / steps
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(left - 6, y + 4, _fmt(round(max_value * i / steps, 1)),
                           text_anchor="end", fill=MUTED, font_size="11"))
    group_w = plot_w / len(categories)
    inner = group_w * 0.8
    col_w = inner / max(1, len(series))
    for c, category in enumerate(categories):
        gx = left + c * group_w + (group_w - inner) / 2
        for s, (_name, values) in enumerate(series):
            value = values[c]
            colour, style = styles[s]
            x = gx + s * col_w
            if value is None or float(value) <= 0:
                continue
            h = plot_h * max(0.0, min(float(value), max_value)) / max_value
            y = top + plot_h - h
            if style == "solid":
                parts.append(f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{col_w - 2:.1f}" '
                             f'height="{h:.1f}" fill="{colour}"/>')
            else:
                parts.append(f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{col_w - 4:.1f}" '
                             f'height="{h:.1f}" fill="#fff" stroke="{colour}" '
                             f'stroke-width="2.5"/>')
            parts.append(_text(x + col_w / 2, y - 4, _fmt(round(float(value), 2)),
                               text_anchor="middle", font_size="11"))
        parts.append(_text(left + c * group_w + group_w / 2, top + plot_h + 16,
                           _clip(category, max(4, int(group_w / 7))), text_anchor="middle",
                           font_size="11"))
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
                 f'y2="{top + plot_h}" stroke="{INK}" stroke-width="1"/>')
    parts.append("</svg>")
    return "".join(parts)
