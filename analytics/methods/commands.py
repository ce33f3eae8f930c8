"""JSON-shaped entry points shared by the command line and the background runs.

Each function takes a DataFrame and plain options and returns a JSON-ready dict (the exact
``--json`` contract of ``manage.py analytics``). Bad input raises ``ValueError`` with a
one-line reason.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from .data_io import DEFAULT_LIMITS, ImportLimits, LimitExceeded, read_frame
from .did import did_json
from .estimation import estimate, normalise_effects
from .estimation.wild import wild_bootstrap_fit
from .formula import (
    check_columns,
    parse_formula,
    parse_instruments,
    validate_name,
    validate_names,
)
from .index_columns import indicator_columns
from .indices import bartlett, entropy_index, kmo, pca_index
from .jsonfloat import jsonable
from .mediation import mediate
from .missing import check_values, coerce_time, missing_report, normalise_missing

__all__ = ["did_json", "fit_json", "index_json", "mediate_json", "read_table"]

SYNTHETIC_NOTE = "SYNTHETIC DATA: not real statistics"


def read_table(path: str, *, limits: ImportLimits = DEFAULT_LIMITS) -> pd.DataFrame:
    """CSV or XLSX into a DataFrame within ``limits``; every header must be a column name.
    Missing cells ('', 'NA', 'n/a', '.', '-') are NaN and a column of numbers with such gaps
    is numeric. An unreadable or refused file is a ValueError with the reason."""
    try:
        df = read_frame(path, dtype=None, limits=limits)
    except FileNotFoundError:
        raise ValueError(f"file not found: {path}") from None
    except LimitExceeded as exc:
        raise ValueError(f"{path} refused: {exc}") from None
    except Exception as exc:  # parser errors of every kind become one line
        raise ValueError(f"cannot read {path}: {str(exc).splitlines()[0]}") from None
    _check_header(df, path)
    for c in df.columns:
        validate_name(str(c), what=f"{path}: column")
    return normalise_missing(df)


def _check_header(df: pd.DataFrame, path: str) -> None:
    """pandas renames an empty header 'Unnamed: 3' and a repeated one 'x.1': say what it was."""
    names = [str(c) for c in df.columns]
    for pos, name in enumerate(names, start=1):
        if re.fullmatch(r"Unnamed: \d+", name):
            raise ValueError(f"{path}: the header of column {pos} is empty (row 1 is the header)")
        repeated = re.fullmatch(r"(.+)\.\d+", name)
        if repeated and repeated[1] in names:
            raise ValueError(f"{path}: column {repeated[1]} appears more than once in the header")


def _synthetic(df: pd.DataFrame) -> bool:
    if df.attrs.get("synthetic"):
        return True
    return "synthetic" in df.columns and bool(df["synthetic"].astype(bool).any())


def _label(out: dict, df: pd.DataFrame) -> dict:
    out["synthetic"] = _synthetic(df)
    if out["synthetic"]:
        out["note"] = SYNTHETIC_NOTE
    return jsonable(out)


def _effects(effects: str | Sequence[str] | None) -> str:
    """--effects in the engine's grammar, named as the older JSON names it ("two-way")."""
    if effects is None:
        return "two-way"
    tokens = [effects] if isinstance(effects, str) else list(dict.fromkeys(effects))
    try:
        eff = normalise_effects(tokens)
    except ValueError:
        raise ValueError("--effects must be 'entity time', 'entity', 'time' or 'none', not "
                         f"{effects}") from None
    return "two-way" if eff == "entity time" else eff


SE_CHOICES = ("stata", "unadjusted", "robust", "cluster", "driscoll-kraay")


def _cluster_columns(cluster: str | Sequence[str] | None, entity: str | None,
                     time: str | None) -> list[str] | None:
    """--cluster none | entity | time | COLUMN | COLUMN,COLUMN -> column names (None: default)."""
    if cluster is None:
        return None
    tokens = [c.strip() for c in (cluster.split(",") if isinstance(cluster, str) else cluster)
              if c.strip()]
    if tokens == ["none"]:
        return []
    named = {"entity": entity, "time": time}
    out = []
    for tok in tokens:
        if tok in named:
            if not named[tok]:
                raise ValueError(f"--cluster {tok} needs --{tok}")
            out.append(named[tok])
        else:
            out.append(validate_name(tok, what="--cluster column"))
    if len(out) > 2:
        raise ValueError("--cluster takes one or two columns")
    return out


