"""The one JSON-float helper: NaN and infinity become None, numpy values plain Python."""

import json
import math

import numpy as np
import pandas as pd

from analytics.methods.journal import format_significant
from analytics.methods.jsonfloat import finite_dict, finite_list, finite_or_none, jsonable
from analytics.methods.panel import fit
from analytics.methods.stars import stars


def test_finite_or_none():
    assert finite_or_none(None) is None
    assert finite_or_none(float("nan")) is None
    assert finite_or_none(np.inf) is None and finite_or_none(-np.inf) is None
    value = finite_or_none(np.float64(1.5))
    assert value == 1.5 and type(value) is float
    assert type(finite_or_none(np.int64(2))) is float


def test_lists_and_dicts():
    assert finite_list(np.array([1.0, np.nan, np.inf])) == [1.0, None, None]
    assert finite_dict({"a": np.float64(2), "b": np.nan}) == {"a": 2.0, "b": None}


def test_jsonable_makes_valid_json():
    obj = {1: np.array([1.0, np.nan]), "t": (np.int64(3), np.bool_(True)), "f": -np.inf,
           "s": "x", "n": None}
    out = jsonable(obj)
    assert out == {"1": [1.0, None], "t": [3, True], "f": None, "s": "x", "n": None}
    assert type(out["t"][0]) is int and type(out["t"][1]) is bool
    json.dumps(out, allow_nan=False)


def test_formatting_treats_non_finite_as_blank():
    assert format_significant(float("nan")) == "" and format_significant(None) == ""
    assert format_significant(float("inf")) == ""
    assert format_significant(np.float64(0.12345)) == "0.1235"
    assert stars(float("nan")) == "" and stars(None) == "" and stars(0.001) == "***"


def test_fit_results_are_strict_json(small_synth):
    res = fit(small_synth.panel, "Dist ~ Dig + Ur")
    res.r2_within = math.nan  # a degenerate fit: the dict says null, not NaN
    d = res.to_dict()
    assert d["r2_within"] is None
    json.dumps(d, allow_nan=False)
    assert pd.notna(d["params"]["Dig"])
