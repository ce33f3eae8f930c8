"""The one way race tests start work at the same instant: real threads behind a barrier.

Each thread opens its own database connection (Django's connections are per thread) and closes
it when done, so PostgreSQL sees truly concurrent transactions and no connection leaks into the
test database's teardown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connections


def run_together(n: int, fn: Callable[[int], Any], *, timeout: float = 60) -> list:
    """Run fn(0) ... fn(n - 1) in n threads released together by a barrier.

    Returns the results in order; a call that raised gives its exception in its place (the test
    asserts on it). A thread still running after `timeout` seconds fails the test.
    """
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def target(i: int) -> None:
        close_old_connections()
        try:
            barrier.wait(timeout=timeout)
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - collected and asserted on by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    stuck = [i for i, t in enumerate(threads) if t.is_alive()]
    if stuck:
        raise AssertionError(f"race threads {stuck} still running after {timeout} s")
    return results
