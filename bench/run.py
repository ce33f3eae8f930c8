"""`make bench`: run every bench/bench_*.py against one gunicorn server, print one table.

Each module has `run(server) -> list[dict]` with keys bench, rps / value, p50_ms, p95_ms,
p99_ms, requests, errors, note. Figures are also written to bench/results/latest.json.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from bench.server import RESULTS, running_server  # noqa: E402

COLUMNS = [("bench", 44), ("rps", 9), ("ratio", 6), ("target", 6), ("p50_ms", 8), ("p95_ms", 8),
           ("p99_ms", 8), ("requests", 9), ("errors", 7), ("value", 10), ("note", 40)]


def missed(row: dict) -> str:
    """Why a row fails the bench ("" if it does not): errors (a refused request, a reconciliation
    mismatch) or a ratio below its target."""
    if row.get("errors"):
        return f"{row['errors']} errors"
    if row.get("target") is not None and (row.get("ratio") or 0) < row["target"]:
        return f"ratio {row.get('ratio')} below target {row['target']}"
    return ""


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.1f}" if value >= 10 else f"{value:.3g}"
    return str(value)


def main(argv: list[str]) -> int:
    only = set(argv)
    modules = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    rows: list[dict] = []
    with running_server() as server:
        for name in modules:
            if only and name.removeprefix("bench_") not in only:
                continue
            module = importlib.import_module(f"bench.{name}")
            print(f"running {name} ...", file=sys.stderr, flush=True)
            rows.extend(module.run(server))
    print(" ".join(title.ljust(width) for title, width in COLUMNS))
    print(" ".join("-" * width for _, width in COLUMNS))
    for row in rows:
        print(" ".join(_fmt(row.get(title)).ljust(width) for title, width in COLUMNS))
    (RESULTS / "latest.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False))
    failed = [(row["bench"], why) for row in rows if (why := missed(row))]
    for bench, why in failed:
        print(f"FAILED {bench}: {why}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
