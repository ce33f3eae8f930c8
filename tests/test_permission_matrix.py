"""The committed permission matrix matches what the code does, and its invariants hold."""

from pathlib import Path

import pytest
from django.core.management import call_command

from synergy.core import permission_matrix
from synergy.core.models import User

MATRIX = Path(__file__).resolve().parents[1] / "docs" / "permission-matrix.md"
REFUSED = {401, 403, 404, 405}
# Ids start at 1 as in the script's fresh database, whatever ran before (PostgreSQL sequences
# are not rolled back with a test's transaction), so ids that the probe guesses mean the same.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)


@pytest.fixture
def matrix_rows(transactional_db, django_capture_on_commit_callbacks):
    # As `make run` seeds it: work queued after commit (the demo's analysis run) runs, so the
    # matrix sees the same finished run as scripts/permission_matrix.py does.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
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
