"""Playwright journeys in Debian's chromium (Playwright's own browser download cannot work here).

Locally these skip with a reason when no chromium is installed; under CI=true they fail instead,
since .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

from synergy.core.demo import seed_core

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the same
# thread (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 390, "height": 844}


def _chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but chromium is missing (.ci/run should have installed it)")
        pytest.skip("no chromium on this machine: `apt-get install chromium` to run browser tests")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=path,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_world(transactional_db):
    return seed_core()


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page whose every request must stay on this machine."""
    context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()
    assert outside == [], f"requests left the machine: {outside}"


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


def login(page, username: str, password: str = "synergy-demo") -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()


def login_zh(page, username: str, password: str = "synergy-demo") -> None:
    """A fresh visitor who chooses Chinese on the login page, then logs in (the phone journeys)."""
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.click("button.lang-btn[value=zh-hans]")
    page.wait_for_load_state()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
