"""Issue 14: cancelling an order or a stay asks first, on a confirm step naming what is lost
("Cancel your 14-night stay at …?", the dates and the amount); the API is unchanged."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import formats, timezone, translation

from villages import services
from villages.models import Booking, BookingStatus, Order, OrderStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _client(user, lang="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    return client


def _day(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def stay(resident, offer):
    return services.booking_create(guest=resident, offer=offer, start_date=_day(3),
                                   end_date=_day(17), guests=2)


def test_my_bookings_links_to_the_confirm_step_not_a_one_tap_post(resident, stay):
    body = _client(resident).get("/villages/bookings/").content.decode()
    assert f'href="/villages/bookings/{stay.pk}/cancel/"' in body
    assert f'action="/villages/bookings/{stay.pk}/cancel/"' not in body


def test_stay_confirm_step_names_nights_place_and_amount(resident, stay, offer):
    response = _client(resident).get(f"/villages/bookings/{stay.pk}/cancel/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Cancel your 14-night stay at “{offer.title}”, {offer.village.name}?" in body
    assert "¥5,040.00" in body and formats.date_format(_day(3)) in body
    assert stay.total == 5040  # 14 nights × 2 guests × ¥180
    assert Booking.objects.get(pk=stay.pk).status == BookingStatus.REQUESTED  # nothing changed yet
    response = _client(resident).post(f"/villages/bookings/{stay.pk}/cancel/",
                                      {"next": "/villages/bookings/"})
    assert response.status_code == 302
    assert Booking.objects.get(pk=stay.pk).status == BookingStatus.CANCELLED


def test_stay_confirm_step_in_chinese(resident, stay):
    response = _client(resident, "zh-hans").get(f"/villages/bookings/{stay.pk}/cancel/")
    assert response.status_code == 200 and 'id="confirm-yes"' in response.content.decode()


def test_coordinator_confirm_step_names_the_guest(coordinator, resident, stay):
    body = _client(coordinator).get(f"/villages/bookings/{stay.pk}/cancel/?next=/villages/manage/"
                                    ).content.decode()
    who = resident.get_full_name() or resident.username
    assert f"Cancel {who}&#x27;s 14-night stay" in body or f"Cancel {who}'s 14-night stay" in body


def test_others_cannot_see_the_confirm_step(outsider, stay):
    assert _client(outsider).get(f"/villages/bookings/{stay.pk}/cancel/").status_code in (403, 404)


def test_order_confirm_step(resident, community, product):
    order = services.order_place(buyer=resident, pickup_community=community,
                                 items=[{"product": product.pk, "quantity": 2}])
    client = _client(resident)
    detail = client.get(f"/villages/orders/{order.pk}/").content.decode()
    assert f'href="/villages/orders/{order.pk}/cancel/"' in detail
    body = client.get(f"/villages/orders/{order.pk}/cancel/").content.decode()
    assert f"Cancel your order {order.pk} from {order.village.name} (¥{order.total})?" in body
    assert f"{product.name} × 2" in body
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    client.post(f"/villages/orders/{order.pk}/cancel/")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_the_api_cancel_is_unchanged(api_as, resident, stay):
    response = api_as(resident).post(f"/api/v1/bookings/{stay.pk}/cancel/")
    assert response.status_code == 200
    assert Booking.objects.get(pk=stay.pk).status == BookingStatus.CANCELLED
