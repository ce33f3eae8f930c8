"""Every `manage.py analytics` error is one line; with --json stdout is exactly {"error": ...}.

Both ways in: `call_command` (the parser raises CommandError) and a real process (the parser
would print its usage and exit; here it prints one line and exits with status 2).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from analytics.management.commands import analytics as analytics_command

ROOT = Path(__file__).resolve().parents[2]

# Each case: arguments after `analytics`, and a piece of the one-line reason.
PARSER_ERRORS = {
    "missing_option": (["fit", "--json"], "the following arguments are required: --csv"),
    "unknown_subcommand": (["regress", "--json"], "invalid choice: 'regress'"),
    "bad_choice": (["index", "--csv", "x.csv", "--method", "ols", "--json"],
                   "argument --method: invalid choice: 'ols'"),
    "bad_int": (["mediate", "--csv", "x.csv", "--y", "a", "--x", "b", "--mediator", "m",
                 "--bootstrap", "ten", "--json"], "argument --bootstrap: invalid int value"),
    "no_json": (["index", "--csv", "x.csv", "--method", "ols"], "invalid choice: 'ols'"),
}
IN_A_PROCESS = ("missing_option", "no_json")  # ~3 s each: the rest via call_command


@pytest.fixture(scope="module")
def processes():
    """The real command line, the processes run side by side (Django starts in ~3 s)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "synergy.settings"
    running = {name: subprocess.Popen(
        [sys.executable, "manage.py", "analytics", *PARSER_ERRORS[name][0]], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in IN_A_PROCESS}
    return {name: (p, *p.communicate(timeout=120)) for name, p in running.items()}


@pytest.mark.parametrize("name", IN_A_PROCESS)
def test_command_line_parser_error_is_one_line_and_exit_2(processes, name):
    proc, stdout, stderr = processes[name]
    args, reason = PARSER_ERRORS[name]
    assert proc.returncode == 2
    assert stderr.count("\n") == 1 and reason in stderr and "usage:" not in stderr
    if "--json" in args:
        assert stdout.count("\n") == 1
        assert reason in json.loads(stdout)["error"] and set(json.loads(stdout)) == {"error"}
    else:
        assert stdout == ""


@pytest.mark.parametrize("name", sorted(PARSER_ERRORS))
def test_call_command_parser_error_is_one_line(capsys, name):
    args, reason = PARSER_ERRORS[name]
    with pytest.raises(CommandError) as info:
        call_command("analytics", *args, stdout=io.StringIO())
    assert info.value.returncode == 2
    assert reason in str(info.value) and "\n" not in str(info.value)
    out = capsys.readouterr().out
    if "--json" in args:
        assert json.loads(out) == {"error": str(info.value)}
    else:
        assert out == ""


def _run(*args) -> tuple[str, CommandError]:
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("analytics", *args, stdout=out)
    return out.getvalue(), info.value


def test_bad_data_is_one_json_line(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("city_id,year,x\n1,2011,0.5\n2,2012,\n3,2013,inf\n")
    out, err = _run("index", "--csv", str(path), "--method", "entropy", "--json")
    assert err.returncode == 2 and json.loads(out) == {"error": str(err)}
    assert str(err).startswith("an index needs at least two numeric columns (left out city_id")


def test_an_unexpected_failure_is_still_one_line(monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(analytics_command, "index_json", broken)
    path = tmp_path / "t.csv"
    path.write_text("a,b\n0.5,1.5\n0.7,2.5\n")
    out, err = _run("index", "--csv", str(path), "--method", "entropy", "--json")
    assert str(err) == "internal error (RuntimeError): boom second line"
    assert json.loads(out) == {"error": str(err)}


def test_index_exclude_on_the_command_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("city,year,a,b,c\nA,2011,0.5,1.5,3\nA,2012,0.7,2.5,3\nB,2011,0.2,2.0,4\n")
    out = io.StringIO()
    call_command("analytics", "index", "--csv", str(path), "--method", "entropy", "--exclude",
                 "c", "--json", stdout=out)
    d = json.loads(out.getvalue())
    assert d["columns"] == ["a", "b"] and d["excluded"] == ["city", "year", "c"]
    assert "left out c: --exclude" in d["notes"] and "left out year: named like an id" in " ".join(
        d["notes"])
