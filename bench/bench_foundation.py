"""Foundation: GET /api/v1/villages/ under gunicorn on PostgreSQL, beside a bare JSON view."""

import json

from bench.loadgen import get, run_load
from bench.server import RESULTS

SECONDS = 8


def run(server) -> list[dict]:
    body = server.get_json("/api/v1/villages/")
    (RESULTS / "villages.json").write_text(json.dumps(body, ensure_ascii=False))
    rows = []
    measured = {}
    for label, path in [("bare JSON view (from memory)", "/bench/bare/villages/"),
                        ("GET /api/v1/villages/", "/api/v1/villages/")]:
        run_load(host=server.host, port=server.port, make_request=get(path), seconds=1)  # warm
        result = run_load(host=server.host, port=server.port, make_request=get(path),
                          seconds=SECONDS)
        measured[path] = result
        rows.append({"bench": label, "rps": result.rps, "p50_ms": result.p50_ms,
                     "p95_ms": result.p95_ms, "p99_ms": result.p99_ms,
                     "requests": result.requests, "errors": result.errors})
    ratio = measured["/api/v1/villages/"].rps / measured["/bench/bare/villages/"].rps
    rows[-1]["note"] = f"{ratio:.2f}x of bare view rps"
    return rows
