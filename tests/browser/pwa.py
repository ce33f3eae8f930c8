"""Shared by the issue-20 journeys: waits on the service worker, reads its caches."""

from __future__ import annotations


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
