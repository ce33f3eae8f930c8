"""Pickup codes and the pickup counter: the code is the buyer's alone; staff named by the
community's manager hand orders over with it; a wrong code is refused; picking lists."""

import csv
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.races import run_together
from villages import services
from villages.models import GroupBuyRound, Order, OrderStatus, OrderStatusChange, PickupStaff, RoundStatus
from villages.services import pickup as pickup_services


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read English messages; the site's default language is zh-hans."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")



@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _place(buyer, community, product, qty=2, round=None):
    return services.order_place(buyer=buyer, pickup_community=community, round=round,
                                items=[{"product": product.pk, "quantity": qty}])


@pytest.fixture
def staff(community, manager):
    person = MembershipFactory(role=Role.RESIDENT, community=community, unit="9-901",
                               user__username="counter1").user
    services.pickup_staff_add(by=manager, community=community, user=person)
    return person


def _wrong(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_only_the_manager_names_and_removes_pickup_staff(community, manager, resident, outsider):
    person = UserFactory()
    with pytest.raises(NotAllowed):
        services.pickup_staff_add(by=resident, community=community, user=person)
    row = services.pickup_staff_add(by=manager, community=community, user=person)
    with pytest.raises(Conflict):
        services.pickup_staff_add(by=manager, community=community, user=person)
    with pytest.raises(NotAllowed):
        services.pickup_staff_remove(by=outsider, staff=row)
    services.pickup_staff_remove(by=manager, staff=row)
    assert not PickupStaff.objects.exists()


def test_the_pickup_code_is_shown_to_the_buyer_only(resident, coordinator, community, product, api_as):
    order = _place(resident, community, product)
    mine = api_as(resident).get(f"/api/v1/orders/{order.pk}/")
    assert mine.data["pickup_code"] == order.pickup_code
    assert api_as(resident).get("/api/v1/orders/").data["results"][0]["pickup_code"] == order.pickup_code
    theirs = api_as(coordinator).get(f"/api/v1/orders/{order.pk}/")
    assert theirs.status_code == 200 and theirs.data["pickup_code"] is None
    village_list = api_as(coordinator).get(f"/api/v1/villages/{order.village_id}/orders/")
    assert village_list.data["results"][0]["pickup_code"] is None
    assert order.pickup_code not in str(theirs.content) and order.pickup_code not in str(
        village_list.content)
    buyer_page = Client()
    buyer_page.force_login(resident)
    html = buyer_page.get(f"/villages/orders/{order.pk}/").content.decode()
    assert order.pickup_code in html and "<svg" in html and 'id="pickup-code"' in html
    coordinator_page = Client()
    coordinator_page.force_login(coordinator)
    html = coordinator_page.get(f"/villages/orders/{order.pk}/").content.decode()
    assert order.pickup_code not in html and 'id="pickup-code"' not in html


def test_staff_hand_over_with_the_code_once(resident, community, product, staff, api_as):
    order = _place(resident, community, product)  # a placed order outside a round
    client = api_as(staff)
    wrong = client.post(f"/api/v1/orders/{order.pk}/collect/", {"code": _wrong(order.pickup_code)},
                        format="json")
    assert wrong.status_code == 400 and "code" in wrong.data
    assert api_as(staff).post(f"/api/v1/orders/{order.pk}/collect/", {"code": "12ab"},
                              format="json").status_code == 400
    done = client.post(f"/api/v1/orders/{order.pk}/collect/", {"code": order.pickup_code},
                       format="json")
    assert done.status_code == 200 and done.data["status"] == "collected"
    assert done.data["pickup_code"] is None  # the staff never get the code back
    order.refresh_from_db()
    assert (order.status, order.collected_by) == (OrderStatus.COLLECTED, staff)
    assert order.collected_at is not None
    assert OrderStatusChange.objects.filter(order=order, to_status="collected",
                                            changed_by=staff).count() == 1
    assert resident.notifications.filter(kind="villages.order_collected").count() == 1
    again = client.post(f"/api/v1/orders/{order.pk}/collect/", {"code": order.pickup_code},
                        format="json")
    assert again.status_code == 409


def test_collect_is_refused_to_everyone_but_the_staff(resident, coordinator, outsider, community,
                                                       other_community, product, api_as):
    order = _place(resident, community, product)
    body = {"code": order.pickup_code}
    assert api_as(None).post(f"/api/v1/orders/{order.pk}/collect/", body,
                             format="json").status_code == 401
    assert api_as(outsider).post(f"/api/v1/orders/{order.pk}/collect/", body,
                                 format="json").status_code == 404
    assert api_as(resident).post(f"/api/v1/orders/{order.pk}/collect/", body,
                                 format="json").status_code == 403
    assert api_as(coordinator).post(f"/api/v1/orders/{order.pk}/collect/", body,
                                    format="json").status_code == 403
    elsewhere = MembershipFactory(role=Role.PROPERTY_MANAGER, community=other_community, unit="").user
    assert api_as(elsewhere).post(f"/api/v1/orders/{order.pk}/collect/", body,
                                  format="json").status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


def test_a_placed_order_of_a_round_not_formed_is_not_handed_over(resident, community, product,
                                                                  open_round, staff):
    order = _place(resident, community, product, round=open_round)
    with pytest.raises(Conflict):
        services.order_collect(by=staff, order=order, code=order.pickup_code)
    GroupBuyRound.objects.filter(pk=open_round.pk).update(status=RoundStatus.DELIVERED,
                                                          delivered_at=open_round.cutoff_at)
    services.order_collect(by=staff, order=order, code=order.pickup_code)
    order.refresh_from_db()
    assert order.status == OrderStatus.COLLECTED


def test_wrong_codes_are_limited_per_person(resident, community, product, staff):
    order = _place(resident, community, product)
    for _ in range(pickup_services.MAX_WRONG_CODES):
        with pytest.raises(Invalid) as wrong:
            services.order_find_by_code(by=staff, community=community, code=_wrong(order.pickup_code))
        assert wrong.value.field == "code"
    with pytest.raises(Invalid, match="Too many"):
        services.order_find_by_code(by=staff, community=community, code=order.pickup_code)


def test_the_counter_page_finds_the_order_and_hands_it_over(resident, community, product, staff):
    order = _place(resident, community, product)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    wrong = client.post("/villages/pickup/", {"community": community.pk,
                                             "code": _wrong(order.pickup_code)})
    assert wrong.status_code == 400 and "code" in wrong.context["form"].errors
    page = client.post("/villages/pickup/", {"community": community.pk, "code": order.pickup_code})
    assert page.status_code == 200 and page.context["order"] == order
    html = page.content.decode()
    assert str(resident) in html and product.name in html and 'id="scan-button"' in html
    assert 'form method="post" id="code-form"' in html  # the code never goes into a URL
    client.post(f"/villages/pickup/orders/{order.pk}/hand-over/", {"code": order.pickup_code})
    order.refresh_from_db()
    assert order.status == OrderStatus.COLLECTED
    desk = client.get("/desk/")
    assert "/villages/pickup/" in desk.content.decode()


def test_the_manager_page_adds_staff_by_username(community, manager, resident):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(manager)
    person = UserFactory(username="helper9")
    client.post(f"/villages/pickup/staff/{community.pk}/", {"username": "helper9"})
    assert PickupStaff.objects.filter(community=community, user=person).exists()
    other = Client()
    other.force_login(resident)
    assert other.get(f"/villages/pickup/staff/{community.pk}/").status_code == 404


def test_picking_list_csv_and_xlsx(resident, coordinator, community, product, open_round, staff,
                                   outsider):
    order = _place(resident, community, product, qty=3, round=open_round)
    services.order_mark_paid(by=coordinator, order=order, method="cash")
    url = f"/villages/manage/rounds/{open_round.pk}/picking/{community.pk}/"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    page = client.get(url)
    assert page.status_code == 200 and product.name in page.content.decode()
    assert order.pickup_code not in page.content.decode()
    raw = client.get(url + "?format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))
    assert rows[0] == ["Order", "Buyer", "Items", "Total (CNY)", "Paid", "Status"]
    assert rows[1][:5] == [str(order.pk), str(resident), f"{product.name} × 3 kg", "37.50", "yes"]
    assert order.pickup_code not in raw
    staff_client = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff_client.force_login(staff)
    book = load_workbook(io.BytesIO(staff_client.get(url + "?format=xlsx").content))
    cells = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert cells[0][0] == "Order" and cells[1][0] == order.pk and float(cells[1][3]) == 37.5
    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.get(url + "?format=csv").status_code == 404


def test_the_manager_desk_links_the_counter_and_staff_and_the_round_page_the_picking_list(
        manager, coordinator, community, open_round):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(manager)
    desk = client.get("/desk/?role=property_manager").content.decode()
    assert f"/villages/pickup/?community={community.pk}" in desk
    assert f"/villages/pickup/staff/{community.pk}/" in desk
    counter = client.get(f"/villages/pickup/?community={community.pk}").content.decode()
    assert f"/villages/manage/rounds/{open_round.pk}/picking/{community.pk}/" in counter
    client.force_login(coordinator)
    page = client.get(f"/villages/manage/rounds/{open_round.pk}/").content.decode()
    assert f"/villages/manage/rounds/{open_round.pk}/picking/{community.pk}/" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_counters_handing_one_order_over_at_once_collect_it_once(requires_postgres, resident,
                                                                     community, product, manager,
                                                                     staff):
    order = _place(resident, community, product)
    people = [manager, staff] * 4
    results = run_together(len(people), lambda i: services.order_collect(
        by=people[i], order=Order.objects.get(pk=order.pk), code=order.pickup_code))
    assert sum(isinstance(r, Order) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 7, results
    assert OrderStatusChange.objects.filter(order=order, to_status="collected").count() == 1
    assert resident.notifications.filter(kind="villages.order_collected").count() == 1
