"""Settings come from the environment; a bad value stops start-up naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_DEBUG", "maybe"),
        ("DATABASE_URL", "notadb://x"),
        ("CELERY_BROKER_URL", "amqp://guest@localhost//"),
        ("DJANGO_DATA_UPLOAD_MAX_BYTES", "ten megabytes"),
        ("DJANGO_SECURE_HSTS_SECONDS", "-5"),
    ],
)
def test_bad_variable_fails_at_start_naming_it(name, value):
    result = _run(["manage.py", "check"], **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_production_without_secret_key_fails():
    result = _run(["manage.py", "check"], DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="x.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_check_deploy_passes_with_production_values():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x7!Kq" * 12,
        DJANGO_ALLOWED_HOSTS="synergy.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_check_deploy_warns_in_debug():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                  DJANGO_DEBUG="true")
    assert result.returncode != 0


def test_embedded_default_is_sqlite_and_eager():
    result = _run(["-c", (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','synergy.settings');"
        "django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_upload_limit_is_set_once_by_the_variable_nginx_names():
    """deploy/nginx.conf sizes client_max_body_size after DJANGO_DATA_UPLOAD_MAX_BYTES; no later
    assignment may override it (it once was, by a second variable)."""
    settings_text = (ROOT / "synergy" / "settings.py").read_text()
    assert settings_text.count("DATA_UPLOAD_MAX_MEMORY_SIZE =") == 1
    assert "DJANGO_DATA_UPLOAD_MAX_BYTES" in (ROOT / "deploy" / "nginx.conf").read_text()
    result = _run(["-c", "import django; django.setup(); from django.conf import settings; "
                         "print(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)"],
                  DJANGO_DATA_UPLOAD_MAX_BYTES="123456", DJANGO_SETTINGS_MODULE="synergy.settings")
    assert result.stdout.strip() == "123456", result.stderr
