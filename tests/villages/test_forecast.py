"""Harvest planning: the seasonal-average forecast, a product's demand, its page, CSV and API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from synergy.core.errors import NotAllowed
from tests.villages.factories import RoundFactory
from villages import forecasting
from villages.forecasting import forecast_next_round
from villages.models import OrderItem, OrderStatus, RoundPickup, RoundProduct, RoundStatus
from villages.selectors import product_demand_for_coordinator
from villages.services.pickup_codes import order_create_with_pickup_code

D = dt.date


# --- the maths ------------------------------------------------------------------------------

def test_seasonal_average_uses_same_quarter_of_earlier_years():
    history = [(D(2024, 11, 1), 10), (D(2025, 2, 1), 99), (D(2025, 12, 1), 13),
               (D(2026, 10, 5), 50)]  # 2026 Q4 is this year: not an earlier year
    f = forecast_next_round(history, target=D(2026, 12, 2))
    assert (f.units, f.method, f.rounds_used) == (Decimal("11.50"), forecasting.SEASONAL, 2)
    assert f.units_to_plan == 12


def test_month_season_and_fallback_to_last_three():
    history = [(D(2025, 1, 1), 1), (D(2025, 5, 1), 10), (D(2025, 6, 1), 20), (D(2025, 7, 1), 25)]
    f = forecast_next_round(history, target=D(2026, 8, 1), season=forecasting.MONTH)
    assert (f.units, f.method, f.rounds_used) == (Decimal("18.33"), forecasting.RECENT, 3)
    f = forecast_next_round(history, target=D(2026, 6, 1), season=forecasting.MONTH)
    assert (f.units, f.method, f.rounds_used) == (Decimal("20.00"), forecasting.SEASONAL, 1)


def test_fewer_than_three_rounds_and_none():
    f = forecast_next_round([(D(2026, 3, 1), 4), (D(2026, 1, 1), 7)], target=D(2026, 6, 1))
    assert (f.units, f.method, f.rounds_used) == (Decimal("5.50"), forecasting.RECENT, 2)
    f = forecast_next_round([], target=D(2026, 6, 1))
    assert (f.units, f.method, f.rounds_used, f.units_to_plan) == (
        Decimal("0.00"), forecasting.NO_HISTORY, 0, 0)


# --- selector, permissions, page, CSV, API ----------------------------------------------------

@pytest.fixture
def history(product, community, pairing, resident, village):
    """Two past delivered rounds (Dec last year: 5 units; Sept this year: 8, one order
    cancelled), a failed round (left out), and an open round offering the product."""
    now = timezone.now()
    rounds = []
    for back, qtys in ((365, [5]), (90, [8, 30]), (60, [40])):
        r = RoundFactory(village=village, cutoff_at=now - dt.timedelta(days=back),
                         status=RoundStatus.FAILED if back == 60 else RoundStatus.DELIVERED,
                         delivered_at=now, closed_at=now)
        RoundPickup.objects.create(round=r, community=community, pickup_point="Gate")
        RoundProduct.objects.create(round=r, product=product, group_price=Decimal("5"))
        for i, q in enumerate(qtys):
            status = OrderStatus.CANCELLED if i or back == 60 else OrderStatus.COLLECTED
            o = order_create_with_pickup_code(buyer=resident, village=village,
                                              pickup_community=community, pairing=pairing,
                                              round=r, pickup_point="Gate", status=status,
                                              total=Decimal("5") * q)
            OrderItem.objects.create(order=o, product=product, product_name=product.name,
                                     unit=product.unit, quantity=q, unit_price=Decimal("5"),
                                     line_total=Decimal("5") * q)
        rounds.append(r)
    nxt = RoundFactory(village=village, cutoff_at=now + dt.timedelta(days=3))
    RoundProduct.objects.create(round=nxt, product=product, group_price=Decimal("5"))
    return rounds, nxt


def test_selector_gives_past_rounds_and_forecast(history, product, coordinator, community):
    rounds, nxt = history
    d = product_demand_for_coordinator(viewer=coordinator, product=product)
    assert [(r.round_id, r.total, r.units) for r in d.rounds] == [
        (rounds[0].pk, 5, {community.pk: 5}), (rounds[1].pk, 8, {community.pk: 8})]
    assert d.next_round == nxt
    assert d.forecast.rounds_used in (1, 2) and d.forecast.units in (Decimal("5.00"),
                                                                     Decimal("6.50"))
    assert d.community_forecasts[community.pk] == d.forecast


def test_selector_refuses_others(history, product, resident):
    with pytest.raises(NotAllowed):
        product_demand_for_coordinator(viewer=resident, product=product)


def test_page_csv_and_api(history, product, coordinator, resident, client):
    client.force_login(coordinator)
    html = client.get(reverse("villages:product_demand", args=[product.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<svg" in html and "forecast-method" in html and ("average of" in html)
    assert reverse("villages:product_demand", args=[product.pk]) in client.get(
        reverse("villages:product_edit", args=[product.pk])).content.decode()
    csv = client.get(reverse("villages:product_demand_csv", args=[product.pk]),
                     HTTP_ACCEPT_LANGUAGE="en")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 2 + 2 and lines[1].endswith(",5,5") and lines[2].endswith(",8,8")
    api = client.get(f"/api/v1/products/{product.pk}/demand/").json()
    assert [r["total"] for r in api["rounds"]] == [5, 8] and api["next_round"]["id"] == history[1].pk
    client.force_login(resident)
    assert client.get(f"/api/v1/products/{product.pk}/demand/").status_code == 403
    assert client.get(reverse("villages:product_demand", args=[product.pk])).status_code == 404
    client.logout()
    assert client.get(f"/api/v1/products/{product.pk}/demand/").status_code in (401, 403)
