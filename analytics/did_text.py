"""The plain-language summary of a DiD run, in the reader's language (issue 18.3).

``analytics.methods.did_report.findings`` gives the facts (numbers and flags); this writes
them as sentences: the effect within three years with its band, the pre-trends, and how far
the two-way FE estimate is from it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from analytics.methods.journal import format_significant


def _n(x) -> str:
    return format_significant(x, 3)


def did_sentences(summary: dict, names: dict[str, str]) -> list[str]:
    f = summary.get("findings") or {}
    y = names.get(f.get("y") or "Dist", f.get("y") or "Dist")
    out = []
    if f.get("event") is not None:
        values = {"y": y, "years": f["years"], "att": _n(f["att"]), "lower": _n(f["lower"]),
                  "upper": _n(f["upper"])}
        if f.get("direction") == "fall":
            out.append(_("Pairing is followed by a fall in %(y)s of %(att)s within %(years)s "
                         "years (95%% uniform band %(lower)s to %(upper)s).") % values)
        elif f.get("direction") == "rise":
            out.append(_("Pairing is followed by a rise in %(y)s of %(att)s within %(years)s "
                         "years (95%% uniform band %(lower)s to %(upper)s).") % values)
        else:
            out.append(_("Within %(years)s years of pairing, %(y)s changes by %(att)s, which "
                         "cannot be told apart from no change (95%% uniform band %(lower)s to "
                         "%(upper)s).") % values)
    if f.get("pre_periods"):
        if f.get("pre_trend_events"):
            out.append(_("Pre-trends: before pairing, the estimates for years %(events)s "
                         "differ from zero, so the parallel-trends assumption is in doubt.")
                       % {"events": ", ".join(str(e) for e in f["pre_trend_events"])})
        else:
            out.append(_("Pre-trends: none of the %(n)s estimates before pairing differs from "
                         "zero.") % {"n": f["pre_periods"]})
    if f.get("twfe_att") is not None and f.get("simple_att") is not None:
        values = {"twfe": _n(f["twfe_att"]), "cs": _n(f["simple_att"])}
        if f.get("twfe_same_sign", True):
            out.append(_("Two-way FE gives %(twfe)s against %(cs)s averaged over every paired "
                         "city-year.") % values)
        else:
            out.append(_("Two-way FE gives %(twfe)s, the opposite sign of %(cs)s averaged over "
                         "every paired city-year: the naive estimate is misleading here.")
                       % values)
    if f.get("forbidden_weight"):
        out.append(_("%(share)s of the two-way FE weight comes from comparing later-paired "
                     "cities with already-paired ones (forbidden comparisons).")
                   % {"share": f"{100 * f['forbidden_weight']:.0f}%"})
    return out


def treatment_sentence(summary: dict) -> str:
    t = summary.get("treatment") or {}
    if not t:
        return ""
    values = {"column": t.get("column"), "cities": t.get("cities"),
              "never": t.get("never_treated"), "paired": t.get("paired_cities"),
              "first": (t.get("years") or ["", ""])[0], "last": (t.get("years") or ["", ""])[1]}
    if t.get("source") == "platform":
        text = _("Timing from the platform's pairing records: a city is paired from the year "
                 "its first community-village pairing began. %(paired)s cities paired; "
                 "%(cities)s cities in the panel (%(first)s–%(last)s), %(never)s never paired "
                 "within it.") % values
    else:
        text = _("Timing from the dataset's column %(column)s (first pairing year, 0 = never): "
                 "%(cities)s cities in the panel (%(first)s–%(last)s), %(never)s never "
                 "paired.") % values
    extra = []
    if t.get("treated_after_panel"):
        extra.append(_("%(n)s cities paired after %(last)s count as never paired.")
                     % {"n": t["treated_after_panel"], "last": values["last"]})
    if t.get("treated_throughout"):
        extra.append(_("%(n)s cities paired by %(first)s have no year before pairing and are "
                       "left out.") % {"n": t["treated_throughout"], "first": values["first"]})
    return " ".join([text, *extra])
