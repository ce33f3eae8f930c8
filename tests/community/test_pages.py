"""Pages render for the right people, on the seeded demo world, in both languages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community import demo
from community.models import Bill, Business, RepairTicket, TicketStatus, VillageFollow
from synergy.core.demo import seed_core
from synergy.core.selectors import paired_villages
from tests.factories import PairingFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = seed_core()
    demo.seed(w)
    return w


def _client(user, language="en"):
    c = Client()
    if user is not None:
        c.force_login(user)
    c.cookies["django_language"] = language
    return c


PAGES = ["", "notices/", "tickets/", "tickets/new/", "bills/", "businesses/", "services/", "housing/"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("page", PAGES)
def test_resident_pages_render_with_content(world, page, language):
    response = _client(world.users["resident"], language).get(f"/community/{world.community.slug}/{page}")
    assert response.status_code == 200
    assert world.community.name in response.content.decode()


@pytest.mark.parametrize("page", ["notices/", "tickets/", "bills/", "services/", "housing/"])
def test_manager_pages_render(world, page):
    response = _client(world.users["manager"]).get(f"/community/{world.community.slug}/{page}")
    assert response.status_code == 200


def test_seed_is_idempotent_and_fills_every_page(world):
    counts = (RepairTicket.objects.count(), Bill.objects.count())
    demo.seed(world)
    assert (RepairTicket.objects.count(), Bill.objects.count()) == counts
    html = _client(world.users["manager"]).get(f"/community/{world.community.slug}/bills/").content.decode()
    assert 'id="arrears"' in html and "Record payment" in html
    home = _client(world.users["resident"]).get(f"/community/{world.community.slug}/").content.decode()
    assert 'id="rural-channel"' in home
    assert all(v.name in home for v in world.villages[:1])


def test_outsider_and_anonymous_are_kept_out_of_private_pages(world, outsider):
    slug = world.community.slug
    for page in ["notices/", "tickets/", "bills/", "tickets/new/"]:
        assert _client(outsider).get(f"/community/{slug}/{page}").status_code == 403
        assert _client(None).get(f"/community/{slug}/{page}").status_code == 302  # to login
    ticket = RepairTicket.objects.filter(community=world.community).first()
    assert _client(outsider).get(f"/community/tickets/{ticket.pk}/").status_code == 404
    home = _client(outsider).get(f"/community/{slug}/").content.decode()
    assert 'id="notices"' not in home and 'id="rural-channel"' in home


def test_manager_assigns_from_the_page_and_a_refused_transition_shows_the_sentence(world):
    ticket = RepairTicket.objects.get(community=world.community, status=TicketStatus.OPEN)
    manager = world.users["manager"]
    c = _client(manager)
    r = c.post(f"/community/tickets/{ticket.pk}/", {"action": "assign",
                                                    "assignee": f"v:{world.village.pk}"})
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ASSIGNED and ticket.assignee_village == world.village
    r = c.post(f"/community/tickets/{ticket.pk}/", {"action": "close"}, follow=True)
    assert "only a resolved ticket can be closed" in r.content.decode()


def test_csv_export_page(world):
    r = _client(world.users["manager"]).get(f"/community/{world.community.slug}/bills/export.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert _client(world.users["resident"]).get(
        f"/community/{world.community.slug}/bills/export.csv").status_code == 403


def test_follow_button_toggles(world):
    resident = world.users["resident"]
    village = world.villages[1]
    c = _client(resident)
    c.post(f"/community/villages/{village.pk}/follow/", {"action": "follow"})
    assert VillageFollow.objects.filter(user=resident, village=village).exists()
    c.post(f"/community/villages/{village.pk}/follow/", {"action": "unfollow"})
    assert not VillageFollow.objects.filter(user=resident, village=village).exists()


def test_rural_channel_section_is_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [v.name for v in paired_villages(community=world.community)]
    assert len(names) == 3


def test_community_home_query_count_is_constant_for_2_and_20_paired_villages(
        community, resident):
    """The rural channel section costs the same number of queries however many villages."""
    client = _client(resident)
    counts = {}
    for target in (2, 20):
        while community.pairings.count() < target:
            PairingFactory(community=community, village=VillageFactory())
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(f"/community/{community.slug}/").content.decode()
        assert html.count('class="village"') == target
        counts[target] = len(ctx.captured_queries)
    assert counts[2] == counts[20], counts


def test_chinese_page_shows_the_rural_channel_in_chinese(world):
    html = _client(world.users["resident"], "zh-hans").get(
        f"/community/{world.community.slug}/").content.decode()
    assert "乡村频道" in html and "公告" in html


def test_community_catalogue_is_complete():
    po = polib.pofile(str(Path(demo.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == []
    assert (Path(demo.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.mo").exists()


def test_village_coordinator_starts_work_from_the_page_and_late_assign_shows_sentence(world):
    ticket = RepairTicket.objects.get(community=world.community, status=TicketStatus.ASSIGNED)
    coordinator = world.users["coordinator"]  # coordinates world.village, the assigned team
    c = _client(coordinator)
    page = c.get(f"/community/tickets/{ticket.pk}/").content.decode()
    assert 'value="start"' in page
    c.post(f"/community/tickets/{ticket.pk}/", {"action": "start"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    late = _client(world.users["manager"]).post(
        f"/community/tickets/{ticket.pk}/",
        {"action": "assign", "assignee": f"u:{world.users['manager'].pk}"}, follow=True)
    assert "only an open ticket can be assigned" in late.content.decode()


def test_manager_records_a_payment_from_the_bills_page(world):
    bill = Bill.objects.filter(community=world.community, paid_amount=0).order_by("pk").first()
    c = _client(world.users["manager"])
    page = c.get(f"/community/{world.community.slug}/bills/").content.decode()
    assert f'name="bill" value="{bill.pk}"' in page
    c.post(f"/community/{world.community.slug}/bills/",
           {"bill": bill.pk, "amount": "10.05", "paid_on": "2026-11-01", "method": "cash"})
    bill.refresh_from_db()
    assert bill.paid_amount == Decimal("10.05")
    too_much = c.post(f"/community/{world.community.slug}/bills/",
                      {"bill": bill.pk, "amount": "99999", "paid_on": "2026-11-01", "method": "cash"},
                      follow=True).content.decode()
    assert "still owed on this bill" in too_much


def test_merchant_adds_an_offer_and_a_coupon_from_the_page(world):
    shop = Business.objects.get(community=world.community, owner=world.users["merchant"])
    c = _client(world.users["merchant"])
    url = f"/community/{world.community.slug}/businesses/"
    assert 'value="offer"' in c.get(url).content.decode()
    c.post(url, {"form": "offer", "business": shop.pk, "offer-title": "Tofu 2 yuan"})
    c.post(url, {"form": "coupon", "business": shop.pk, "coupon-code": "tofu", "coupon-title": "T",
                 "coupon-discount": "2 yuan off", "coupon-valid_until": "2099-01-01"})
    assert shop.offers.filter(title="Tofu 2 yuan").exists()
    assert shop.coupons.filter(code="TOFU").exists()
    # Someone else cannot add to this shop.
    r = _client(world.users["resident"]).post(url, {"form": "offer", "business": shop.pk,
                                                    "offer-title": "Fake"}, follow=True)
    assert not shop.offers.filter(title="Fake").exists()
    assert "Only the business owner" in r.content.decode()
