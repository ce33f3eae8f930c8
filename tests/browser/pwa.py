"""Shared by the issue-20 journeys: a phone whose service worker may run, and waits on it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE


@pytest.fixture
def app_phone(browser, live_server):
    """A phone-sized page with service workers allowed (the `phone` fixture routes every request,
    which would keep the worker out of the way); requests leaving the machine are counted."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True,
                                  service_workers="allow")
    outside: list[str] = []
    context.on("request", lambda r: None if r.url.startswith(
        (live_server.url, "data:", "blob:")) else outside.append(r.url))
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base_url = live_server.url
    yield page
    context.close()
    assert outside == [], f"requests left the machine: {outside}"


def worker_ready(page) -> None:
    """Wait until a worker is active and controls this page (it claims its clients)."""
    page.evaluate("""async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
            await new Promise(r => navigator.serviceWorker.addEventListener(
                "controllerchange", r, {once: true}));
        }
    }""")


def cached_page_urls(page) -> list[str]:
    return page.evaluate("""async () => {
        const out = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const req of await cache.keys()) out.push(req.url);
        }
        return out;
    }""")
