"""Print `export` lines that point the test suite at PostgreSQL and Redis when they answer.

Used by `make test`. Variables already set win. Under CI=true a service that does not answer is
an error (exit 1): race and locking tests mean nothing on SQLite.
"""

from __future__ import annotations

import os
import shlex
import socket
import sys
from urllib.parse import urlparse

# SYNERGY_DB names the database, so parallel checkouts on one machine don't share a test database.
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/" + os.environ.get("SYNERGY_DB", "synergy")
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


def _postgres_ready(url: str) -> str | None:
    """Return None when PostgreSQL answers (creating the database if missing), else a reason."""
    try:
        import psycopg  # noqa: PLC0415  (optional: its absence is reported, not raised)
    except ImportError:
        return "psycopg is not installed"
    parsed = urlparse(url)
    dbname = parsed.path.lstrip("/") or "postgres"
    admin_url = parsed._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin_url, connect_timeout=3, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{dbname}"')
    except Exception as exc:  # report any failure as "not answering"
        return f"{exc.__class__.__name__}: {exc}".strip()
    return None


def _redis_ready(url: str) -> str | None:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 6379
    try:
        with socket.create_connection((host, port), timeout=1.5) as sock:
            sock.sendall(b"PING\r\n")
            reply = sock.recv(64)
    except OSError as exc:
        return str(exc)
    return None if reply.startswith((b"+PONG", b"-NOAUTH")) else f"unexpected reply {reply!r}"


def main() -> int:
    ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    problems = []
    exports = {}

    db_url = os.environ.get("DATABASE_URL") or DEFAULT_PG
    if db_url.startswith("postgres"):
        reason = _postgres_ready(db_url)
        if reason is None:
            exports["DATABASE_URL"] = db_url
        else:
            problems.append(f"PostgreSQL at {urlparse(db_url).netloc} does not answer ({reason})")
    else:
        exports["DATABASE_URL"] = db_url

    broker = os.environ.get("CELERY_BROKER_URL") or DEFAULT_REDIS
    reason = _redis_ready(broker)
    if reason is None:
        exports["CELERY_BROKER_URL"] = broker
    else:
        problems.append(f"Redis at {urlparse(broker).netloc} does not answer ({reason})")

    for problem in problems:
        print(f"services_env: {problem}", file=sys.stderr)
    if problems and ci:
        print("services_env: CI=true needs PostgreSQL and Redis; failing.", file=sys.stderr)
        return 1
    if problems:
        print("services_env: falling back to SQLite / eager tasks; PostgreSQL-only tests will "
              "be skipped.", file=sys.stderr)
    for key, value in exports.items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
