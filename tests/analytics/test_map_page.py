"""The map of integration: the page, its form errors, its CSV, and the flows per city."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from analytics import services
from analytics.methods.geo import NO_DATA, format_value
from analytics.selectors_map import city_adcode, map_data, platform_flows_by_city
from tests.villages.exchange.factories import CampaignFactory
from villages.exchange import services as exchange_services

pytestmark = pytest.mark.django_db
URL = reverse("analytics:map")
KUNMING = "530100"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def panel_dataset(city_table, small_panel):
    """A dataset that holds Dist and Dig as columns (30 cities x 11 years)."""
    return services.dataset_create_from_frame(user=None, name="small-panel", frame=small_panel,
                                              synthetic=True)


def _fill(html: str, code: str) -> str:
    m = re.search(rf'<path id="c{code}" data-adcode="{code}" d="[^"]*" fill="([^"]+)"', html)
    assert m, f"city {code} not drawn"
    return m.group(1)


def _title(html: str, code: str) -> str:
    m = re.search(rf'data-adcode="{code}"[^>]*><title>([^<]*)</title>', html)
    return m.group(1)


def test_the_map_is_for_analysts_and_admins(client, analyst, admin_user, resident):
    assert client.get(URL).status_code == 302  # anonymous: to the login page
    client.force_login(resident)
    assert client.get(URL).status_code == 403
    for user in (analyst, admin_user):
        client.force_login(user)
        assert client.get(URL).status_code == 200


def test_dataset_column_drawn_for_every_city_and_the_year_changes_the_fill(analyst_client,
                                                                         panel_dataset,
                                                                         small_panel):
    first, last = int(small_panel.year.min()), int(small_panel.year.max())
    pages = {y: analyst_client.get(URL, {"measure": "Dist", "dataset": panel_dataset.pk,
                                         "year": y}, HTTP_ACCEPT_LANGUAGE="zh-hans")
             for y in (first, last)}
    assert all(p.status_code == 200 for p in pages.values())
    html = pages[first].content.decode()
    assert html.count("data-adcode=") == 282
    city = small_panel.city.iloc[0]
    code = city_adcode(city)
    value = small_panel[(small_panel.city == city) & (small_panel.year == first)].Dist.iloc[0]
    assert _title(html, code).startswith(f"{city}: ")
    assert _title(html, code) == f"{city}: {format_value(value)}"
    assert 'type="range"' in html and f'min="{first}"' in html and f'max="{last}"' in html
    assert "无数据" in html  # the legend's grey class, in Chinese
    fills = {y: {c: _fill(p.content.decode(), c)
                 for c in (city_adcode(n) for n in small_panel.city.unique())}
             for y, p in pages.items()}
    assert fills[first] != fills[last]  # another year, another picture
    # Cities outside the small panel are grey.
    outside = next(c for c in ("130100", "530100", "650100")
                   if c not in {city_adcode(n) for n in small_panel.city.unique()})
    assert _fill(html, outside) == NO_DATA
    # The table for screen readers holds the same cities.
    table = html.split('id="map-table"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + small_panel.city.nunique()


def test_dist_built_from_a_raw_dataset(analyst_client, raw_dataset):
    """The demo's dataset holds raw indicators: Dist and Dig are built as a run builds them."""
    for measure in ("Dist", "Dig"):
        data = map_data(measure=measure, dataset=raw_dataset, year=None)
        assert len(data.years) == 11 and len(data.values) == 30
    r = analyst_client.get(URL, {"measure": "Dig", "dataset": raw_dataset.pk})
    assert r.status_code == 200 and r.content.decode().count("data-adcode=") == 282


def test_bad_measure_or_year_is_explained_not_a_500(analyst_client, panel_dataset):
    r = analyst_client.get(URL, {"measure": "<b>GDP</b>", "dataset": panel_dataset.pk},
                           HTTP_ACCEPT_LANGUAGE="en")
    html = r.content.decode()
    assert r.status_code == 400 and 'id="map-errors"' in html
    assert "There is no measure" in html and "<b>GDP</b>" not in html
    r = analyst_client.get(URL, {"year": "twenty", "dataset": panel_dataset.pk},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "whole number" in r.content.decode()
    r = analyst_client.get(URL, {"dataset": "999999"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "no such dataset" in r.content.decode()


def test_empty_state_when_the_dataset_lacks_the_measure_or_year(analyst_client, panel_dataset,
                                                                city_table, small_panel):
    r = analyst_client.get(URL, {"measure": "Dist", "dataset": panel_dataset.pk, "year": 1990},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = r.content.decode()
    assert r.status_code == 200 and 'id="map-empty"' in html and "data-adcode" not in html
    assert "这个数据集没有" in html and "1990" in html
    last = int(small_panel.year.max())
    assert f'&amp;year={last}">{last}</a>' in html.split('id="map-other-years"')[1]
    only_isu = services.dataset_create_from_frame(
        user=None, name="isu-only", frame=small_panel[["city", "year", "Isu"]], synthetic=True)
    html = analyst_client.get(URL, {"measure": "Dig", "dataset": only_isu.pk},
                              HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "这个数据集没有" in html and 'type="range"' not in html


def test_csv_of_the_shown_values(analyst_client, panel_dataset, small_panel):
    year = int(small_panel.year.max())
    r = analyst_client.get(URL, {"measure": "Dist", "dataset": panel_dataset.pk, "year": year,
                                 "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == small_panel.city.nunique()
    want = small_panel[small_panel.year == year].set_index("city").Dist
    for row in rows:
        assert row["year"] == str(year) and row["adcode"] == city_adcode(row["city"])
        assert row["city_en"] and row["city_en"] != row["city"]
        assert float(row["Dist"]) == pytest.approx(want[row["city"]], rel=1e-12)


def _donate(pairing, resident, amount: str) -> None:
    campaign = CampaignFactory(village=pairing.village)
    exchange_services.donation_give(donor=resident, campaign=campaign, amount=Decimal(amount),
                                    idempotency_key=f"map-{amount}")


def test_a_donation_shows_in_its_citys_value(analyst_client, pairing, resident):
    """The flows selector: community's prefecture city (昆明市) -> adcode 530100."""
    assert pairing.community.prefecture_city == "昆明市"
    _donate(pairing, resident, "120.50")
    year = timezone.now().year
    flows = platform_flows_by_city(measure="donations")
    assert flows[year] == {KUNMING: 120.5}
    html = analyst_client.get(URL, {"measure": "donations"},
                              HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert _title(html, KUNMING) == "昆明市: 120.5"
    assert _fill(html, KUNMING) != NO_DATA and _fill(html, "130100") == NO_DATA
    assert 'name="dataset"' not in html or 'type="hidden" name="dataset"' in html


def test_flows_without_activity_say_so(analyst_client):
    html = analyst_client.get(URL, {"measure": "stays"},
                              HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="map-empty"' in html and "The platform has no recorded data" in html


def test_the_dashboard_and_the_nav_link_to_the_map(analyst_client):
    html = analyst_client.get(reverse("analytics:dashboard")).content.decode()
    assert 'id="map-link"' in html and 'id="nav-map"' in html and URL in html