def fit_json(df: pd.DataFrame, *, formula: str, entity: str | None = None,
             time: str | None = None, effects: str | Sequence[str] | None = None,
             cluster: str | Sequence[str] | None = None, se: str = "stata",
             iv: str | None = None, small: bool = True, convention: str = "reghdfe",
             bandwidth: int | None = None, wild_bootstrap: int = 0,
             weights: str = "rademacher", seed: int = 12345) -> dict:
    """OLS or, with ``iv='endog ~ z1 + z2'``, 2SLS, on a panel or a cross-section.

    ``se='stata'`` (the default) is CRV1 by ``cluster`` (default the entity) with Stata's
    small-sample factors, or iid when there is nothing to cluster on (a cross-section).
    """
    if se not in SE_CHOICES:
        raise ValueError(f"--se must be one of {', '.join(SE_CHOICES)}, not {se!r}")
    eff = _effects(effects)  # default: entity and time (a cross-section says --effects none)
    engine_effects = {"two-way": "entity time"}.get(eff, eff)
    columns = _cluster_columns(cluster, entity, time)
    if se == "stata":
        if columns is None:
            columns = [entity] if entity else []
        kind = "cluster" if columns else "unadjusted"
    elif se == "cluster":
        kind = "cluster"
        if columns is None:
            columns = [entity] if entity else []
        if not columns:
            raise ValueError("--se cluster needs --cluster COLUMN (or --entity)")
    else:
        kind = se
        if columns:
            raise ValueError(f"--se {se} is not clustered: use --cluster none")
        columns = []
    form = parse_formula(formula, columns=df.columns)
    endog: list[str] = []
    instruments: list[str] = []
    exog = list(form.exog)
    if form.endog:
        endog, instruments = [form.endog], list(form.instruments)
    if iv:
        if form.endog:
            raise ValueError("give the instrument with --iv or in brackets, not both")
        d, instruments = parse_instruments(iv, columns=df.columns)
        endog = [d]
        exog = [x for x in exog if x != d]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = estimate(df, y=form.dep, exog=exog, endog=endog, instruments=instruments,
                       entity=entity, time=time, effects=engine_effects, se=kind,
                       cluster=columns or None, small=small, convention=convention,
                       bandwidth=bandwidth)
    out = est.to_dict()
    if wild_bootstrap:
        if wild_bootstrap < 99:
            raise ValueError("--wild-bootstrap needs at least 99 draws")
        out["wild_bootstrap"] = wild_bootstrap_fit(est, reps=wild_bootstrap, weights=weights,
                                                   seed=seed)
    # The names earlier scripts read, kept beside the new ones.
    counts = list(est.nclusters.values())
    out["n_clusters"] = counts[0] if len(counts) == 1 else None
    out["r2_within"] = est.r2.get("within")
    out["df_pvalues"] = est.df_resid
    out["effects"] = eff
    if est.first_stage is not None:
        fs = out["first_stage"]
        fs["f_statistic_name"] = est.first_stage["kp_name"]
        fs["partial_r2"] = fs.get("partial_r2")
    return _label(out, df)


def index_json(df: pd.DataFrame, *, method: str = "entropy", columns: Sequence[str] | None = None,
               negative: Sequence[str] = (), normalise: str = "minmax",
               exclude: Sequence[str] = ()) -> dict:
    """Entropy or PCA weights of ``columns``. Without ``columns``: every numeric column bar
    ``exclude`` and those that look like ids or years (``excluded``, the reasons in ``notes``).
    Rows with a gap in an indicator are dropped and counted (``rows_dropped_missing``)."""
    validate_names([*(columns or ()), *negative, *exclude])
    notes: list[str] = []
    excluded: list[str] = []
    if columns:
        unknown = [c for c in columns if c not in df.columns]
        if unknown:
            raise ValueError(f"column(s) not in data: {', '.join(unknown)}")
        both = [c for c in columns if c in exclude]
        if both:
            raise ValueError(f"column(s) both in --columns and --exclude: {', '.join(both)}")
        cols = list(columns)
    else:
        choice = indicator_columns(df, exclude=exclude)
        cols, excluded = choice.columns, choice.excluded
        notes += choice.notes
    if len(cols) < 2:
        left_out = f" ({'; '.join(notes)})" if notes else ""
        raise ValueError(f"an index needs at least two numeric columns{left_out}; "
                         f"name them with --columns")
    unknown_negative = [c for c in negative if c not in cols]
    if unknown_negative:
        raise ValueError(f"--negative column(s) not among the indicators: "
                         f"{', '.join(unknown_negative)}")
    check_values(df, cols)
    data, gap_note, dropped = missing_report(df[cols], cols)
    if gap_note:
        notes.append(gap_note)
    if normalise not in ("minmax", "none"):
        raise ValueError(f"--normalise must be minmax or none, not {normalise!r}")
    if method == "entropy":
        res = entropy_index(data, negative=list(negative), normalise=normalise)
        out = {"method": "entropy", "normalise": normalise,
               "weights": {k: float(v) for k, v in res.weights.items()},
               "entropy": {k: float(v) for k, v in res.entropy.items()}}
    elif method == "pca":
        if normalise != "minmax":
            raise ValueError("PCA standardises with min-max; --normalise none is for entropy")
        res = pca_index(data, negative=list(negative))
        k = kmo(data)
        b = bartlett(data)
        et = res.eigen_table
        out = {"method": "pca", "matrix": res.matrix, "n_retained": res.n_retained,
               "weights": {c: float(v) for c, v in res.weights.items()},
               "eigenvalues": [float(v) for v in et["eigenvalue"]],
               "explained": [float(v) for v in et["share"]],
               "cumulative": [float(v) for v in et["cumulative"]],
               "kmo": float(k.overall),
               "kmo_per_variable": {c: float(v) for c, v in k.per_variable.items()},
               "bartlett": {"chi2": b.chi2, "df": b.df, "p": b.pvalue}}
    else:
        raise ValueError(f"--method must be entropy or pca, not {method!r}")
    out["columns"] = cols
    out["excluded"] = excluded
    out["negative"] = list(negative)
    out["nobs"] = int(len(data))
    out["rows_dropped_missing"] = int(dropped)
    out["notes"] = notes
    return _label(out, df)


