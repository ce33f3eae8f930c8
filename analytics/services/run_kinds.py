"""Each analysis kind on a run's panel: its model columns, its summary and how to reproduce it.

An adapter between a run's stored parameters and the engine (``analytics.methods``): every
regression column goes through ``commands.fit_json`` (the ``manage.py analytics fit --json``
contract, a superset of ``Estimation.to_dict()``), so ``models`` and the CLI line printed
beside them give the same numbers. No ORM here: the caller loads the panel and stores the run.

``execute_kind`` returns a ``KindOutput``: ``results`` and ``frames``, the data files the
reproduce lines read (``data.csv``; heterogeneity adds ``data_<group>_<i>.csv`` per level).

``results`` (JSON-ready), the same keys for every kind:
- ``kind``; ``models``: {"(1)": fit_json dict, ...} in column order; ``tables``: {} (filled by
  the export hook); ``columns``: [{label, role, y, formula, iv, data, sample?}], ``role`` a
  language-neutral key (stepwise, model, first_stage, second_stage, path_c, path_a, path_b,
  all, group, baseline, alternative); ``reproduce``: {"cli": lines, "python": a script}.
- ``summary`` by kind: fit and iv, the ``fit --json`` contract of the last column (iv adds
  ``instrument``); mediate, the ``mediate --json`` contract; index, the ``index --json``
  contract (no models); heterogeneity, {group, levels, x, columns: {label: {term, coef, se,
  t, p, nobs}}, synthetic}; robustness, {x, alternative, columns (as heterogeneity),
  same_sign, both_significant_5pct, notes, synthetic}.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from analytics.methods import commands
from analytics.methods.formula import parse_formula, parse_instruments
from analytics.methods.jsonfloat import jsonable
from analytics.methods.panel import add_lag
from analytics.methods.pipeline import DIG_INDICATORS

ENTITY, TIME = "city", "year"
DATA_FILE = "data.csv"
# Table 5 adds the two economic controls in one step (column 4); others enter one at a time.
CONTROL_STEPS = (frozenset({"lnexpense", "lnper_gdp"}),)
REGION_ORDER = ("east", "central", "west")
MAX_GROUP_LEVELS = 20
ROBUSTNESS_NOTE = "index scales differ: compare sign and significance, not magnitude"

Progress = Callable[[int, str], None]


@dataclass
class Column:
    """One model column: ``y ~ exog (+ endog instrumented by instruments)`` on a sample."""

    label: str
    role: str  # language-neutral; the page translates it
    y: str
    exog: list[str]
    endog: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    data: str = DATA_FILE
    where: tuple[str, object] | None = None  # a subsample: rows where column == value

    @property
    def formula(self) -> str:
        return f"{self.y} ~ " + " + ".join([*self.endog, *self.exog])

    @property
    def iv(self) -> str | None:
        return f"{self.endog[0]} ~ " + " + ".join(self.instruments) if self.endog else None

    def describe(self) -> dict:
        out = {"label": self.label, "role": self.role, "y": self.y, "formula": self.formula,
               "iv": self.iv, "data": self.data}
        if self.where is not None:
            out["sample"] = {"column": self.where[0], "value": self.where[1]}
        return out


@dataclass
class KindOutput:
    results: dict
    frames: dict[str, pd.DataFrame]


@dataclass
class Convention:
    """Effects and standard errors as the run's parameters give them."""

    effects: list[str]
    se: str
    cluster: str | None
    small: bool = True

    @classmethod
    def of(cls, p: dict) -> Convention:
        eff = p["effects"]
        if isinstance(eff, str):
            eff = ["entity", "time"] if eff == "two-way" else eff.split()
        return cls(effects=list(eff), se=p["se"], cluster=p.get("cluster"),
                   small=bool(p.get("small", True)))

    def engine(self) -> tuple[str, list[str] | None]:
        """(se, cluster columns) for ``estimate``, exactly as ``fit_json`` maps them."""
        named = {"entity": ENTITY, "time": TIME}
        columns = None if self.cluster is None else (
            [] if self.cluster == "none" else [named.get(self.cluster, self.cluster)])
        if self.se != "stata":
            return self.se, None
        columns = [ENTITY] if columns is None else columns
        return ("cluster", columns) if columns else ("unadjusted", None)

    def cli(self) -> list[str]:
        args = ["--entity", ENTITY, "--time", TIME, "--effects", *self.effects, "--se", self.se]
        if self.cluster is not None:
            args += ["--cluster", self.cluster]
        return args if self.small else [*args, "--no-small"]


