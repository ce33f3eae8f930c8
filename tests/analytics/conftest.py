"""Analytics fixtures: the city table, a small synthetic dataset, CSV files on disk."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from analytics import services
from analytics.methods.cities import load_cities
from analytics.methods.synthetic import synthetic_panel


@pytest.fixture(scope="session")
def small_raw() -> pd.DataFrame:
    """Raw indicators of 30 real cities (10 per region) x 11 years. SYNTHETIC."""
    cities = load_cities().groupby("region").head(10).reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return synthetic_panel(cities=cities, seed=4).raw


@pytest.fixture(scope="session")
def small_panel() -> pd.DataFrame:
    cities = load_cities().groupby("region").head(10).reset_index(drop=True)
    return synthetic_panel(cities=cities, seed=4).panel


@pytest.fixture
def city_table(db):
    services.city_table_sync()


@pytest.fixture
def raw_dataset(city_table, small_raw):
    return services.dataset_create_from_frame(user=None, name="small-raw", frame=small_raw,
                                              synthetic=True)


@pytest.fixture
def panel_csv(tmp_path, small_panel):
    path = tmp_path / "panel.csv"
    small_panel.to_csv(path, index=False)
    return path
