"""Analytics' domain errors live in analytics.errors and subclass the core's, so the core
exception handler maps them (ImportRejected -> 400 naming the file, RunNotFinished -> 409)."""

from django.utils import translation

from analytics.errors import ImportRejected, RunNotFinished
from synergy.core.errors import Conflict, Invalid


def test_import_rejected_is_invalid_and_lists_the_problems():
    issues = [{"row": i, "column": "Ur", "message": "not a number"} for i in range(2, 9)]
    with translation.override("en"):
        exc = ImportRejected(issues, total=10)
    assert isinstance(exc, Invalid) and exc.status_code == 400 and exc.field == "file"
    assert exc.issues == issues and exc.total == 10
    assert exc.message.startswith("The file was not imported (10 problem(s)): row 2, column Ur")
    assert "and 5 more." in exc.message and "first 7 problems" in exc.message


def test_run_not_finished_is_a_conflict():
    with translation.override("en"):
        exc = RunNotFinished()
    assert isinstance(exc, Conflict) and exc.status_code == 409
    assert "not finished" in exc.message
