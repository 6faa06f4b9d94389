"""The charts of a round's scores, as SVG (pages now, PDF plans later)."""

from flask_babel import gettext as _

from app.assessments.loader import Edition
from app.assessments.scoring import MAX_LEVEL, Summary
from app.core import charts
from app.core.i18n import country_name


def _score_text(score: float | None) -> str:
    return _("not scored") if score is None else _("%(score)s of 4", score=f"{score:.1f}")


def domain_charts(edition: Edition, summary: Summary, round_) -> tuple[str, str]:
    """(radar, bar chart) of the domain scores, each with a title and a description."""
    scores = [(d, summary.domain(d.slug)) for d in edition.domains]
    values = [s.score if s else None for _d, s in scores]
    name = f"{country_name(round_.country)} {round_.label}"
    desc = "; ".join(f"{d.number}. {d.title}: {_score_text(v)}"
                     for (d, _s), v in zip(scores, values, strict=True))
    radar = charts.radar_chart(
        [f"{d.number}. {d.title}" for d, _s in scores], [(name, values)], MAX_LEVEL,
        title=_("Domain scores of %(round)s (radar chart, 0 to 4)", round=name),
        desc=desc, id_prefix=f"radar-{round_.id}")
    bars = charts.bar_chart(
        [(f"{d.number}. {d.title}", v) for (d, _s), v in zip(scores, values, strict=True)],
        MAX_LEVEL, title=_("Domain scores of %(round)s (bar chart, 0 to 4)", round=name),
        desc=desc, empty_label=_("not scored"), id_prefix=f"bars-{round_.id}")
    return radar, bars
