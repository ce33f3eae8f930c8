"""The ``did`` run kind: staggered difference-in-differences of pairings on a city-year panel.

An adapter between a run's parameters and the engine (``analytics.methods.did.did_json``, the
``manage.py analytics did --json`` contract). No ORM here: the caller passes the platform's
first pairing year per city (``synergy.core.selectors.pairing_first_year_by_city``) when the
treatment comes from the platform.

Treatment timing (``treatment`` parameter):
- a column of the dataset holding each city's first treated year (0 = never, R did's
  convention), e.g. the synthetic panel's ``pair_year``;
- ``"platform"``: the first year one of the city's communities began a pairing, from the
  platform's own records, joined to the panel by city name;
- ``None`` (the default): ``pair_year`` when the dataset has it, else the platform.

Timings outside the panel follow R did: a first year after the panel's last year counts as
never treated; a city treated from the panel's first year on (or before) has no pre-period
and is left out. Both are counted in ``summary["treatment"]`` and said in the notes.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping

import pandas as pd

from analytics.methods.did_report import did_tables, findings
from analytics.methods.jsonfloat import jsonable

ENTITY, TIME = "city", "year"
DATA_FILE = "data.csv"
ATT_GT_FILE = "att_gt.csv"
DEFAULT_COLUMN = "pair_year"
PLATFORM = "platform"
PLATFORM_COLUMN = "first_pairing_year"

Progress = Callable[[int, str], None]


def treatment_source(panel: pd.DataFrame, p: Mapping) -> str:
    """The column holding the timing, or ``"platform"``."""
    chosen = p.get("treatment")
    if chosen is None:
        return DEFAULT_COLUMN if DEFAULT_COLUMN in panel.columns else PLATFORM
    return chosen


def treatment_frame(panel: pd.DataFrame, p: Mapping,
                    platform_years: Mapping[str, int] | None) -> tuple[pd.DataFrame, str, dict]:
    """The rows the estimator reads (city, year, y, covariates and the timing column), the
    timing column's name, and what was done to the timings (counts and notes)."""
    source = treatment_source(panel, p)
    y, covariates = p["y"], list(p.get("covariates") or [])
    keep = list(dict.fromkeys([ENTITY, TIME, y, *covariates]))
    frame = panel[keep].copy()
    first_year, last_year = int(frame[TIME].min()), int(frame[TIME].max())
    if source == PLATFORM:
        column = PLATFORM_COLUMN
        years = dict(platform_years or {})
        frame[column] = frame[ENTITY].map(years).fillna(0).astype(int)
        paired = int(frame.loc[frame[column] > 0, ENTITY].nunique())
    else:
        column = source
        timing = pd.to_numeric(panel[column], errors="coerce")
        if timing.isna().any():
            row = int(timing.index[timing.isna()][0]) + 2
            raise ValueError(f"{column}: row {row} is not a year (use 0 for never treated)")
        frame[column] = timing.round().astype(int).to_numpy()
        varying = frame.groupby(ENTITY)[column].nunique()
        if (varying > 1).any():
            raise ValueError(f"{column} changes within city {varying[varying > 1].index[0]}: "
                             "give each city one first treated year")
        paired = int(frame.loc[frame[column] > 0, ENTITY].nunique())
    per_city = frame.groupby(ENTITY)[column].first()
    later = per_city[per_city > last_year].index
    always = per_city[(per_city > 0) & (per_city <= first_year)].index
    frame.loc[frame[ENTITY].isin(later), column] = 0
    frame = frame[~frame[ENTITY].isin(always)].reset_index(drop=True)
    info = {"source": source, "column": column, "paired_cities": paired,
            "treated_after_panel": len(later), "treated_throughout": len(always),
            "cities": int(frame[ENTITY].nunique()),
            "never_treated": int((frame.groupby(ENTITY)[column].first() == 0).sum()),
            "years": [first_year, last_year]}
    return frame, column, info


def _cli(p: Mapping, column: str) -> str:
    args = ["python", "manage.py", "analytics", "did", "--csv", DATA_FILE, "--y", p["y"],
            "--entity", ENTITY, "--time", TIME, "--group", column, "--control", p["control"],
            "--method", p["method"], "--bootstrap", str(p["bootstrap"]),
            "--seed", str(p["seed"])]
    if p.get("covariates"):
        args += ["--covariates", ",".join(p["covariates"])]
    if p.get("anticipation"):
        args += ["--anticipation", str(p["anticipation"])]
    return shlex.join([*args, "--json"])


def _python(p: Mapping, column: str) -> str:
    return "\n".join([
        "import pandas as pd",
        "from analytics.methods.did import did_json",
        "",
        f"df = pd.read_csv({DATA_FILE!r})",
        f"out = did_json(df, y={p['y']!r}, entity={ENTITY!r}, time={TIME!r}, group={column!r}, "
        f"control={p['control']!r}, method={p['method']!r}, "
        f"covariates={list(p.get('covariates') or [])!r}, bootstrap={int(p['bootstrap'])!r}, "
        f"seed={int(p['seed'])!r}, anticipation={int(p.get('anticipation') or 0)!r})",
        "print(out['aggregates']['simple'])",
        "for e in out['aggregates']['dynamic']['by_event']:",
        "    print(e['event'], e['att'], e['lower'], e['upper'])", ""])


def did_kind(panel: pd.DataFrame, p: Mapping, progress: Progress,
             platform_years: Mapping[str, int] | None = None):
    """Run the DiD of ``p`` on ``panel``; the ``KindOutput`` of run_kinds."""
    # Lazy: the estimator's imports (scipy) load in the worker, not at process start.
    from analytics.methods.did import did_json  # noqa: PLC0415

    from .run_kinds import KindOutput  # noqa: PLC0415  (run_kinds dispatches to this module)

    frame, column, info = treatment_frame(panel, p, platform_years)
    progress(40, "fit")
    out = did_json(frame, y=p["y"], entity=ENTITY, time=TIME, group=column,
                   control=p["control"], method=p["method"],
                   covariates=list(p.get("covariates") or []), bootstrap=int(p["bootstrap"]),
                   seed=int(p["seed"]), anticipation=int(p.get("anticipation") or 0))
    progress(85, "tables")
    notes = list(out.get("notes") or [])
    if info["treated_after_panel"]:
        notes.append(f"{info['treated_after_panel']} cities first treated after "
                     f"{info['years'][1]} count as never treated")
    if info["treated_throughout"]:
        notes.append(f"{info['treated_throughout']} cities treated from {info['years'][0]} or "
                     "earlier have no pre-period and are left out")
    summary = {**out, "notes": notes, "y": p["y"], "treatment": info}
    summary["findings"] = findings(summary)
    results = {"kind": "did", "models": {}, "tables": {}, "summary": summary,
               "columns": [], "reproduce": {"cli": _cli(p, column), "python": _python(p, column)}}
    att_gt = pd.DataFrame(out.get("att_gt") or [])
    return KindOutput(results=jsonable(results),
                      frames={DATA_FILE: frame, ATT_GT_FILE: att_gt})


__all__ = ["did_kind", "did_tables", "treatment_frame", "treatment_source"]
