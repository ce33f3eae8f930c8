"""Analytics engine speed: the full replication, one two-way fit against linearmodels directly,
and a two-way fit on a 5,000 x 20 panel. Pure computation (no server needed).

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
                 "note": f"ms; {ours / lm:.2f}x of linearmodels direct ({lm * 1000:.0f} ms);"
                         " goal <= 1.5x"})

    slow = _timed(lambda: fit(panel, formula, fast=False), repeat=7)
    rows.append({"bench": "analytics two-way fit 282x11 (PanelOLS route)", "value": slow * 1000,
                 "note": f"ms; {slow / lm:.2f}x of linearmodels direct; fast=False"})

    big = _big_panel()
    t_big = _timed(lambda: fit(big, "y ~ x1 + x2 + x3", entity="id", time="year"), repeat=3)
    bidx = big.set_index(["id", "year"])
    t_big_lm = _timed(lambda: PanelOLS(bidx["y"], bidx[["x1", "x2", "x3"]],
                                       entity_effects=True, time_effects=True).fit(
        cov_type="clustered", cluster_entity=True), repeat=3)
    rows.append({"bench": "analytics two-way fit 5000x20 (ours)", "value": t_big * 1000,
                 "note": f"ms; linearmodels direct {t_big_lm * 1000:.0f} ms"})
    return rows


def run(server) -> list[dict]:  # the `make bench` entry point; the server is not needed
    return measure()


if __name__ == "__main__":
    for row in measure(bootstrap=int(sys.argv[1]) if len(sys.argv) > 1 else 1999):
        print(f"{row['bench']:<46} {row['value']:>10.3f}  {row['note']}")
