"""Plain-language readings of an index's diagnostics (KMO, Bartlett) for the run page.

KMO on Kaiser's (1974) scale: 0.9 and above marvellous, 0.8 meritorious, 0.7 middling, 0.6
mediocre, 0.5 miserable, below 0.5 unacceptable; said here as how well suited the indicators
are to a principal-component analysis. Bartlett's test of sphericity: a small p says the
indicators are correlated, which a PCA needs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from analytics.methods.journal import format_significant

__all__ = ["index_diagnostics", "kmo_reading", "bartlett_reading"]


def kmo_reading(kmo: float) -> str:
    if kmo >= 0.9:
        return _("very well suited to a principal-component analysis")
    if kmo >= 0.8:
        return _("well suited to a principal-component analysis")
    if kmo >= 0.7:
        return _("suited to a principal-component analysis")
    if kmo >= 0.6:
        return _("acceptable for a principal-component analysis; read the weights with care")
    if kmo >= 0.5:
        return _("barely acceptable: the indicators share little; read the weights with care")
    return _("not suited to a principal-component analysis: the indicators share too little")


def bartlett_reading(p: float, level: float = 0.05) -> str:
    if p < level:
        return _("the indicators are correlated (sphericity rejected): a PCA is meaningful")
    return _("no evidence that the indicators are correlated: a PCA adds little")


def index_diagnostics(summary: dict) -> list[dict]:
    """Rows of {"name", "value", "reading"} for a PCA index run; [] when there are none."""
    rows = []
    kmo = summary.get("kmo")
    if isinstance(kmo, int | float):
        rows.append({"name": _("KMO measure of sampling adequacy"),
                     "value": format_significant(kmo, 2),
                     "reading": kmo_reading(kmo)})
    bart = summary.get("bartlett") or {}
    if isinstance(bart.get("p"), int | float):
        rows.append({"name": _("Bartlett's test of sphericity"),
                     "value": _("χ² = %(chi2)s, df = %(df)s, p %(p)s") % {
                         "chi2": format_significant(bart.get("chi2")), "df": bart.get("df"),
                         "p": "< 0.001" if bart["p"] < 0.001
                         else "= " + format_significant(bart["p"], 3)},
                     "reading": bartlett_reading(bart["p"])})
    retained = summary.get("n_retained")
    if summary.get("method") == "pca" and retained:
        share = (summary.get("cumulative") or [None] * retained)[retained - 1]
        rows.append({"name": _("Components retained"), "value": str(retained),
                     "reading": _("together they explain %(share)s of the variance")
                     % {"share": f"{100 * share:.1f}%"} if share is not None else ""})
    return rows
