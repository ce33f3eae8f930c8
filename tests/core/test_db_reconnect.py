"""Issue 11.11: a database connection the server dropped between two requests never makes a 500.

Requests go through the real WSGI application (the test client switches off Django's
per-request connection handling), with persistent connections as in production
(DJANGO_CONN_MAX_AGE=60). Between two requests the server ends the backend serving ours, as a
restart or fail-over would; the health check at the start of the next request notices and
reconnects.
"""

import io

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from synergy.wsgi import application


def _get(path: str) -> int:
    status = []
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "HTTP_HOST": "testserver", "HTTP_ACCEPT": "application/json",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": io.StringIO(), "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False, "REMOTE_ADDR": "127.0.0.1",
    }
    response = application(environ, lambda s, headers, exc_info=None: status.append(s))
    b"".join(response)
    response.close()
    return int(status[0].split()[0])


@pytest.fixture
def persistent_connections(requires_postgres):
    connection.close()
    saved = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 60
    yield
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = saved


def _terminate(pid: int) -> None:
    """From a second connection: end the backend `pid` and wait (up to 10 s) until it is gone."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        ended = admin.execute("SELECT pg_terminate_backend(%s, 10000)", [pid]).fetchone()[0]
    assert ended is True


def test_health_checks_are_on():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_is_replaced_before_the_next_request(persistent_connections):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True  # from synergy.settings
    assert _get("/api/v1/communities/") == 200
    assert connection.connection is not None  # kept open between requests
    old_pid = connection.connection.info.backend_pid

    _terminate(old_pid)

    assert _get("/api/v1/communities/") == 200
    assert connection.connection.info.backend_pid != old_pid
    assert _get("/api/v1/villages/") == 200
