"""Issue 20 on a phone in Chinese: the app is installable (manifest, worker), the pages a person
read are readable offline with the "offline, as of" banner, other pages get the offline page,
and logging out leaves nothing of theirs in the caches."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login_zh
from tests.browser.pwa import cached_page_urls, worker_ready

pytestmark = pytest.mark.browser


def test_manifest_and_worker_make_the_site_installable(app_phone, demo_world):
    page = app_phone
    login_zh(page, "resident")
    worker_ready(page)
    manifest = page.evaluate("""async () => {
        const link = document.querySelector('link[rel=manifest]');
        return (await fetch(link.href)).json();
    }""")
    assert manifest["short_name"] == "城乡协同" and manifest["lang"] == "zh-hans"
    assert manifest["start_url"] == "/desk/" and manifest["display"] == "standalone"
    scope = page.evaluate("(async () => (await navigator.serviceWorker.ready).scope)()")
    assert scope == page.base_url + "/"
    assert page.locator("link[rel=apple-touch-icon]").count() == 1


def test_a_page_read_online_is_readable_offline_with_the_as_of_banner(app_phone, demo_world):
    page = app_phone
    slug = demo_world.community.slug
    login_zh(page, "resident")
    worker_ready(page)
    tickets = f"{page.base_url}/community/{slug}/tickets/"
    page.goto(f"{page.base_url}/desk/")
    page.goto(tickets)
    heading = page.locator("h1").inner_text()
    assert page.locator("#offline-banner").is_hidden()

    page.context.set_offline(True)
    page.goto(tickets)
    assert page.locator("h1").inner_text() == heading  # the kept copy, not an error page
    banner = page.locator("#offline-banner")
    assert banner.is_visible()
    assert re.search(r"\d{2}:\d{2}", banner.inner_text()), banner.inner_text()
    page.goto(f"{page.base_url}/desk/")
    assert page.locator("#offline-banner").is_visible()

    # A page never read on this phone: the offline page, in the person's language.
    page.goto(f"{page.base_url}/villages/bookings/")
    assert page.locator("#offline-page").is_visible()
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    page.context.set_offline(False)
    page.goto(tickets)
    assert page.locator("#offline-banner").is_hidden()


def test_logout_empties_the_caches(app_phone, demo_world):
    page = app_phone
    login_zh(page, "resident")
    worker_ready(page)
    page.goto(f"{page.base_url}/desk/")
    page.goto(f"{page.base_url}/villages/orders/")
    assert any(u.endswith("/desk/") for u in cached_page_urls(page))

    page.click("label.nav-toggle-label")
    with page.expect_navigation():  # the script empties the caches, then sends the form
        page.click("form[data-logout] button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url
    kept = cached_page_urls(page)
    assert not [u for u in kept if "/desk/" in u or "/orders/" in u], kept
    # Offline now, the desk is not shown from a copy: it is the offline page.
    page.context.set_offline(True)
    try:
        page.goto(f"{page.base_url}/desk/")
    except Exception:  # noqa: BLE001 - no worker left (Clear-Site-Data unregistered it): no page
        return
    assert page.locator("#offline-page").count() == 1
