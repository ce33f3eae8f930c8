"""Issue 11.2 in production shape: gunicorn behind the nginx of deploy/nginx.conf.

The `/media/`, `/protected/` and `/` locations are taken from the shipped deploy/nginx.conf (only
the folders and the upstream port are replaced), nginx and gunicorn run as real processes, and
the private file is asked for as a browser would: through the permission-checked view (nginx
sends the bytes after Django's X-Accel-Redirect), straight at /protected/ and at /media/.
Skipped when nginx is not installed (`apt-get install nginx-light`).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from community import services
from synergy.core.models import Role
from tests.factories import CommunityFactory, MembershipFactory

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
PDF = b"%PDF-1.4 served by nginx"

pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed"),
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _block(conf: str, location: str) -> str:
    match = re.search(r"\n(\s*location " + re.escape(location) + r" \{.*?\n\s*\})", conf, re.S)
    assert match, f"deploy/nginx.conf has no `location {location}`"
    return match.group(1)


def _nginx_conf(tmp: Path, port: int, upstream: int) -> str:
    shipped = (ROOT / "deploy" / "nginx.conf").read_text()
    locations = "\n".join(_block(shipped, loc) for loc in ("/media/", "/protected/", "/"))
    assert "internal;" in _block(shipped, "/protected/")
    locations = (locations.replace("/var/lib/synergy/media/", f"{settings.MEDIA_ROOT}/")
                 .replace("/var/lib/synergy/private-media/", f"{settings.PRIVATE_MEDIA_ROOT}/")
                 .replace("http://127.0.0.1:8000", f"http://127.0.0.1:{upstream}"))
    return f"""
user root;
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
{locations}
    }}
}}
"""


def _wait(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"process exited: {log.read_text()[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"nothing listens on {port}: {log.read_text()[-2000:]}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, cookie: str = ""):
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def stack(tmp_path, requires_postgres):
    """gunicorn (DJANGO_SENDFILE_BACKEND=nginx) behind nginx; yields the nginx base URL."""
    app_port, web_port = _free_port(), _free_port()
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                        f"/{db['NAME']}",
        "DJANGO_DEBUG": "true", "DJANGO_SENDFILE_BACKEND": "nginx",
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    app_log, web_log = tmp_path / "gunicorn.log", tmp_path / "error.log"
    (tmp_path / "nginx.conf").write_text(_nginx_conf(tmp_path, web_port, app_port))
    procs = []
    try:
        with app_log.open("w") as out:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "synergy.wsgi", "-b", f"127.0.0.1:{app_port}",
                 "-w", "1"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        _wait(app_port, procs[0], app_log)
        web_log.touch()
        procs.append(subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
        _wait(web_port, procs[1], web_log)
        yield f"http://127.0.0.1:{web_port}"
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_nginx_serves_private_files_only_through_the_checked_view(stack):
    community = CommunityFactory()
    manager = MembershipFactory(role=Role.PROPERTY_MANAGER, community=community, unit="").user
    resident = MembershipFactory(role=Role.RESIDENT, community=community, unit="1-101").user
    stranger = MembershipFactory(role=Role.RESIDENT, community=CommunityFactory(), unit="9-9").user
    notice = services.notice_publish(author=manager, community=community, title="停水通知",
                                     body="Tuesday", attachment=SimpleUploadedFile("m.pdf", PDF))
    name = notice.attachment.name

    def cookie(user) -> str:
        c = Client()
        c.force_login(user)
        return f"{settings.SESSION_COOKIE_NAME}={c.cookies[settings.SESSION_COOKIE_NAME].value}"

    url = f"{stack}/community/{community.slug}/notices/{notice.pk}/attachment"
    status, headers, body = _get(url, cookie(resident))
    assert status == 200 and body == PDF
    assert "X-Accel-Redirect" not in headers                 # nginx consumed it
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Cache-Control"].startswith("private")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in headers["Content-Security-Policy"]
    assert headers["Content-Disposition"].startswith("attachment")
    assert "%E5%81%9C%E6%B0%B4%E9%80%9A%E7%9F%A5.pdf" in headers["Content-Disposition"]

    status, headers, body = _get(url)                         # anonymous: to the login page
    assert status == 302 and settings.LOGIN_URL in headers["Location"] and PDF not in body
    status, _h, body = _get(url, cookie(stranger))           # another community's resident
    assert status == 403 and PDF not in body
    status, _h, body = _get(f"{stack}/protected/{name}", cookie(resident))   # internal only
    assert status == 404 and PDF not in body
    status, _h, body = _get(f"{stack}/media/{name}", cookie(resident))       # not public media
    assert status == 404 and PDF not in body
