"""The platform bridge aggregates activity per city-year and joins it onto the panel."""

from __future__ import annotations

import pandas as pd

from analytics.bridge import INDICATORS, join_panel, platform_indicators


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
