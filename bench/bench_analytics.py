"""Analytics engine speed: the full replication, one two-way fit against linearmodels directly,
a two-way fit on a 5,000 x 20 panel and a staggered DiD run beside csdid. Pure computation (no server needed).

    python bench/bench_analytics.py          # standalone
    make bench                               # with the other benches
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from linearmodels import PanelOLS

from analytics.methods.panel import fit
from analytics.methods.pipeline import build_variables
from analytics.methods.replicate import replicate, write_outputs
from analytics.methods.synthetic import synthetic_panel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(fn, repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _big_panel(n: int = 5000, t: int = 20, seed: int = 1):
    rng = np.random.default_rng(seed)
    e = np.repeat(np.arange(n), t)
    y_ = np.tile(np.arange(2000, 2000 + t), n)
    x = rng.normal(size=(n * t, 3)) + rng.normal(size=(n, 1)).repeat(t, axis=0)
    y = x @ [0.5, -0.2, 0.1] + rng.normal(size=n).repeat(t) + rng.normal(size=n * t)
    return pd.DataFrame({"id": e, "year": y_, "y": y, "x1": x[:, 0], "x2": x[:, 1],
                         "x3": x[:, 2]})


def measure(bootstrap: int = 1999) -> list[dict]:
    warnings.simplefilter("ignore")
    rows = []
    raw = synthetic_panel().raw  # SYNTHETIC
    replicate(raw, bootstrap=20)  # warm imports and caches
    t_rep = _timed(lambda: replicate(raw, bootstrap=bootstrap))
    rows.append({"bench": f"analytics replicate 282x11, B={bootstrap}", "value": t_rep,
                 "note": f"seconds (goal < 20 s); synthetic panel{' OK' if t_rep < 20 else ''}"})
    with tempfile.TemporaryDirectory() as tmp:
        res = replicate(raw, bootstrap=bootstrap)
        t_w = _timed(lambda: write_outputs(res, tmp))
    rows.append({"bench": "analytics replicate: write tables+figures", "value": t_w,
                 "note": "seconds (CSV/HTML/TeX/XLSX x 8 tables, 3 PNG)"})

    panel = build_variables(raw).panel
    formula = "Dist ~ Dig + Ur + Stru + lnexpense + lnper_gdp"
    xs = ["Dig", "Ur", "Stru", "lnexpense", "lnper_gdp"]
    idx = panel.set_index(["city", "year"])

    def direct():
        PanelOLS(idx["Dist"], idx[xs], entity_effects=True, time_effects=True).fit(
            cov_type="clustered", cluster_entity=True)

    ours = _timed(lambda: fit(panel, formula), repeat=7)
    lm = _timed(direct, repeat=7)
    rows.append({"bench": "analytics two-way fit 282x11 (ours)", "value": ours * 1000,
                 "note": f"ms; {ours / lm:.2f}x of linearmodels direct ({lm * 1000:.0f} ms)"})
    rows.extend(versus_pyfixest())
    rows.extend(versus_csdid())
    return rows


def _panel_with_instrument(n: int, t: int, *, drop: float, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ent = np.repeat(np.arange(n), t)
    yr = np.tile(np.arange(2000, 2000 + t), n)
    x = rng.normal(size=(n * t, 3)) + rng.normal(size=(n, 1)).repeat(t, axis=0)
    z, v = rng.normal(size=(2, n * t))
    d = z + 0.3 * x[:, 0] + v
    y = x @ [0.5, -0.2, 0.1] + 0.7 * d + rng.normal(size=n).repeat(t) + 0.5 * v + rng.normal(
        size=n * t)
    df = pd.DataFrame({"id": ent, "year": yr, "y": y, "x1": x[:, 0], "x2": x[:, 1],
                       "x3": x[:, 2], "d": d, "z": z})
    return df.sample(frac=1 - drop, random_state=seed + 1).sort_index() if drop else df


def versus_pyfixest() -> list[dict]:
    """Every two-way fit and 2SLS, balanced and unbalanced (10% of rows dropped at random),
    at 282 x 11 and 5,000 x 20, beside pyfixest in the same run (goal: within 1.5x)."""
    import pyfixest as pf  # noqa: PLC0415 (a dev dependency, only for the bench)

    from analytics.methods.estimation import estimate  # noqa: PLC0415

    rows = []
    for n, t in ((282, 11), (5000, 20)):
        for drop, label in ((0.0, "balanced"), (0.1, "unbalanced")):
            df = _panel_with_instrument(n, t, drop=drop)
            cases = {
                "OLS": (lambda df=df: estimate(df, y="y", exog=["x1", "x2", "x3"], entity="id",
                                               time="year", effects="entity time", se="cluster"),
                        lambda df=df: pf.feols("y ~ x1 + x2 + x3 | id + year", df,
                                               vcov={"CRV1": "id"})),
                "2SLS": (lambda df=df: estimate(df, y="y", exog=["x1", "x2"], endog=["d"],
                                                instruments=["z"], entity="id", time="year",
                                                effects="entity time", se="cluster"),
                         lambda df=df: pf.feols("y ~ x1 + x2 | id + year | d ~ z", df,
                                                vcov={"CRV1": "id"})),
            }
            for model, (ours, theirs) in cases.items():
                ours(), theirs()  # warm: numba compiles pyfixest's demeaning once
                t_ours, t_pf = _timed(ours, repeat=5), _timed(theirs, repeat=5)
                ratio = t_ours / t_pf
                rows.append({
                    "bench": f"analytics {model} two-way {n}x{t} {label}",
                    "value": t_ours * 1000, "ratio_pyfixest": round(ratio, 3),
                    "note": f"ms; pyfixest {t_pf * 1000:.0f} ms; {ratio:.2f}x "
                            f"(goal <= 1.5x){' OK' if ratio <= 1.5 else ' MISSED'}",
                    "errors": 0 if ratio <= 1.5 else 1})
    return rows


def versus_csdid(reps: int = 999) -> list[dict]:
    """Staggered DiD (``did_json``: CS doubly robust, never-treated controls, every aggregate
    with the multiplier bootstrap, plus imputation and TWFE with Bacon) on 282 x 11 with 999
    draws, beside csdid's att_gt and its four aggregations in the same run (else a TWFE fit)."""
    import contextlib  # noqa: PLC0415
    import io  # noqa: PLC0415

    from analytics.methods.did import did_json  # noqa: PLC0415
    from analytics.methods.did.simulate import staggered_panel  # noqa: PLC0415

    df = staggered_panel(units=282, periods=11, cohorts={2013: .2, 2015: .2, 2017: .2}, seed=3)

    def ours():
        did_json(df, y="y", entity="id", time="year", group="g", bootstrap=reps, seed=1)

    try:
        from csdid.att_gt import ATTgt  # noqa: PLC0415 (a dev dependency, only for the bench)

        def theirs():
            with contextlib.redirect_stdout(io.StringIO()):
                m = ATTgt(yname="y", gname="g", idname="id", tname="year", data=df.copy(),
                          control_group="nevertreated", biters=reps)
                m.fit(est_method="dr", bstrap=True)
                for kind in ("simple", "dynamic", "group", "calendar"):
                    m.aggte(typec=kind, bstrap=True, cband=True)
        other = "csdid att_gt + 4 aggte"
    except ImportError:
        from analytics.methods.estimation import estimate  # noqa: PLC0415

        def theirs():
            frame = df.assign(d=df.treated)
            estimate(frame, y="y", exog=["d"], entity="id", time="year",
                     effects="entity time", se="cluster")
        other = "TWFE fit (csdid not installed)"
    ours(), theirs()  # warm imports
    t_ours, t_other = _timed(ours, repeat=5), _timed(theirs, repeat=3)
    ratio = t_ours / t_other
    return [{"bench": f"analytics did 282x11, B={reps}", "value": t_ours * 1000,
             "ratio_csdid": round(ratio, 3),
             "note": f"ms (goal well under a few s{' OK' if t_ours < 2 else ' MISSED'}); "
                     f"{other} {t_other * 1000:.0f} ms; {ratio:.2f}x",
             "errors": 0 if t_ours < 2 else 1}]


def run(server) -> list[dict]:  # the `make bench` entry point; the server is not needed
    return measure()


if __name__ == "__main__":
    for row in measure(bootstrap=int(sys.argv[1]) if len(sys.argv) > 1 else 1999):
        print(f"{row['bench']:<46} {row['value']:>10.3f}  {row['note']}")
