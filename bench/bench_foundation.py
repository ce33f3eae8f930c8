"""Foundation: GET /api/v1/villages/ under gunicorn on PostgreSQL, beside a bare JSON view."""

import json

from bench.bench_load import request_row
from bench.loadgen import get, run_load
from bench.server import RESULTS

SECONDS = 8


def run(server) -> list[dict]:
    body = server.get_json("/api/v1/villages/")
    (RESULTS / "villages.json").write_text(json.dumps(body, ensure_ascii=False))
    rows = []
    measured = {}
    targets = {"/api/v1/villages/": 0.5}  # issue 19
    for label, path in [("bare JSON view (from memory)", "/bench/bare/villages/"),
                        ("GET /api/v1/villages/", "/api/v1/villages/")]:
        run_load(host=server.host, port=server.port, make_request=get(path), seconds=1)  # warm
        result = run_load(host=server.host, port=server.port, make_request=get(path),
                          seconds=SECONDS)
        measured[path] = result
        bare = measured.get("/bench/bare/villages/")
        rows.append(request_row(label, result, bare.rps if bare is not result else None,
                                target=targets.get(path)))
    return rows
