"""Page weight: each main page's first load (HTML, CSS, JS, fonts; uploaded photos excluded)
stays under 150 KB transferred on a phone, and no request leaves the machine (the `phone` guard).

Each page is opened in a fresh browser context (empty cache) with the persona's session cookie.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from synergy.core.models import User
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

LIMIT_BYTES = 150 * 1024

# (persona or None for anonymous, path). Apps add their main pages here as they land.
MAIN_PAGES = [
    (None, "/"),
    (None, "/accounts/login/"),
    (None, "/accounts/register/"),
    ("resident", "/accounts/profile/"),
]


@pytest.fixture
def full_demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def _session_cookie(username: str, live_server) -> dict:
    client = Client()
    client.force_login(User.objects.get(username=username))
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}


def _first_load_bytes(browser, live_server, persona, path) -> tuple[int, list[str], list[str]]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith((live_server.url, "data:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    if persona:
        context.add_cookies([_session_cookie(persona, live_server)])
    page = context.new_page()
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    response = page.goto(live_server.url + path, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
    total, counted = 0, []
    for request in responses:
        if f"{settings.MEDIA_URL}" in request.url:
            continue  # uploaded photos are excluded by the budget
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        counted.append(request.url)
    context.close()
    return total, counted, outside


def test_main_pages_first_load_is_light_and_local(browser, live_server, full_demo):
    # One seeded world for every page: seeding per page would dominate the suite's time.
    report, problems = [], []
    for persona, path in MAIN_PAGES:
        total, counted, outside = _first_load_bytes(browser, live_server, persona, path)
        report.append(f"{path} ({persona or 'anonymous'}): {total / 1024:.1f} KB in {len(counted)} requests")
        if outside:
            problems.append(f"{path}: requests left the machine: {outside}")
        if not counted:
            problems.append(f"{path}: nothing was loaded")
        if total >= LIMIT_BYTES:
            problems.append(f"{path}: {total / 1024:.1f} KB >= 150 KB ({counted})")
    print("\npage weight:\n  " + "\n  ".join(report))
    assert problems == []
