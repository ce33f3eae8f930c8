"""The platform bridge aggregates activity per city-year and joins it onto the panel."""

from __future__ import annotations

import pandas as pd
from django.urls import reverse

from analytics.bridge import INDICATORS, join_panel, platform_indicators
from synergy.core.demo import seed_core
from villages import demo as village_demo
from villages.exchange import demo as exchange_demo
from villages.exchange.selectors import ledger_city_year


def test_bridge_sums_per_city_year_and_joins():
    def source():
        return [
            {"prefecture_city": "昆明市", "year": 2024, "produce_value": 120.5, "donations": 30},
            {"prefecture_city": "昆明市", "year": 2024, "volunteer_hours": 6, "stays": 2},
            {"prefecture_city": "昆明市", "year": 2025, "produce_value": 10},
        ]

    plat = platform_indicators(source)
    row = plat[(plat.city == "昆明市") & (plat.year == 2024)].iloc[0]
    assert (row.produce_value, row.donations, row.volunteer_hours, row.stays) == (
        120.5, 30.0, 6.0, 2.0)
    panel = pd.DataFrame({"city": ["昆明市", "昆明市", "唐山市"], "year": [2024, 2025, 2024],
                          "Dist": [0.2, 0.19, 0.3]})
    joined = join_panel(panel, plat)
    assert joined.loc[1, "produce_value"] == 10.0
    assert joined.loc[2, INDICATORS].isna().all()


def test_bridge_without_a_source_is_empty():
    assert platform_indicators(lambda: []).empty
    assert list(platform_indicators(lambda: []).columns) == ["city", "year", *INDICATORS]


def test_dashboard_platform_table_shows_the_seeded_activity(db, client):
    """After the demo seed, the default source (villages.exchange.selectors.ledger_city_year)
    gives every indicator a non-zero figure for the seeded city, and the dashboard shows it."""
    world = seed_core()
    village_demo.seed(world)
    exchange_demo.seed(world)

    plat = platform_indicators()  # the default source is the exchange's ledger
    pd.testing.assert_frame_equal(plat, platform_indicators(ledger_city_year))
    city = world.communities[0].prefecture_city
    totals = plat[plat.city == city][INDICATORS].sum()
    assert (totals > 0).all(), totals.to_dict()

    client.force_login(world.users["analyst"])
    html = client.get(reverse("analytics:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = html.split('id="platform"')[1].split("</section>")[0]
    assert city in table and "No platform activity" not in table
    first = plat[plat.city == city].iloc[0]
    assert f"{first.produce_value:.2f}" in table and f"{first.donations:.2f}" in table
