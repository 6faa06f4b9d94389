"""The cohort's charts as server-rendered SVG (app/core/charts.py), with a
title and a text description; every page that shows one also shows the same
numbers in a table."""

from flask_babel import gettext as _

from app.cohorts import formatting, forms, gain
from app.core import charts

#: Above this many learners the per-learner chart is replaced by distributions.
MAX_PAIRED = 40


def paired(rows: list[tuple[str, float | None, float | None]], figures: gain.CohortGain,
           id_prefix: str = "gain-paired") -> str | None:
    """Each learner's pre-test and post-test scores (None without any score)."""
    if not any(a is not None or b is not None for _n, a, b in rows):
        return None
    desc = _("Pre-test and post-test scores (0 to 100) of each learner: a hollow circle for "
             "the pre-test, a filled square for the post-test. Mean pre-test %(pre)s, mean "
             "post-test %(post)s, mean normalised gain %(g)s over %(n)d learners with both "
             "tests. The table below lists every value.",
             pre=formatting.number(figures.pre.mean), post=formatting.number(figures.post.mean),
             g=formatting.number(figures.g.mean, 2), n=figures.both)
    return charts.paired_chart(rows, 100, _("Pre-test and post-test score of each learner"),
                               desc, labels=(_("Pre-test"), _("Post-test")),
                               id_prefix=id_prefix)


def distribution(pre: list[float | None], post: list[float | None],
                 id_prefix: str = "gain-distribution") -> str | None:
    """How many learners scored in each band of 10 points, before and after."""
    if not any(v is not None for v in [*pre, *post]):
        return None
    pre_bands, post_bands = gain.score_bands(pre), gain.score_bands(post)
    labels = [f"{10 * i}–{10 * i + 9}" if i < 9 else "90–100" for i in range(10)]
    parts = ", ".join(f"{label}: {a} / {b}" for label, a, b in
                      zip(labels, pre_bands, post_bands, strict=True) if a or b)
    desc = _("Number of learners by score band, pre-test (outlined columns) and post-test "
             "(filled columns): %(parts)s.", parts=parts)
    return charts.column_chart(labels, [(_("Pre-test"), pre_bands),
                                        (_("Post-test"), post_bands)],
                               _("Scores before and after, by band of 10 points"), desc,
                               styles=[(charts.PALETTE[1], "outline"),
                                       (charts.PALETTE[0], "solid")], id_prefix=id_prefix)


def g_histogram(values: list[float | None], id_prefix: str = "gain-bands", *,
                width: int = 640, height: int = 220) -> str | None:
    """How many learners fall in each of Hake's bands of normalised gain."""
    counts = gain.g_histogram(values)
    if not sum(counts.values()):
        return None
    labels = [str(forms.G_BAND_LABELS[name]) for name in counts]
    desc = _("Number of learners by normalised gain: %(parts)s.", parts=", ".join(
        f"{label}: {n}" for label, n in zip(labels, counts.values(), strict=True)))
    return charts.column_chart(labels, [(_("Learners"), list(counts.values()))],
                               _("Normalised gain g of the learners"), desc,
                               id_prefix=id_prefix, width=width, height=height)
