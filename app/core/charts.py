"""Charts as SVG strings: a horizontal bar chart and a radar chart.

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
