"""Page weight: each main page's first load (HTML, CSS, JS, fonts; uploaded photos excluded)
stays under 150 KB transferred on a phone, and no request leaves the machine (the `phone` guard).

Each page is opened in a fresh browser context (empty cache) with the persona's session cookie.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from synergy.core.models import User
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

LIMIT_BYTES = 150 * 1024

def _first(model_path: str) -> int:
    return apps.get_model(model_path).objects.order_by("pk").values_list("pk", flat=True)[0]


# (persona or None for anonymous, path or a callable giving it once the demo world exists).
MAIN_PAGES = [
    (None, "/"),
    (None, "/accounts/login/"),
    (None, "/accounts/register/"),
    ("resident", "/accounts/profile/"),
    ("resident", "/desk/"),
    ("manager", "/desk/"),
    ("admin", "/pairings/"),
    ("resident", "/notifications/"),
    # village node
    (None, "/villages/"),
    (None, "/villages/v/wanxi-village/"),
    (None, "/villages/products/"),
    (None, lambda: f"/villages/products/{_first('villages.Product')}/"),
    (None, "/villages/stays/"),
    (None, lambda: f"/villages/stays/{_first('villages.TourismOffer')}/"),
    ("resident", "/villages/cart/"),
    ("resident", "/villages/orders/"),
    ("coordinator", "/villages/manage/"),
    ("admin", "/villages/moderation/"),
    # two-way exchange
    (None, "/exchange/"),
    (None, "/exchange/campaigns/"),
    (None, lambda: f"/exchange/campaigns/{_first('exchange.Campaign')}/"),
    (None, lambda: f"/exchange/ledger/{_first('core.Pairing')}/"),
    (None, "/exchange/volunteer/"),
    (None, "/exchange/jobs/"),
    (None, "/exchange/events/"),
    ("coordinator", "/exchange/dashboard/"),
    # community node
    ("resident", "/community/cuihu-garden/"),
    ("resident", "/community/cuihu-garden/notices/"),
    ("resident", "/community/cuihu-garden/tickets/"),
    ("resident", "/community/cuihu-garden/bills/"),
    ("resident", "/community/cuihu-garden/businesses/"),
    ("resident", "/community/cuihu-garden/services/"),
    ("resident", "/community/cuihu-garden/housing/"),
    ("manager", "/community/cuihu-garden/tickets/"),
    # analytics
    ("analyst", "/analytics/"),
    ("analyst", "/analytics/map/"),
    ("analyst", lambda: f"/analytics/runs/{_first('analytics.AnalysisRun')}/"),
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
        path = path() if callable(path) else path
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
