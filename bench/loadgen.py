"""A small closed-loop HTTP load generator: P processes x T keep-alive connections, bounded.

Each worker sends GET or POST requests back to back for `seconds` (and at most `max_requests`
each) and records latencies; the parent merges them. Loopback only.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing as mp
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

Request = tuple[str, str, bytes | None, dict[str, str]]  # method, path, body, headers


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[int, int]


def timed_request(conn: http.client.HTTPConnection, host: str, port: int, method: str, path: str,
                  body, headers) -> tuple[http.client.HTTPConnection, int, float]:
    """One request on a kept-alive connection: (the connection to use next, status, seconds).
    A broken connection counts as status 599 and is replaced."""
    start = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        code = resp.status
    except (OSError, http.client.HTTPException):
        conn.close()
        conn = http.client.HTTPConnection(host, port, timeout=30)
        code = 599
    return conn, code, time.perf_counter() - start


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def _worker(host, port, make_request, seconds, max_requests, threads, queue, seed):
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop(tid: int):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        local, local_status = [], {}
        for n in range(max_requests):
            if time.perf_counter() > deadline:
                break
            method, path, body, headers = make_request(seed * 1000 + tid, n)
            conn, code, seconds = timed_request(conn, host, port, method, path, body, headers)
            local.append(seconds)
            local_status[code] = local_status.get(code, 0) + 1
        conn.close()
        with lock:
            latencies.extend(local)
            for k, v in local_status.items():
                statuses[k] = statuses.get(k, 0) + v

    pool = [threading.Thread(target=loop, args=(t,)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put((latencies, statuses))


def run_load(
    *, host: str, port: int, make_request: Callable[[int, int], Request], seconds: float = 8.0,
    processes: int = 2, threads: int = 4, max_requests: int = 100_000, ok=(200, 201),
) -> LoadResult:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_worker,
                    args=(host, port, make_request, seconds, max_requests, threads, queue, i))
        for i in range(processes)
    ]
    start = time.perf_counter()
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - start
    latencies = sorted(x for lat, _ in results for x in lat)
    statuses: dict[int, int] = {}
    for _, st in results:
        for k, v in st.items():
            statuses[k] = statuses.get(k, 0) + v
    errors = sum(v for k, v in statuses.items() if k not in ok)
    return LoadResult(
        requests=len(latencies), errors=errors, seconds=elapsed,
        rps=len(latencies) / elapsed if elapsed else 0.0,
        p50_ms=statistics.median(latencies) * 1000 if latencies else float("nan"),
        p95_ms=_percentile(latencies, 0.95) * 1000, p99_ms=_percentile(latencies, 0.99) * 1000,
        statuses=statuses,
    )


def get(path: str, headers: dict[str, str] | None = None) -> Callable[[int, int], Request]:
    def make(_worker_id: int, _n: int) -> Request:
        return ("GET", path, None, headers or {})

    return make


def post_json(path: str, body: dict, headers: dict[str, str]) -> Request:
    return ("POST", path, json.dumps(body).encode(),
            {"Content-Type": "application/json", **headers})
