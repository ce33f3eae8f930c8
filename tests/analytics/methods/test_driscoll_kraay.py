"""Driscoll-Kraay covariance (analytics.methods.estimation.driscoll_kraay).

Checked against linearmodels' PanelOLS kernel covariance, against pyfixest's CRV1 by period
(bandwidth 0 is clustering by period) and against xtscc's own Mata formula written out here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.methods.estimation.driscoll_kraay import default_bandwidth, driscoll_kraay_cov

REGRESSORS = ["const", "x1", "x2"]


def common_shock_panel(*, n_units: int = 15, n_periods: int = 40, keep: float = 0.9, seed: int = 0):
    """An unbalanced panel whose units share an AR(1) period shock in x1 and in the error."""
    rng = np.random.default_rng(seed)
    shock = np.zeros(n_periods)
    for t in range(1, n_periods):
        shock[t] = 0.6 * shock[t - 1] + rng.normal()
    index = pd.MultiIndex.from_product([range(n_units), range(n_periods)], names=["unit", "period"])
    period = index.get_level_values("period").to_numpy()
    x1 = rng.normal(size=len(index)) + shock[period]
    x2 = rng.normal(size=len(index))
    y = 1 + 0.5 * x1 - 0.2 * x2 + shock[period] + rng.normal(size=len(index))
    df = pd.DataFrame({"y": y, "const": 1.0, "x1": x1, "x2": x2}, index=index)
    return df.sample(frac=keep, random_state=seed).sort_index()


def ols_pieces(df):
    X = df[REGRESSORS].to_numpy()
    y = df["y"].to_numpy()
    resid = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
    return X, resid, df.index.get_level_values("period").to_numpy()


@pytest.mark.parametrize("bandwidth", [None, 0, 5])
def test_dk_matches_linearmodels_kernel_covariance(bandwidth):
    linearmodels = pytest.importorskip("linearmodels")
    df = common_shock_panel()
    X, resid, periods = ols_pieces(df)
    cov, used = driscoll_kraay_cov(X, resid, periods, bandwidth=bandwidth)
    fit = linearmodels.PanelOLS(df["y"], df[REGRESSORS]).fit(
        cov_type="kernel", kernel="bartlett", bandwidth=used)
    # linearmodels (debiased, the default) scales by N/(N-K); xtscc by T/(T-1) * (N-1)/(N-K).
    n, n_periods = len(df), len(np.unique(periods))
    np.testing.assert_allclose(cov, fit.cov.to_numpy() * n_periods / (n_periods - 1) * (n - 1) / n,
                               rtol=1e-10)
    assert used == (3 if bandwidth is None else bandwidth)


def test_dk_with_bandwidth_zero_is_pyfixest_crv1_by_period():
    pf = pytest.importorskip("pyfixest")
    df = common_shock_panel(seed=1)
    X, resid, periods = ols_pieces(df)
    cov, _ = driscoll_kraay_cov(X, resid, periods, bandwidth=0)
    fit = pf.feols("y ~ x1 + x2", df.reset_index(), vcov={"CRV1": "period"})
    np.testing.assert_allclose(np.sqrt(np.diag(cov)), fit.se()[["Intercept", "x1", "x2"]], rtol=1e-8)


def test_dk_matches_xtscc_mata_formula():
    df = common_shock_panel(seed=2, n_periods=25)
    X, resid, periods = ols_pieces(df)
    n, k = X.shape
    T, lag = 25, 2
    # xtscc's driscoll() in Mata, line by line: moments over N^2/T, then the same back again.
    h = np.array([X[periods == t].T @ resid[periods == t] for t in range(T)])
    shat = h.T @ h / (n**2 / T)
    for j in range(1, lag + 1):
        omega = h[j:].T @ h[:-j] / (n**2 / T)
        shat += (1 - j / (lag + 1)) * (omega + omega.T)
    xx_inv = np.linalg.inv(X.T @ X)
    vcv = xx_inv @ shat @ xx_inv * (n**2 / T)
    expected = T / (T - 1) * (n - 1) / (n - k) * vcv
    cov, used = driscoll_kraay_cov(X, resid, periods)
    assert used == lag == default_bandwidth(T)
    np.testing.assert_allclose(cov, expected, rtol=1e-10)


def test_dk_k_dof_and_period_labels():
    df = common_shock_panel(seed=3)
    X, resid, periods = ols_pieces(df)
    base, _ = driscoll_kraay_cov(X, resid, periods, bandwidth=2)
    labelled, _ = driscoll_kraay_cov(X, resid, 2000 + 3 * periods, bandwidth=2)
    np.testing.assert_allclose(labelled, base, rtol=1e-12)
    more_k, _ = driscoll_kraay_cov(X, resid, periods, bandwidth=2, k_dof=30)
    n = len(df)
    np.testing.assert_allclose(more_k, base * (n - 3) / (n - 30), rtol=1e-12)


def test_dk_default_bandwidth_rule():
    assert [default_bandwidth(t) for t in (10, 40, 100, 300)] == [2, 3, 4, 5]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"bandwidth": 40}, "between 0 and T - 1"),
    ({"bandwidth": -1}, "between 0 and T - 1"),
    ({"k_dof": 0}, "k_dof"),
    ({"one_period": True}, "at least 2 time periods"),
])
def test_dk_refuses_bad_input(kwargs, message):
    X, resid, periods = ols_pieces(common_shock_panel(seed=4))
    if kwargs.pop("one_period", False):
        periods = np.zeros_like(periods)
    with pytest.raises(ValueError, match=message):
        driscoll_kraay_cov(X, resid, periods, **kwargs)