def mediate_json(df: pd.DataFrame, *, y: str, x: str, mediator: str,
                 controls: Sequence[str] = (), entity: str | None = None,
                 time: str | None = None, effects: str | Sequence[str] | None = None,
                 cluster: str | None = "entity", se: str = "stata", bootstrap: int = 0,
                 seed: int = 12345,
                 progress: Callable[[int, int], None] | None = None) -> dict:
    eff = _effects(effects)
    if cluster in ("none", None) or se in ("unadjusted", "robust") or (
            eff == "none" and not entity):
        cluster = None
    if se not in ("stata", "unadjusted", "robust"):
        raise ValueError(f"--se must be stata, unadjusted or robust, not {se!r}")
    if (eff in ("two-way", "entity") or cluster) and not entity:
        raise ValueError("these effects or clusters need --entity")
    if eff in ("two-way", "time") and not time:
        raise ValueError("time effects need --time")
    if bootstrap and (not entity or not time):
        raise ValueError("the cluster bootstrap resamples entities: give --entity and --time")
    if bootstrap < 0:
        raise ValueError("--bootstrap must be a positive number of draws")
    names = validate_names([y, x, mediator, *controls, *(n for n in (entity, time) if n)])
    check_columns(names, df.columns)
    variables = list(dict.fromkeys([y, x, mediator, *controls]))
    check_values(df, variables)
    # Before dropping gaps, so an error names the row of the file: '2011' as text is 2011.
    data = coerce_time(df, time) if time else df
    data, gap_note, dropped = missing_report(data, names)
    if not entity or not time:
        data = data.copy()
        if not entity:
            entity = "_row"
            data[entity] = np.arange(len(data))
        if not time:
            time = "_t"
            data[time] = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = mediate(data, x=x, m=mediator, y=y, controls=list(controls), entity=entity,
                      time=time, effects=eff, cluster=cluster, se=se,
                      bootstrap=int(bootstrap or 0), seed=seed, progress=progress)
    d = res.to_dict()
    out = {k: d[k] for k in ("a", "b", "c", "c_prime", "indirect", "se", "identity_gap")}
    for name in ("sobel", "aroian", "goodman"):
        out[name] = d["tests"][name]
    out["tstats"] = {"a": res.path_a.tstats[x], "b": res.path_b.tstats[mediator],
                     "c": res.path_c.tstats[x], "c_prime": res.path_b.tstats[x]}
    out["nobs"] = res.path_c.nobs
    out["se_convention"] = res.path_c.se_convention
    if res.bootstrap is not None:
        bt = res.bootstrap
        out["bootstrap"] = {"ci": [bt["ci_low"], bt["ci_high"]], "ci_level": bt["ci_level"],
                            "se": bt["se"], "reps": bt["reps"], "successful": bt["successful"],
                            "seed": bt["seed"], "method": bt["method"]}
    out["rows_dropped_missing"] = dropped
    out["notes"] = [gap_note] if gap_note else []
    return _label(out, df)
