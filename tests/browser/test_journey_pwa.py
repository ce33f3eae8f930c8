"""Issue 20 on a phone in Chinese: the app is installable (manifest, worker), the pages a person
read are readable offline with the "offline, as of" banner, other pages get the offline page,
and logging out leaves nothing of theirs in the caches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from community.models import RepairTicket
from tests.browser.conftest import login_zh
from tests.browser.pwa import cached_page_urls, worker_ready
from villages.models import Product

pytestmark = pytest.mark.browser

PHOTO = Path(__file__).resolve().parents[2] / "static" / "img" / "icon-192.png"


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
    expect(page.locator("link[rel=apple-touch-icon]")).to_have_count(1)


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
    expect(banner).to_be_visible()
    assert re.search(r"\d{2}:\d{2}", banner.inner_text()), banner.inner_text()
    page.goto(f"{page.base_url}/desk/")
    expect(page.locator("#offline-banner")).to_be_visible()

    # A page never read on this phone: the offline page, in the person's language.
    page.goto(f"{page.base_url}/villages/bookings/")
    expect(page.locator("#offline-page")).to_be_visible()
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
    expect(page.locator("#offline-page")).to_have_count(1)


def test_a_ticket_written_offline_is_kept_and_sent_once_when_the_signal_returns(
        app_phone, demo_world):
    page = app_phone
    slug = demo_world.community.slug
    resident = demo_world.users["resident"]
    login_zh(page, "resident")
    worker_ready(page)
    form_url = f"{page.base_url}/community/{slug}/tickets/new/"
    page.goto(form_url)  # read once online: the worker keeps the form page
    before = RepairTicket.objects.filter(reporter=resident).count()

    page.context.set_offline(True)
    page.goto(form_url)
    expect(page.locator("#offline-banner")).to_be_visible()
    page.select_option("select[name=category]", "electrical")
    page.fill("input[name=location]", "3栋楼道")
    page.fill("textarea[name=description]", "楼道灯不亮了。")
    page.set_input_files("input[name=photos]", str(PHOTO))
    page.click("form[data-draft] button[type=submit]")
    page.locator("#draft-notice").wait_for(state="visible")
    expect(page.locator("#drafts li.draft-pending")).to_have_count(1)
    assert "楼道灯不亮了" in page.locator("#drafts").inner_text()
    assert RepairTicket.objects.filter(reporter=resident).count() == before

    # Back online: the page sends it by itself; the test sends the same draft twice more at once.
    page.evaluate("""async () => {
        const [draft] = await synergyDrafts.list();
        window.__twice = Promise.all([synergyDrafts.send({...draft}), synergyDrafts.send({...draft})]);
    }""")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.evaluate("window.__twice")
    page.locator("#drafts").wait_for(state="hidden")
    tickets = RepairTicket.objects.filter(reporter=resident)
    assert tickets.count() == before + 1
    ticket = tickets.latest("pk")
    assert ticket.location == "3栋楼道" and ticket.photos.count() == 1
    assert page.evaluate("synergyDrafts.pendingCount()") == 0


def test_a_refused_draft_stays_on_the_list_with_its_reason(app_phone, demo_world):
    page = app_phone
    slug = demo_world.community.slug
    login_zh(page, "resident")
    worker_ready(page)
    form_url = f"{page.base_url}/community/{slug}/tickets/new/"
    page.goto(form_url)
    page.context.set_offline(True)
    page.goto(form_url)
    page.select_option("select[name=category]", "electrical")
    page.fill("input[name=location]", "5栋")  # no description: the server will refuse it
    page.click("form[data-draft] button[type=submit]")
    page.locator("#drafts li.draft-pending").wait_for()
    page.context.set_offline(False)
    page.evaluate("synergyDrafts.sendAll()")
    refused = page.locator("#drafts li.draft-refused")
    refused.wait_for()
    assert refused.locator(".errors li").count() >= 1
    page.reload()
    page.locator("#drafts li.draft-refused").wait_for()  # never dropped


def test_a_ticket_whose_send_fails_on_the_way_is_kept_by_the_worker(app_phone, demo_world):
    page = app_phone
    slug = demo_world.community.slug
    resident = demo_world.users["resident"]
    login_zh(page, "resident")
    worker_ready(page)
    form_url = f"{page.base_url}/community/{slug}/tickets/new/"
    page.goto(form_url)
    before = RepairTicket.objects.filter(reporter=resident).count()
    # The phone believes it is online, but the POST never reaches the server.
    page.context.route("**/tickets/new/", lambda route: route.abort("internetdisconnected")
                       if route.request.method == "POST" else route.continue_())
    page.select_option("select[name=category]", "plumbing")
    page.fill("textarea[name=description]", "厨房水管漏水。")
    with page.expect_navigation():
        page.click("form[data-draft] button[type=submit]")
    page.locator("#drafts li.draft-pending").wait_for()
    assert RepairTicket.objects.filter(reporter=resident).count() == before
    page.context.unroute("**/tickets/new/")
    page.evaluate("synergyDrafts.sendAll()")
    page.locator("#drafts").wait_for(state="hidden")
    assert RepairTicket.objects.filter(reporter=resident).count() == before + 1


def test_another_person_logging_in_without_a_logout_finds_nothing_of_the_first(
        app_phone, demo_world):
    page = app_phone
    login_zh(page, "resident")
    worker_ready(page)
    page.goto(f"{page.base_url}/villages/orders/")
    assert any(u.endswith("/villages/orders/") for u in cached_page_urls(page))
    login_zh(page, "manager")  # the cookies cleared (a session gone), no logout pressed
    assert not [u for u in cached_page_urls(page) if u.endswith("/villages/orders/")]


def test_a_coordinators_product_with_a_photo_written_offline_arrives_once(app_phone, demo_world):
    page = app_phone
    village = demo_world.village
    login_zh(page, "coordinator")
    worker_ready(page)
    form_url = f"{page.base_url}/villages/manage/{village.pk}/products/new/"
    page.goto(form_url)
    before = Product.objects.filter(village=village).count()

    page.context.set_offline(True)
    page.goto(form_url)
    page.fill("input[name=name]", "高山梨膏")
    page.select_option("select[name=category]", index=1)
    page.fill("input[name=unit]", "瓶")
    page.fill("input[name=price]", "38")
    page.fill("input[name=stock]", "12")
    page.set_input_files("input[name=photo]", str(PHOTO))
    page.click("form[data-draft] button[type=submit]")
    page.locator("#drafts li.draft-pending").wait_for()
    assert Product.objects.filter(village=village).count() == before

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#drafts").wait_for(state="hidden")
    product = Product.objects.get(village=village, name="高山梨膏")
    assert product.photos.count() == 1 and product.stock == 12
