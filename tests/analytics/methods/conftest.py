"""Fixtures for the pure methods package: no database, small synthetic panels."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analytics.methods.cities import load_cities
from analytics.methods.pipeline import build_variables
from analytics.methods.synthetic import synthetic_panel

# Public reference data sets live beside the repository (../shared/data/reference, GPL data we
# do not vendor), or at the workplace's shared folder when the checkout is a clone elsewhere (CI
# clones to a temporary folder); SYNERGY_REFERENCE_DATA points elsewhere. Tests skip without.
_CANDIDATES = [
    os.environ.get("SYNERGY_REFERENCE_DATA"),
    Path(__file__).resolve().parents[4] / "shared" / "data" / "reference",
    "/work/shared/data/reference",
]
REFERENCE = next((Path(c) for c in _CANDIDATES if c and Path(c).is_dir()), Path(str(_CANDIDATES[1])))


def reference(name: str) -> Path:
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"reference data set {path} not available")
    return path


@pytest.fixture(scope="session")
def small_cities() -> pd.DataFrame:
    """60 real cities, 20 per region (the full table is for the demo and the bench)."""
    return load_cities().groupby("region").head(20).reset_index(drop=True)


@pytest.fixture(scope="session")
def small_synth(small_cities):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return synthetic_panel(cities=small_cities, seed=7)


@pytest.fixture(scope="session")
def full_synth():
    """The default 282 x 11 panel (about 3 s to build; built once per session)."""
    return synthetic_panel()


@pytest.fixture(scope="session")
def full_built(full_synth):
    return build_variables(full_synth.raw)
