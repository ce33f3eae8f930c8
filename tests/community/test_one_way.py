"""Issue 12 for the community app: permission-aware selectors refuse by themselves, selectors own
filtering (the API and the pages alike), one class per page operation, modules under ~400 lines."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from community import selectors
from community.errors import NoBillsForYou, NotAMember, NotAResident, NotTheManager
from community.models import Business, RepairTicket, TicketStatus
from synergy.core.errors import InvalidFilter, NotAllowed
from tests.community.factories import BillFactory, BusinessFactory, HousingFactory, TicketFactory

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    if user is not None:
        c.force_login(user)
    c.cookies["django_language"] = "en"
    return c


# --------------------------------------------------------------------------- permission-aware fetches


def test_community_get_for_member_refuses_outsiders_with_not_allowed(community, resident, outsider):
    assert selectors.community_get_for_member(user=resident, slug=community.slug) == community
    with pytest.raises(NotAMember) as refused:
        selectors.community_get_for_member(user=outsider, slug=community.slug)
    # A core NotAllowed (403 on the API) and Django's PermissionDenied (403 on a page).
    assert isinstance(refused.value, NotAllowed) and isinstance(refused.value, PermissionDenied)
    assert "not a member" in refused.value.message


def test_manager_bills_and_resident_fetches_refuse_the_wrong_people(community, resident, manager,
                                                                     merchant):
    assert selectors.community_get_for_manager(user=manager, pk=community.pk) == community
    with pytest.raises(NotTheManager):
        selectors.community_get_for_manager(user=resident, pk=community.pk)
    assert selectors.community_get_for_bills(user=resident, pk=community.pk) == community
    with pytest.raises(NoBillsForYou):
        selectors.community_get_for_bills(user=merchant, pk=community.pk)
    assert selectors.resident_unit_get(user=resident, community=community) == "2-301"
    with pytest.raises(NotAResident):
        selectors.resident_unit_get(user=manager, community=community)


def test_a_merchant_is_refused_the_bills_page_and_api_with_the_same_rule(community, merchant, api_as):
    assert _client(merchant).get(f"/community/{community.slug}/bills/").status_code == 403
    response = api_as(merchant).get(f"/api/v1/communities/{community.pk}/bills/")
    assert response.status_code == 403 and "bills" in response.json()["detail"]


# --------------------------------------------------------------------------- selectors own filtering


def test_ticket_page_filters_by_category_through_the_selector(community, resident):
    tap = TicketFactory(community=community, reporter=resident, unit="2-301", category="plumbing")
    TicketFactory(community=community, reporter=resident, unit="2-301", category="electrical")
    page = _client(resident).get(f"/community/{community.slug}/tickets/", {"category": "plumbing"})
    assert page.status_code == 200 and [t.pk for t in page.context["tickets"]] == [tap.pk]


def test_an_invalid_filter_on_a_page_says_why_and_shows_everything(community, resident):
    tap = TicketFactory(community=community, reporter=resident, unit="2-301")
    page = _client(resident).get(f"/community/{community.slug}/tickets/", {"status": "bogus"})
    assert page.status_code == 200 and [t.pk for t in page.context["tickets"]] == [tap.pk]
    assert "bogus" in page.content.decode()  # the message names the refused value


def test_an_invalid_filter_on_the_api_is_a_400_naming_the_field(community, api_as):
    response = api_as(None).get(f"/api/v1/communities/{community.pk}/housing/",
                                {"min_price": "lots", "ordering": "secret"})
    assert response.status_code == 400 and {"min_price", "ordering"} <= set(response.json())


def test_housing_page_and_api_share_the_filters(community, resident, api_as):
    HousingFactory(community=community, posted_by=resident, title="Small flat", area_m2=Decimal("40"))
    HousingFactory(community=community, posted_by=resident, title="Big flat", area_m2=Decimal("120"))
    page = _client(None).get(f"/community/{community.slug}/housing/", {"min_area": "100"})
    assert "Big flat" in page.content.decode() and "Small flat" not in page.content.decode()
    api = api_as(None).get(f"/api/v1/communities/{community.pk}/housing/", {"min_area": "100"})
    assert [row["title"] for row in api.json()["results"]] == ["Big flat"]


def test_business_search_is_a_filter_of_the_selector(community, merchant, api_as):
    BusinessFactory(community=community, owner=merchant, name="Noodle house", description="")
    BusinessFactory(community=community, owner=merchant, name="Bike repair", description="")
    assert [b.name for b in selectors.business_list(community=community,
                                                    filters={"search": "noodle"})] == ["Noodle house"]
    api = api_as(None).get(f"/api/v1/communities/{community.pk}/businesses/", {"search": "bike"})
    assert [row["name"] for row in api.json()["results"]] == ["Bike repair"]


def test_bill_export_takes_the_lists_filters(community, manager):
    BillFactory(community=community, unit="2-301", period="2026-07")
    BillFactory(community=community, unit="5-502", period="2026-07")
    csv_text = _client(manager).get(f"/community/{community.slug}/bills/export.csv",
                                    {"unit": "5-502"}).content.decode("utf-8-sig")
    assert "5-502" in csv_text and "2-301" not in csv_text


def test_the_channel_selector_checks_its_filters(community, resident):
    with pytest.raises(InvalidFilter) as bad:
        selectors.rural_channel_for(community=community, viewer=resident,
                                    filters={"kind": ["nope"], "limit": "0"})
    assert {"kind", "limit"} <= set(bad.value.errors)


# --------------------------------------------------------------------------- one class per operation


def test_ticket_page_action_the_viewer_may_not_use_does_nothing(community, resident, manager, ticket):
    RepairTicket.objects.filter(pk=ticket.pk).update(status=TicketStatus.RESOLVED,
                                                      assignee_user=manager)
    # The manager is not the reporter: the rate action is not theirs, the ticket stays unrated.
    response = _client(manager).post(f"/community/tickets/{ticket.pk}/",
                                     {"action": "rate", "rating": "5", "comment": ""})
    assert response.status_code == 200
    assert RepairTicket.objects.get(pk=ticket.pk).rating is None
    unknown = _client(manager).post(f"/community/tickets/{ticket.pk}/", {"action": "explode"})
    assert unknown.status_code == 200


def test_an_anonymous_shop_form_goes_to_login(community):
    response = _client(None).post(f"/community/{community.slug}/businesses/",
                                  {"form": "shop", "shop-name": "Sneaky"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not Business.objects.filter(name="Sneaky").exists()


def test_a_shop_refused_by_the_service_shows_the_sentence(community, merchant):
    BusinessFactory(community=community, owner=merchant, name="Tea corner")
    response = _client(merchant).post(f"/community/{community.slug}/businesses/", {
        "form": "shop", "shop-name": "Tea corner", "shop-category": "food",
        "shop-description": "", "shop-phone": "", "shop-address": ""}, follow=True)
    assert response.status_code == 200
    assert "already listed" in response.content.decode()
    assert Business.objects.filter(name="Tea corner").count() == 1


# --------------------------------------------------------------------------- module sizes


def test_no_community_module_is_over_400_lines():
    root = Path(__file__).resolve().parents[2] / "community"
    long = {str(p.relative_to(root)): n for p in root.rglob("*.py")
            if "migrations" not in p.parts
            and (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long.keys() <= {"models.py"}, long
