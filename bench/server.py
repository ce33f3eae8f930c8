"""Start the platform under gunicorn on a dedicated PostgreSQL database for benchmarks."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_database_url() -> str:
    """DATABASE_URL's database + "_bench" (scripts/services_env.py names it by SYNERGY_DB, so
    each checkout benches on its own database)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("make bench needs PostgreSQL: start it or set DATABASE_URL=postgres://...")
    parsed = urlparse(url)
    return parsed._replace(path=f"{parsed.path.rstrip('/') or '/synergy'}_bench").geturl()


def _create_database(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class Server:
    def __init__(self, port: int, env: dict[str, str]):
        self.port = port
        self.env = env
        self.host = "127.0.0.1"

    def manage(self, *args: str) -> str:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                              check=True, capture_output=True, text=True).stdout

    def get_json(self, path: str, headers: dict | None = None):
        req = urllib.request.Request(f"http://{self.host}:{self.port}{path}", headers=headers or {})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def post_json(self, path: str, body: dict, headers: dict | None = None):
        req = urllib.request.Request(
            f"http://{self.host}:{self.port}{path}", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **(headers or {})}, method="POST")
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def token(self, username: str, password: str = "synergy-demo") -> str:
        return self.post_json("/api/v1/auth/token/",
                              {"username": username, "password": password})["token"]


def default_workers() -> int:
    # Cores + 1 sync workers: the load generator runs on the same cores, so gunicorn's usual
    # 2 x cores + 1 would only make the two fight for CPU. BENCH_WORKERS overrides it.
    if os.environ.get("BENCH_WORKERS", "").strip():
        return int(os.environ["BENCH_WORKERS"])
    return (os.cpu_count() or 1) + 1


@contextlib.contextmanager
def running_server(workers: int | None = None):
    """Fresh bench database, migrated and seeded; gunicorn with `workers` sync workers."""
    workers = workers or default_workers()
    RESULTS.mkdir(parents=True, exist_ok=True)
    db_url = bench_database_url()
    _create_database(db_url)
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "bench.settings",
           "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "bench-" + "k" * 60,
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_CONN_MAX_AGE": "60",
           "EMAIL_URL": "dummymail://"}  # notifications are sent, but to nowhere
    # The page cache in Redis, as in production: the helper's own Redis db (that of its broker,
    # else BENCH_CACHE_URL), under a key prefix of its own for each run (a fresh database).
    cache_url = os.environ.get("BENCH_CACHE_URL") or os.environ.get(
        "CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    env.update({"CACHE_URL": cache_url, "CACHE_KEY_PREFIX": f"bench-{os.getpid()}-{time.time_ns()}"})
    env.pop("CELERY_BROKER_URL", None)  # side-effect tasks run eagerly inside the request
    port = _free_port()
    server = Server(port, env)
    server.manage("migrate", "--noinput", "-v0")
    server.manage("seed_demo")
    server.manage("collectstatic", "--noinput", "-v0")  # whitenoise serves from STATIC_ROOT
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "synergy.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                server.get_json("/healthz")
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=20)
