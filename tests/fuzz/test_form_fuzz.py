"""Fuzz every HTML form reachable from the navigation, as each demo role and anonymously.

For each persona: log in, crawl the internal links breadth-first from the home page (bounded),
parse every form, and submit each with hostile values, one field at a time, with the page's own
CSRF token (the client enforces CSRF as a browser would). Links carrying a query string are
also fetched with each parameter made hostile, and every link with a numeric id in its path with
an id no row has. The check: never a 5xx, never an exception.

Bounded so `make test` stays fast: FUZZ_FORMS submissions per form (default 8) and FUZZ_PAGES
pages per persona (default 120). A long run: `FUZZ_FORMS=200 FUZZ_PAGES=400 pytest tests/fuzz`.
FUZZ_REPORT=path writes the figures (pages, forms, routes, requests, failures) as JSON.
"""

from __future__ import annotations

import json
import os
import traceback

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from synergy.core.models import User
from tests.fuzz.htmlforms import crawl, hostile_paths, hostile_queries, hostile_submissions

PERSONAS = ["anonymous", "admin", "resident", "manager", "merchant", "coordinator", "worker", "analyst"]
SUBMISSIONS = int(os.environ.get("FUZZ_FORMS", "8"))
PAGES = int(os.environ.get("FUZZ_PAGES", "120"))
FIGURES: dict[str, dict] = {}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo world, seeded once for this module and removed afterwards."""
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", verbosity=0)
    if os.environ.get("FUZZ_REPORT"):
        with open(os.environ["FUZZ_REPORT"], "w") as out:
            json.dump(FIGURES, out, indent=2, ensure_ascii=False)


def _client(persona: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(User.objects.get(username=persona))
    return client


def _send(client: Client, method: str, url: str, data: dict | None = None) -> int | str:
    try:
        # A savepoint per request: a database error rolls back only this request, as it would
        # in production, instead of breaking the test's transaction for all that follow.
        with transaction.atomic():
            if method == "post":
                response = client.post(url, data or {})
            else:
                response = client.get(url, data or {})
    except Exception as exc:  # the view raised: a 500 in production
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{type(exc).__name__}: {str(exc)[:160]} at {frame.filename}:{frame.lineno}"
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_form_or_link_makes_a_server_error(persona, demo):
    client = _client(persona)
    failures: list[str] = []
    pages: dict[str, int] = {}
    forms = []
    seen_forms: set = set()
    requests = 0
    # Two rounds: the first round's submissions (a cart, an order, a sign-up) open new pages.
    for _round in range(2):
        found = crawl(client, max_pages=PAGES, seen_forms=seen_forms)
        failures += found.failures
        pages.update(found.pages)
        forms += found.forms
        requests += len(found.pages)
        for form in found.forms:
            for description, data in hostile_submissions(form, limit=SUBMISSIONS):
                if persona != "anonymous" and "_auth_user_id" not in client.session:
                    client = _client(persona)  # a submission may have ended the session
                outcome = _send(client, form.method, form.action, data)
                requests += 1
                if not isinstance(outcome, int) or outcome >= 500:
                    failures.append(f"{form.method.upper()} {form.action} [{description}]: {outcome}")
    hostile_links = [h for u in [u for u in pages if "?" in u][:SUBMISSIONS * 2] for h in hostile_queries(u)]
    hostile_links += [h for u in pages for h in hostile_paths(u)]
    for hostile in dict.fromkeys(hostile_links):
        outcome = _send(client, "get", hostile)
        requests += 1
        if not isinstance(outcome, int) or outcome >= 500:
            failures.append(f"GET {hostile[:120]!r}: {outcome}")
    FIGURES[persona] = {
        "pages": len(pages), "forms": len(forms),
        "post_forms": sum(f.method == "post" for f in forms),
        "routes": sorted({f"{f.method.upper()} {f.route()}" for f in forms}),
        "requests": requests, "server_errors": len(failures), "failures": failures[:1000],
    }
    print(f"\n{persona}: {len(pages)} pages, {len(forms)} forms "
          f"({FIGURES[persona]['post_forms']} POST), {requests} requests, {len(failures)} server errors")
    assert not failures, "\n".join(failures[:60])
