"""`manage.py analytics fit|index|mediate|replicate`: the methods on a CSV/XLSX file.

With ``--json`` each subcommand prints exactly one JSON object on stdout. Bad input exits
with status 2 and a one-line reason on stderr (and, with ``--json``, ``{"error": reason}``).
The subcommands need no database: they read files and call ``analytics.methods``.
"""

from __future__ import annotations

import argparse
import json
import warnings

from django.core.management.base import BaseCommand, CommandError

from analytics.limits import import_limits
from analytics.methods.commands import (
    SE_CHOICES,
    fit_json,
    index_json,
    mediate_json,
    read_table,
)
from analytics.methods.jsonfloat import jsonable
from analytics.methods.replicate import replicate, write_outputs


def _read(path: str):
    """The file within the import limits of the settings; headers must be column names."""

    return read_table(path, limits=import_limits())


def _csv_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class Command(BaseCommand):
    help = "Panel regressions, indices, mediation and the paper's replication from files."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)

        def common(p, panel=True):
            p.add_argument("--json", action="store_true", help="print one JSON object")
            if panel:
                p.add_argument("--csv", required=True, help="CSV or XLSX file, long form")
                p.add_argument("--entity", default=None)
                p.add_argument("--time", default=None)
                p.add_argument("--effects", nargs="+", default=None,
                               help="entity time | entity | time | none")

        f = sub.add_parser("fit", help="OLS or 2SLS (--iv) on a panel or a cross-section")
        common(f)
        f.add_argument("--formula", required=True, help='"y ~ x1 + x2"')
        f.add_argument("--iv", default=None, help='"endog ~ z1 + z2"')
        f.add_argument("--cluster", default=None,
                       help="none | entity | time | COLUMN | COLUMN,COLUMN (default: entity)")
        f.add_argument("--se", default="stata", choices=list(SE_CHOICES),
                       help="stata (CRV1 with Stata's factors, the default) | unadjusted | "
                            "robust (HC1) | cluster | driscoll-kraay")
        f.add_argument("--small", action=argparse.BooleanOptionalAction, default=True,
                       help="t and F with df corrections (Stata small, R ivreg; the default);"
                            " --no-small: z and chi2")
        f.add_argument("--convention", default="reghdfe", choices=["reghdfe", "xtreg"],
                       help="reghdfe: effects absorbed, _cons = ybar - xbar'b; xtreg: "
                            "Stata xtreg, fe with year dummies")
        f.add_argument("--bandwidth", type=int, default=None,
                       help="Driscoll-Kraay lags (default floor(4 (T/100)^(2/9)))")
        f.add_argument("--wild-bootstrap", type=int, default=0, metavar="B",
                       help="wild cluster (WCR) bootstrap p-values and CIs with B draws")
        f.add_argument("--weights", default="rademacher",
                       choices=["rademacher", "webb", "mammen"])
        f.add_argument("--seed", type=int, default=12345)

        i = sub.add_parser("index", help="entropy or PCA index weights")
        i.add_argument("--json", action="store_true")
        i.add_argument("--csv", required=True)
        i.add_argument("--method", required=True, choices=["entropy", "pca"])
        i.add_argument("--columns", default=None, help="a,b,c (default: every numeric column)")
        i.add_argument("--negative", default=None, help="columns where more is worse")
        i.add_argument("--normalise", default="minmax", choices=["minmax", "none"])

        m = sub.add_parser("mediate", help="paths a, b, c, c', Sobel family, bootstrap")
        common(m)
        m.add_argument("--cluster", default="entity", choices=["entity", "none"])
        m.add_argument("--se", default="stata", choices=["stata", "unadjusted", "robust"])
        m.add_argument("--y", required=True)
        m.add_argument("--x", required=True)
        m.add_argument("--mediator", required=True)
        m.add_argument("--controls", default=None)
        m.add_argument("--bootstrap", type=int, default=0)
        m.add_argument("--seed", type=int, default=12345)

        r = sub.add_parser("replicate", help="the paper's Tables 3-9 as files")
        r.add_argument("--json", action="store_true")
        r.add_argument("--raw", default=None, help="raw indicators (default: synthetic panel)")
        r.add_argument("--seed", type=int, default=20240521)
        r.add_argument("--bootstrap", type=int, default=1999)
        r.add_argument("--out", required=True)
        r.add_argument("--stars", default="default", choices=["default", "paper"],
                       help="default: * .10 ** .05 *** .01; paper: * .05 ** .01 *** .001")

    def handle(self, *args, **opts):
        as_json = opts.get("json", False)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = getattr(self, f"_{opts['subcommand']}")(opts)
        except (ValueError, KeyError, OSError) as exc:
            reason = " ".join(str(exc).split()) or exc.__class__.__name__
            if as_json:
                self.stdout.write(json.dumps({"error": reason}, ensure_ascii=False))
            raise CommandError(reason, returncode=2) from None
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, allow_nan=False))
        else:
            self.stdout.write(self._human(result))

    # ------------------------------------------------------------------ subcommands

    def _fit(self, o):
        return fit_json(_read(o["csv"]), formula=o["formula"], entity=o["entity"],
                        time=o["time"], effects=o["effects"], cluster=o["cluster"], se=o["se"],
                        iv=o["iv"], small=o["small"], convention=o["convention"],
                        bandwidth=o["bandwidth"], wild_bootstrap=o["wild_bootstrap"],
                        weights=o["weights"], seed=o["seed"])

    def _index(self, o):
        return index_json(_read(o["csv"]), method=o["method"],
                          columns=_csv_list(o["columns"]) or None,
                          negative=_csv_list(o["negative"]), normalise=o["normalise"])

    def _mediate(self, o):
        return mediate_json(_read(o["csv"]), y=o["y"], x=o["x"], mediator=o["mediator"],
                            controls=_csv_list(o["controls"]), entity=o["entity"],
                            time=o["time"], effects=o["effects"], cluster=o["cluster"],
                            se=o["se"], bootstrap=o["bootstrap"], seed=o["seed"])

    def _replicate(self, o):
        if o["bootstrap"] < 0:
            raise ValueError("--bootstrap must be >= 0")
        raw = _read(o["raw"]) if o["raw"] else None
        res = replicate(raw, seed=o["seed"], bootstrap=o["bootstrap"], thresholds=o["stars"])
        files = write_outputs(res, o["out"])
        s = res["summary"]
        return jsonable({"out": str(o["out"]), "files": sorted(files), "synthetic": s["synthetic"],
                         "note": s["note"], "nobs": s["nobs"],
                         "differences_from_paper": s["differences_from_paper"]})

    @staticmethod
    def _human(result: dict) -> str:
        lines = []
        if result.get("synthetic"):
            lines.append("SYNTHETIC DATA: not real statistics")
        for key, value in result.items():
            if isinstance(value, dict):
                inner = ", ".join(f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}"
                                  for k, v in value.items())
                lines.append(f"{key}: {inner}")
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                lines.append(f"{key}:")
                lines += [f"  - {v}" for v in value]
            else:
                lines.append(f"{key}: {value}")
        return "\n".join(lines)
