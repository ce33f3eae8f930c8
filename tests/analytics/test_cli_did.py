"""`manage.py analytics did`: the --json contract, csdid's numbers, one-line errors."""

from __future__ import annotations

import contextlib
import io
import json
import warnings

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from analytics.methods.did.simulate import staggered_panel


@pytest.fixture(scope="module")
def did_csv(tmp_path_factory):
    df = staggered_panel(units=120, periods=7, cohorts={2012: .25, 2014: .25}, trend_x=0.2,
                         seed=11)
    path = tmp_path_factory.mktemp("did") / "rollout.csv"
    df.drop(columns=["treated", "true_effect"]).to_csv(path, index=False)
    return path, df


def _did(path, *extra) -> dict:
    out = io.StringIO()
    call_command("analytics", "did", "--csv", str(path), "--y", "y", "--entity", "id",
                 "--time", "year", "--group", "g", *extra, "--json", stdout=out)
    text = out.getvalue().strip()
    assert text.count("\n") == 0
    return json.loads(text)


def test_did_json_shape(did_csv):
    d = _did(did_csv[0], "--bootstrap", "99", "--seed", "2")
    assert set(d["att_gt"][0]) >= {"group", "time", "att", "se"}
    agg = d["aggregates"]
    assert set(agg["simple"]) >= {"att", "se"}
    assert {"event", "att", "se"} <= set(agg["dynamic"]["by_event"][0])
    assert "by_group" in agg["group"] and "by_time" in agg["calendar"]
    assert d["se_method"] == "multiplier bootstrap (unit clusters)" and d["bootstrap"] == 99
    assert d["groups"] == [2012, 2014] and isinstance(d["notes"], list)


def test_did_cli_reproduces_csdid(did_csv):
    att_gt = pytest.importorskip("csdid.att_gt")
    path, df = did_csv
    d = _did(path, "--control", "notyet", "--method", "dr", "--covariates", "x",
             "--bootstrap", "0")
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = att_gt.ATTgt(yname="y", gname="g", idname="id", tname="year", data=df.copy(),
                         control_group="notyettreated", xformla="y~x")
        m.fit(est_method="dr", bstrap=False)
        dyn = m.aggte(typec="dynamic", bstrap=False, na_rm=True).atte
    ours = np.array([np.nan if r["att"] is None else r["att"] for r in d["att_gt"]], float)
    np.testing.assert_allclose(ours, np.asarray(m.results["att"], float), atol=1e-6)
    assert d["aggregates"]["dynamic"]["att"] == pytest.approx(float(dyn["overall_att"]),
                                                              abs=1e-6)
    np.testing.assert_allclose([r["att"] for r in d["aggregates"]["dynamic"]["by_event"]],
                               np.asarray(dyn["att_egt"], float), atol=1e-6)


@pytest.mark.parametrize(("extra", "reason"), [
    (["--group", "nope"], "column 'nope' is not in the data"),
    (["--covariates", "x,zz"], "column 'zz' is not in the data"),
    (["--bootstrap", "3"], "--bootstrap must be 0 (analytical SEs) or at least 20 draws"),
    (["--alpha", "0.9"], "--alpha must be between 0 and 0.5"),
])
def test_did_errors_are_one_json_line(did_csv, extra, reason):
    out = io.StringIO()
    args = ["did", "--csv", str(did_csv[0]), "--y", "y", "--entity", "id", "--time", "year",
            "--group", "g", *extra, "--json"]
    with pytest.raises(CommandError) as info:
        call_command("analytics", *args, stdout=out)
    assert info.value.returncode == 2 and reason in str(info.value)
    assert json.loads(out.getvalue()) == {"error": str(info.value)}


def test_did_bad_choice_is_a_parser_error(did_csv, capsys):
    with pytest.raises(CommandError) as info:
        call_command("analytics", "did", "--csv", str(did_csv[0]), "--y", "y", "--entity",
                     "id", "--time", "year", "--group", "g", "--control", "later", "--json",
                     stdout=io.StringIO())
    assert info.value.returncode == 2 and "invalid choice: 'later'" in str(info.value)
    assert json.loads(capsys.readouterr().out) == {"error": str(info.value)}
