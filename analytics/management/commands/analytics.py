"""`manage.py analytics fit|index|mediate|did|replicate`: the methods on a CSV/XLSX file.

With ``--json`` each subcommand prints exactly one JSON object on stdout. Every error, the
argument parser's included (unknown subcommand, missing option, bad choice, bad number), exits
with status 2 and a one-line reason on stderr; with ``--json`` anywhere in the arguments stdout
holds exactly ``{"error": reason}``. The subcommands need no database: they read files and call
``analytics.methods``.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.limits import import_limits
from analytics.methods.commands import (
    SE_CHOICES,
    did_json,
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


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _error_json(reason: str) -> str:
    return json.dumps({"error": reason}, ensure_ascii=False)


class OneLineErrorParser(CommandParser):
    """argparse, whose errors are one line, exit status 2 and, with ``--json``, JSON.

    argparse prints the usage and a message over several lines and exits; Django's parser
    does so too on the command line (and raises ``CommandError`` under ``call_command``).
    Here every parser error, the subcommands' included, raises one ``CommandError`` that the
    top-level ``parse_args`` turns into the JSON line and, on the command line, the exit.
    """

    def error(self, message):
        raise CommandError(_one_line(f"{self.prog.strip()}: {message}"), returncode=2)

    def parse_args(self, args=None, namespace=None):
        argv = sys.argv[1:] if args is None else [str(a) for a in args]
        try:
            return super().parse_args(args, namespace)
        except CommandError as exc:
            reason = _one_line(exc)
            if "--json" in argv:
                sys.stdout.write(_error_json(reason) + "\n")
                sys.stdout.flush()
            if self.called_from_command_line:  # run_from_argv parses outside its try
                sys.stderr.write(f"CommandError: {reason}\n")
                sys.exit(2)
            raise CommandError(reason, returncode=2) from None


class Command(BaseCommand):
    help = "Panel regressions, indices, mediation, staggered DiD and the paper's replication from files."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # BaseCommand builds a plain CommandParser and has no hook for its class; the
        # subclass adds no state, so switching the class keeps the parser as built.
        parser.__class__ = OneLineErrorParser
        return parser

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True,
                                    parser_class=OneLineErrorParser)

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
        i.add_argument("--columns", default=None,
                       help="a,b,c (default: every numeric column that is not an id or a year)")
        i.add_argument("--exclude", default=None,
                       help="a,b: columns to leave out when --columns is not given")
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

        d = sub.add_parser("did", help="staggered DiD: Callaway-Sant'Anna, imputation, TWFE "
                                       "with its Goodman-Bacon decomposition")
        d.add_argument("--json", action="store_true", help="print one JSON object")
        d.add_argument("--csv", required=True, help="CSV or XLSX file, long form")
        d.add_argument("--y", required=True, help="outcome column")
        d.add_argument("--entity", required=True, help="unit id column")
        d.add_argument("--time", required=True, help="period column (whole numbers)")
        d.add_argument("--group", required=True,
                       help="first treated period of each unit; 0 = never treated")
        d.add_argument("--control", default="never", choices=["never", "notyet"])
        d.add_argument("--method", default="dr", choices=["dr", "ipw", "reg"])
        d.add_argument("--covariates", default=None, help="a,b (time-invariant is best)")
        d.add_argument("--bootstrap", type=int, default=999,
                       help="multiplier-bootstrap draws (0: analytical SEs)")
        d.add_argument("--seed", type=int, default=0)
        d.add_argument("--alpha", type=float, default=0.05)
        d.add_argument("--anticipation", type=int, default=0)
        d.add_argument("--base-period", default="varying", choices=["varying", "universal"])

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
        except CommandError as exc:
            self._fail(_one_line(exc), as_json)
        except (ValueError, KeyError, OSError) as exc:
            self._fail(_one_line(exc) or exc.__class__.__name__, as_json)
        except Exception as exc:  # a bug: still one line, the traceback with --traceback
            if opts.get("traceback"):
                raise
            self._fail(f"internal error ({exc.__class__.__name__}): {_one_line(exc)}", as_json)
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, allow_nan=False))
        else:
            self.stdout.write(self._human(result))

    def _fail(self, reason: str, as_json: bool):
        if as_json:
            self.stdout.write(_error_json(reason))
        raise CommandError(reason, returncode=2) from None

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
                          negative=_csv_list(o["negative"]), normalise=o["normalise"],
                          exclude=_csv_list(o["exclude"]))

    def _mediate(self, o):
        return mediate_json(_read(o["csv"]), y=o["y"], x=o["x"], mediator=o["mediator"],
                            controls=_csv_list(o["controls"]), entity=o["entity"],
                            time=o["time"], effects=o["effects"], cluster=o["cluster"],
                            se=o["se"], bootstrap=o["bootstrap"], seed=o["seed"])

    def _did(self, o):
        return did_json(_read(o["csv"]), y=o["y"], entity=o["entity"], time=o["time"],
                        group=o["group"], control=o["control"], method=o["method"],
                        covariates=_csv_list(o["covariates"]), bootstrap=o["bootstrap"],
                        seed=o["seed"], alpha=o["alpha"], anticipation=o["anticipation"],
                        base_period=o["base_period"])

    def _replicate(self, o):
        if o["bootstrap"] < 0:
            raise ValueError("--bootstrap must be >= 0")
        raw = _read(o["raw"]) if o["raw"] else None
        res = replicate(raw, seed=o["seed"], bootstrap=o["bootstrap"], thresholds=o["stars"])
        files = write_outputs(res, o["out"])
        s = res["summary"]
        return jsonable({"out": str(o["out"]), "files": sorted(files), "synthetic": s["synthetic"],
                         "note": s["note"], "nobs": s["nobs"],
                         "rows_dropped_missing": s["rows_dropped_missing"], "notes": s["notes"],
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
