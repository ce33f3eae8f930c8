"""Issue 20, measured on a slow network: every main page loaded on a phone throttled to slow 3G
(Chromium's Network.emulateNetworkConditions: 400 kbit/s each way, 400 ms round trip), once
cold (no worker, nothing cached) and once again (the worker installed). Times are printed and
written to bench/results/slow3g.json, never asserted; what is asserted is that the repeat load
of a page is served by the service worker.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import PHONE
from tests.browser.pwa import worker_ready
from tests.browser.test_journey_pwa_audit import login_as, main_pages

pytestmark = pytest.mark.browser

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results"
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1000 / 8,
           "uploadThroughput": 400 * 1000 / 8}
# Milliseconds from the start of the navigation to the end of its load event, and the bytes of
# every response it made (0 for those the worker answered from its cache).
TIMING = """() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const res = performance.getEntriesByType("resource");
    return {ms: Math.round(nav.loadEventEnd - nav.startTime),
            bytes: nav.transferSize + res.reduce((s, r) => s + (r.transferSize || 0), 0),
            requests: 1 + res.length};
}"""


@pytest.fixture
def full_demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def _throttle(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)


def _throttle_workers(browser_cdp) -> int:
    """The worker fetches pages for the page (network-first): throttle its network too, or its
    requests would go at full speed. Returns how many worker targets were throttled."""
    targets = browser_cdp.send("Target.getTargets")["targetInfos"]
    done = 0
    for target in targets:
        if target["type"] != "service_worker":
            continue
        session = browser_cdp.send("Target.attachToTarget",
                                   {"targetId": target["targetId"], "flatten": False})["sessionId"]
        for n, (method, params) in enumerate(
                [("Network.enable", {}), ("Network.emulateNetworkConditions", SLOW_3G)], 1):
            browser_cdp.send("Target.sendMessageToTarget", {
                "sessionId": session,
                "message": json.dumps({"id": n, "method": method, "params": params})})
        done += 1
    return done


def _load(page, url: str):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, url
    return response, page.evaluate(TIMING)


def test_main_pages_on_slow_3g_first_and_repeat_load(browser, live_server, app_phone, full_demo):
    browser_cdp = browser.new_browser_cdp_session()
    rows = []
    for persona, pages in main_pages().items():
        login_as(app_phone, persona, "zh-hans")
        state = app_phone.context.storage_state()
        for name, path in pages:
            context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True,
                                          has_touch=True, service_workers="allow",
                                          storage_state=state)
            try:
                page = context.new_page()
                page.set_default_timeout(60_000)
                _throttle(page)
                url = live_server.url + path
                first_response, first = _load(page, url)
                worker_ready(page)
                assert _throttle_workers(browser_cdp) >= 1
                repeat_response, repeat = _load(page, url)
                assert not first_response.from_service_worker, name
                assert repeat_response.from_service_worker, f"{name}: repeat load not from the worker"
                rows.append({"page": name, "path": path, "first_ms": first["ms"],
                             "first_bytes": first["bytes"], "first_requests": first["requests"],
                             "repeat_ms": repeat["ms"], "repeat_bytes": repeat["bytes"],
                             "repeat_from_service_worker": repeat_response.from_service_worker})
            finally:
                context.close()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "slow3g.json").write_text(json.dumps(
        {"profile": SLOW_3G, "pages": rows}, ensure_ascii=False, indent=1))
    print("\nslow 3G (400 kbit/s, 400 ms RTT)   first load        repeat load (worker)")
    for r in rows:
        print(f"  {r['page']:20} {r['first_ms']:6} ms {r['first_bytes'] / 1024:6.1f} KiB"
              f"   {r['repeat_ms']:6} ms {r['repeat_bytes'] / 1024:6.1f} KiB")
