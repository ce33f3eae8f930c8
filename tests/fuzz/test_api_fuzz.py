"""Fuzz every API operation from the OpenAPI schema, as each demo role and anonymously.

Schemathesis generates requests from `/api/schema/`; each generated request is sent once per
persona. Checks: never a 5xx, and every documented response matches its schema and content type.
Bounded by FUZZ_EXAMPLES per operation (default 4) so `make test` stays a few minutes on 2 cores.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from synergy.core.models import User
from synergy.core.services import api_token_create
from synergy.wsgi import application

PERSONAS = ["anonymous", "admin", "resident", "manager", "merchant", "coordinator", "worker", "analyst"]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]

# The coverage phase (boundary values of every field) is thorough but unbounded by max_examples:
# on by FUZZ_COVERAGE=1 for a deep run, off in `make test` to keep the suite minutes long.
CONFIG = schemathesis.Config.from_dict(
    {"phases": {"coverage": {"enabled": os.environ.get("FUZZ_COVERAGE") == "1"}}}
)
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)
# Logging in is rate limited by design; fuzzing it would lock the demo accounts out. Logging out
# would revoke the personas' tokens for the rest of the run (tests/core/test_api_tokens.py).
schema = schema.exclude(path="/api/v1/auth/token/")
schema = schema.exclude(path="/api/v1/auth/logout/").exclude(path="/api/v1/auth/logout-all/")


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker):
    """The demo world, seeded once for this module and removed afterwards."""
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        headers = {
            user.username: {"Authorization": f"Token {api_token_create(user=user)[1]}"}
            for user in User.objects.filter(username__in=PERSONAS)
        }
    headers["anonymous"] = {}
    yield headers
    with django_db_blocker.unblock():
        call_command("flush", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """The WSGI handler closes the connection after each request; the test transaction needs it
    open (Django's test client makes the same exception)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_matches_its_schema(case, tokens):
    for persona in PERSONAS:
        case.call_and_validate(headers=tokens[persona], checks=CHECKS)