def _fit(frame: pd.DataFrame, col: Column, conv: Convention) -> dict:
    data = frame if col.where is None else frame[frame[col.where[0]] == col.where[1]]
    if data.empty:
        raise ValueError(f"{col.where[0]} = {col.where[1]!r} has no rows")
    return commands.fit_json(data, formula=col.formula, iv=col.iv, entity=ENTITY, time=TIME,
                             effects=conv.effects, cluster=conv.cluster, se=conv.se,
                             small=conv.small)


def _fit_columns(frame, columns: list[Column], conv: Convention, progress: Progress,
                 start: int = 30, end: int = 90) -> dict[str, dict]:
    models = {}
    for i, col in enumerate(columns):
        models[col.label] = _fit(frame, col, conv)
        progress(start + (end - start) * (i + 1) // len(columns), "fit")
    return models


def stepwise_controls(controls: Sequence[str]) -> list[list[str]]:
    """The control groups added column by column (Table 5: Ur, Stru, then both logs)."""
    steps: list[list[str]] = []
    for c in controls:
        group = next((g for g in CONTROL_STEPS if c in g), None)
        if steps and group is not None and steps[-1][-1] in group:
            steps[-1].append(c)
        else:
            steps.append([c])
    return steps


def _labels(n: int) -> list[str]:
    return [f"({i})" for i in range(1, n + 1)]


# ----------------------------------------------------------------------------- kinds


def _fit_kind(panel, p, conv, progress) -> tuple[list[Column], dict, dict]:
    if p.get("formula"):  # the older parameters: one model as a formula (and --iv)
        form = parse_formula(p["formula"], columns=panel.columns)
        endog, instruments = ([form.endog], list(form.instruments)) if form.endog else ([], [])
        exog = list(form.exog)
        if p.get("iv"):
            d, instruments = parse_instruments(p["iv"], columns=panel.columns)
            endog, exog = [d], [x for x in exog if x != d]
        columns = [Column("(1)", "model", form.dep, exog, endog, instruments)]
    elif p["stepwise"]:
        steps = [[p["x"]]] + stepwise_controls(p["controls"])
        acc: list[str] = []
        columns = []
        for label, step in zip(_labels(len(steps)), steps, strict=True):
            acc = [*acc, *step]
            columns.append(Column(label, "stepwise", p["y"], acc))
    else:
        columns = [Column("(1)", "model", p["y"], [p["x"], *p["controls"]])]
    models = _fit_columns(panel, columns, conv, progress)
    return columns, models, models[columns[-1].label]


def _iv_frame(panel: pd.DataFrame, p: dict) -> tuple[pd.DataFrame, str]:
    instrument = p["instrument"]
    if instrument is None:  # the endogenous regressor, lagged ``lag`` calendar years
        instrument = f"{p['endog']}_lag{p['lag']}"
        panel = add_lag(panel, p["endog"], entity=ENTITY, time=TIME, k=int(p["lag"]))
    frame = panel.dropna(subset=[instrument]).reset_index(drop=True)
    if frame.empty:
        raise ValueError(f"no rows have the instrument {instrument}")
    frame.attrs = dict(panel.attrs)
    return frame, instrument


def _iv_kind(frame, p, conv, progress, instrument: str):
    controls = list(p["controls"])
    columns = [Column("(1)", "first_stage", p["endog"], [instrument, *controls]),
               Column("(2)", "second_stage", p["y"], controls, [p["endog"]], [instrument])]
    models = _fit_columns(frame, columns, conv, progress)
    summary = dict(models["(2)"], instrument=instrument)
    return columns, models, summary


def _group_levels(panel: pd.DataFrame, group: str, order) -> list:
    values = list(panel[group].dropna().unique())
    if order is not None:
        missing = [v for v in order if v not in values]
        if missing:
            raise ValueError(f"order: {group} has no rows with {missing[0]!r}")
        return list(order)
    if group == "region" and set(values) <= set(REGION_ORDER):
        return [r for r in REGION_ORDER if r in values]
    if len(values) > MAX_GROUP_LEVELS:
        raise ValueError(f"group {group} has {len(values)} different values; at most "
                         f"{MAX_GROUP_LEVELS} (choose a column with fewer, or give order)")
    return sorted(values, key=str)


def _headline(models: dict, columns: list[Column], term_of) -> dict:
    """Coefficient, SE, t, p and N of each column's main regressor."""
    out = {}
    for col in columns:
        m, term = models[col.label], term_of(col)
        out[col.label] = {"term": term, "coef": m["params"].get(term),
                          "se": m["std_errors"].get(term), "t": m["tstats"].get(term),
                          "p": m["pvalues"].get(term), "nobs": m["nobs"]}
    return out


def _heterogeneity_kind(panel, p, conv, progress):
    group, x = p["group"], p["x"]
    levels = _group_levels(panel, group, p["order"])
    exog = [x, *p["controls"]]
    columns = [Column("(1)", "all", p["y"], exog)] + [
        Column(label, "group", p["y"], exog, data=f"data_{group}_{i}.csv", where=(group, lv))
        for i, (label, lv) in enumerate(zip(_labels(len(levels) + 1)[1:], levels, strict=True),
                                        start=1)]
    models = _fit_columns(panel, columns, conv, progress)
    summary = {"group": group, "levels": levels, "x": x,
               "columns": _headline(models, columns, lambda c: x),
               "synthetic": models["(1)"]["synthetic"]}
    return columns, models, summary


def _robustness_kind(panel, p, conv, progress):
    x, alt = p["x"], p["alternative"]
    columns = [Column("(1)", "baseline", p["y"], [x, *p["controls"]]),
               Column("(2)", "alternative", p["y"], [alt, *p["controls"]])]
    models = _fit_columns(panel, columns, conv, progress)
    head = _headline(models, columns, lambda c: c.exog[0])
    coefs = [h["coef"] for h in head.values()]
    summary = {"x": x, "alternative": alt, "columns": head,
               "same_sign": None if None in coefs else (coefs[0] > 0) == (coefs[1] > 0),
               "both_significant_5pct": all((h["p"] is not None and h["p"] < 0.05)
                                            for h in head.values()),
               "notes": [ROBUSTNESS_NOTE], "synthetic": models["(1)"]["synthetic"]}
    return columns, models, summary


def _mediate_kind(panel, p, conv, progress):
    x, m, y, controls = p["x"], p["mediator"], p["y"], list(p["controls"])
    summary = commands.mediate_json(
        panel, y=y, x=x, mediator=m, controls=controls, entity=ENTITY, time=TIME,
        effects=conv.effects, cluster=conv.cluster, se=conv.se, bootstrap=int(p["bootstrap"]),
        seed=int(p["seed"]),
        progress=lambda d, n: progress(30 + int(55 * d / max(n, 1)), "bootstrap"))
    columns = [Column("(1)", "path_c", y, [x, *controls]),
               Column("(2)", "path_a", m, [x, *controls]),
               Column("(3)", "path_b", y, [x, m, *controls])]
    models = _fit_columns(panel, columns, conv, progress, start=85, end=92)
    return columns, models, summary


def index_columns_default(panel: pd.DataFrame, p: dict) -> list[str] | None:
    """The paper's six digital indicators when the data has them; else the engine chooses."""
    if p["columns"]:
        return list(p["columns"])
    return list(DIG_INDICATORS) if set(DIG_INDICATORS) <= set(panel.columns) else None


def _index_kind(panel, p, progress):
    cols = index_columns_default(panel, p)
    progress(50, "fit")
    summary = commands.index_json(panel, method=p["method"], columns=cols,
                                  negative=p["negative"] or [], normalise=p["normalise"],
                                  exclude=[] if cols else [TIME])
    args = ["index", "--csv", DATA_FILE, "--method", p["method"], "--normalise", p["normalise"]]
    args += ["--columns", ",".join(cols)] if cols else ["--exclude", TIME]
    if p["negative"]:
        args += ["--negative", ",".join(p["negative"])]
    python = "\n".join([
        "import pandas as pd",
        "from analytics.methods.commands import index_json",
        "",
        f"df = pd.read_csv({DATA_FILE!r})",
        f"out = index_json(df, method={p['method']!r}, columns={cols!r}, "
        f"negative={list(p['negative'] or [])!r}, normalise={p['normalise']!r}, "
        f"exclude={[] if cols else [TIME]!r})",
        "print(out['weights'])", ""])
    return summary, _cli([args]), python


# ----------------------------------------------------------------------------- reproduce


def _cli(commands_args: list[list[str]]) -> str:
    return "\n".join(shlex.join(["python", "manage.py", "analytics", *a, "--json"])
                     for a in commands_args)


def _fit_args(col: Column, conv: Convention) -> list[str]:
    args = ["fit", "--csv", col.data, "--formula", col.formula]
    return (args + ["--iv", col.iv] if col.iv else args) + conv.cli()


def _python(columns: list[Column], conv: Convention, head: list[str] = ()) -> str:
    se, cluster = conv.engine()
    lines = ["import pandas as pd", "from analytics.methods.estimation import estimate", *head,
             "", f"df = pd.read_csv({DATA_FILE!r})", "models = {"]
    for col in columns:
        data = "df" if col.where is None else f"df[df[{col.where[0]!r}] == {col.where[1]!r}]"
        lines.append(
            f"    {col.label!r}: estimate({data}, y={col.y!r}, exog={col.exog!r}, "
            f"endog={col.endog!r}, instruments={col.instruments!r}, entity={ENTITY!r}, "
            f"time={TIME!r}, effects={' '.join(conv.effects)!r}, se={se!r}, "
            f"cluster={cluster!r}, small={conv.small!r}),")
    lines += ["}", "for label, est in models.items():", "    print(label, est.params)", ""]
    return "\n".join(lines)


def _mediate_reproduce(p: dict, conv: Convention) -> tuple[list[str], list[str]]:
    args = ["mediate", "--csv", DATA_FILE, *conv.cli(), "--y", p["y"], "--x", p["x"],
            "--mediator", p["mediator"], "--bootstrap", str(p["bootstrap"]),
            "--seed", str(p["seed"])]
    if "--no-small" in args:
        args.remove("--no-small")
    if p["controls"]:
        args += ["--controls", ",".join(p["controls"])]
    python = ["from analytics.methods.commands import mediate_json", "",
              f"summary = mediate_json(pd.read_csv({DATA_FILE!r}), y={p['y']!r}, x={p['x']!r}, "
              f"mediator={p['mediator']!r}, controls={list(p['controls'])!r}, "
              f"entity={ENTITY!r}, time={TIME!r}, effects={conv.effects!r}, "
              f"cluster={conv.cluster!r}, se={conv.se!r}, bootstrap={int(p['bootstrap'])!r}, "
              f"seed={int(p['seed'])!r})",
              "print(summary['indirect'], summary.get('bootstrap'))"]
    return args, python


# ----------------------------------------------------------------------------- entry point


def execute_kind(kind: str, panel: pd.DataFrame, p: dict, progress: Progress,
                 platform_years: dict[str, int] | None = None) -> KindOutput:
    """Run ``kind`` (any but the replication) on ``panel`` with the parameters ``p``.
    ``platform_years``: the platform's first pairing year per city (the DiD's timing)."""
    if kind == "did":
        from .run_did import did_kind  # noqa: PLC0415  (run_did imports KindOutput from here)

        return did_kind(panel, p, progress, platform_years)
    frames = {DATA_FILE: panel}
    if kind == "index":
        summary, cli, python = _index_kind(panel, p, progress)
        results = {"kind": kind, "models": {}, "tables": {}, "summary": summary,
                   "columns": [], "reproduce": {"cli": cli, "python": python}}
        return KindOutput(results=jsonable(results), frames=frames)
    conv = Convention.of(p)
    extra_cli: list[list[str]] = []
    extra_python: list[str] = []
    if kind == "fit":
        columns, models, summary = _fit_kind(panel, p, conv, progress)
    elif kind == "iv":
        frame, instrument = _iv_frame(panel, p)
        frames = {DATA_FILE: frame}
        columns, models, summary = _iv_kind(frame, p, conv, progress, instrument)
    elif kind == "mediate":
        columns, models, summary = _mediate_kind(panel, p, conv, progress)
        med_args, extra_python = _mediate_reproduce(p, conv)
        extra_cli = [med_args]
    elif kind == "heterogeneity":
        columns, models, summary = _heterogeneity_kind(panel, p, conv, progress)
        for col in columns[1:]:
            frames[col.data] = panel[panel[col.where[0]] == col.where[1]]
    elif kind == "robustness":
        columns, models, summary = _robustness_kind(panel, p, conv, progress)
    else:
        raise ValueError(f"unknown analysis kind {kind!r}")
    cli = _cli([*extra_cli, *(_fit_args(c, conv) for c in columns)])
    results = {"kind": kind, "models": models, "tables": {}, "summary": summary,
               "columns": [c.describe() for c in columns],
               "reproduce": {"cli": cli, "python": _python(columns, conv, extra_python)}}
    return KindOutput(results=jsonable(results), frames=frames)
