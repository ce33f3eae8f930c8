"""Run a function in a child process that is killed after a time limit (issue 11.6).

Imports are parsed here so a pathological file costs at most ``seconds`` of one child, never
a web worker: the caller gets ``TimeLimitExceeded`` and the child is killed. The function and
its arguments and result must be picklable; the child never touches the database.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any

__all__ = ["TimeLimitExceeded", "run_limited"]


class TimeLimitExceeded(ValueError):
    pass


def _child(conn, fn: Callable, args: tuple, kwargs: dict) -> None:
    try:
        conn.send(("ok", fn(*args, **kwargs)))
    except BaseException as exc:  # noqa: BLE001 (reported to the parent, then the child ends)
        conn.send(("error", f"{exc.__class__.__name__}: {exc}", traceback.format_exc()))
    finally:
        conn.close()


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_limited(fn: Callable[..., Any], *args: Any, seconds: float, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a child process; ``seconds <= 0`` runs it in this process.

    An exception in the child is raised here as ``RuntimeError`` with its message."""
    if seconds <= 0:
        return fn(*args, **kwargs)
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise TimeLimitExceeded(f"took longer than {seconds:g} seconds")
        try:
            outcome = parent.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            raise RuntimeError("the reading process stopped unexpectedly") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if outcome[0] == "ok":
        return outcome[1]
    raise RuntimeError(outcome[1])
