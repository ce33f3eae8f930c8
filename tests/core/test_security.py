"""Security hardening: login rate limiting, CSRF, headers, admin access, no secrets tracked."""

import re
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def person(db):
    return UserFactory(username="lin", password="right-horse-battery")


def _login(client, password):
    return client.post(reverse("login"), {"username": "lin", "password": password})


def test_login_locks_out_after_five_failures_even_with_the_right_password(client, person, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200  # the form again, with an error
    response = _login(client, "wrong")
    assert response.status_code == 429
    response = _login(client, "right-horse-battery")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, person):
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, "right-horse-battery").status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200


def test_token_api_is_rate_limited_too(api, person):
    url = reverse("api-token")
    for _ in range(5):
        assert api.post(url, {"username": "lin", "password": "nope"}).status_code in (400, 429)
    response = api.post(url, {"username": "lin", "password": "right-horse-battery"})
    assert response.status_code == 429
    assert "wait" in response.json()["detail"].lower() or "稍后" in response.json()["detail"]


def test_forms_refuse_posts_without_csrf_token(person):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "lin", "password": "right-horse-battery"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_swagger_ui_needs_no_inline_script(client):
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html.replace(" ", "")  # every script is a file, so the CSP holds


def test_admin_is_for_staff_only(client, person):
    client.force_login(person)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_no_secret_is_tracked_in_git():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    assert ".secret_key" not in tracked and ".env" not in tracked
    markers = ["BEGIN " + kind + "PRIVATE KEY" for kind in ("", "RSA ", "EC ", "OPENSSH ")]
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".py", ".txt", ".toml", ".cfg", ".env", ".ini", ".yml", ".yaml", ".md"}:
            text = path.read_text(errors="ignore")
            assert not any(marker in text for marker in markers), name


def test_templates_have_no_inline_scripts_or_handlers():
    """The CSP allows scripts from our own files only; inline code would silently not run."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    offenders = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text()
        if inline_script.search(text) or handler.search(text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


def test_every_post_form_carries_a_csrf_token():
    form = re.compile(r"<form\b[^>]*method=[\"']post[\"'][^>]*>(.*?)</form>", re.I | re.S)
    missing = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        for match in form.finditer(template.read_text()):
            if "csrf_token" not in match.group(1):
                missing.append(f"{template.relative_to(ROOT)}: {match.group(0)[:60]}")
    assert missing == []
