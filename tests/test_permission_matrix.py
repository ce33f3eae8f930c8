"""The committed permission matrix matches what the code does, and its invariants hold."""

from pathlib import Path

import pytest

from synergy.core import permission_matrix
from synergy.core.models import User
from tests.seeding import demo_seeded_once

MATRIX = Path(__file__).resolve().parents[1] / "docs" / "permission-matrix.md"
REFUSED = {401, 403, 404, 405}


@pytest.fixture(scope="module")
def matrix_rows(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module: the demo seeded as `make run` seeds it, committed (so work
    queued after commit, the demo's analysis run, runs and the matrix sees the same finished run
    as scripts/permission_matrix.py does), on a flushed database whose sequences restart, so ids
    start at 1 as in the script's fresh database whatever ran before and the ids that the probe
    guesses mean the same. The rows are plain data; the database is flushed after building them.
    """
    with django_db_blocker.unblock(), demo_seeded_once(tmp_path_factory):
        users = {u.username: u for u in User.objects.filter(username__in=permission_matrix.PERSONAS)}
        users["anonymous"] = None
        return permission_matrix.build(users)


def test_committed_matrix_matches_the_code(matrix_rows):
    expected = permission_matrix.render(matrix_rows)
    assert MATRIX.read_text() == expected, (
        "who-may-do-what changed: review it, then run `python scripts/permission_matrix.py --write`"
    )


def test_no_operation_fails_for_any_persona(matrix_rows):
    failures = [(r["method"], r["path"], p, s) for r in matrix_rows for p, s in r["statuses"].items()
                if s >= 500]
    assert failures == []


def test_anonymous_callers_can_never_write(matrix_rows):
    allowed = [(r["method"], r["path"], r["statuses"]["anonymous"]) for r in matrix_rows
               if r["method"] != "GET" and r["statuses"]["anonymous"] not in REFUSED]
    assert allowed == []


def test_only_administrators_manage_pairings(matrix_rows):
    row = next(r for r in matrix_rows if r["method"] == "POST" and r["path"] == "/api/v1/pairings/")
    assert row["statuses"]["admin"] == 400  # allowed, body incomplete
    assert all(row["statuses"][p] in REFUSED for p in permission_matrix.PERSONAS if p != "admin")
