"""Platform bridge: the platform's own activity per prefecture city and year, as indicators
that join the paper's panel (issue 6, item 7).

Analytics reads other apps only through their selectors. The exchange provides
``villages.exchange.selectors.ledger_city_year()`` (DESIGN.md, "The ledger of a pairing"): an
iterable of mappings with ``prefecture_city`` (e.g. "昆明市"), ``year`` and the totals below
(produce value and stays from the village node's orders and bookings, donations and volunteer
hours from the exchange). It lives in the exchange because the exchange may import the village
node, not the reverse. The bridge imports it directly (analytics may read the platform; the
platform never imports analytics); ``source=`` replaces it in tests. When it yields nothing the
bridge returns an empty table and the dashboard says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from villages.exchange.selectors import ledger_city_year

INDICATORS = ["produce_value", "donations", "volunteer_hours", "stays"]
COLUMNS = ["city", "year", *INDICATORS]


def platform_indicators(source: Callable[[], Iterable[Mapping]] | None = None) -> pd.DataFrame:
    """One row per city and year with the four platform indicators (missing totals are 0).

    ``source`` defaults to the exchange's ``ledger_city_year``."""
    source = source or ledger_city_year
    rows = [{"city": r.get("prefecture_city") or r.get("city"), "year": int(r["year"]),
             **{k: float(r.get(k) or 0) for k in INDICATORS}} for r in source()]
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    df = pd.DataFrame(rows, columns=COLUMNS)
    return df.groupby(["city", "year"], as_index=False)[INDICATORS].sum()


def join_panel(panel: pd.DataFrame, platform: pd.DataFrame) -> pd.DataFrame:
    """Left-join the platform indicators onto a city-year panel (city = Chinese name)."""
    if platform.empty:
        return panel.assign(**dict.fromkeys(INDICATORS, pd.NA))
    return panel.merge(platform, on=["city", "year"], how="left", validate="one_to_one")
