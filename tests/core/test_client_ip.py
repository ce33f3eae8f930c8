"""Issue 11.3: behind nginx the login rate limiter charges the real client, not the proxy.

Requests arrive as nginx sends them: REMOTE_ADDR is nginx (127.0.0.1) and `X-Forwarded-For` is
whatever the client sent with the client's real address appended (`$proxy_add_x_forwarded_for`).
"""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from synergy.core.client_ip import client_ip
from tests.factories import UserFactory

NGINX = "127.0.0.1"
ATTACKER = "198.51.100.7"
VICTIM = "203.0.113.9"
PASSWORD = "right-horse-battery"


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def person(db):
    return UserFactory(username="lin", password=PASSWORD)


def _via_nginx(real_client: str, sent_by_client: str | None = None) -> dict:
    """The META nginx produces: the client's own header (if any), then its real address."""
    forwarded = f"{sent_by_client}, {real_client}" if sent_by_client else real_client
    return {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": forwarded}


def _form_login(client, password, **meta):
    return client.post(reverse("login"), {"username": "lin", "password": password}, **meta)


def _token_login(api, password, **meta):
    return api.post(reverse("api-token"), {"username": "lin", "password": password}, **meta)


LOGINS = {"form": (_form_login, 302), "token": (_token_login, 200)}


@pytest.fixture(params=sorted(LOGINS))
def login(request, client, api):
    """Each case runs against the login form and the token API."""
    attempt, success = LOGINS[request.param]
    the_client = client if request.param == "form" else api

    def call(password, **meta):
        return attempt(the_client, password, **meta)

    call.success = success
    return call


def test_five_bad_passwords_lock_that_address_and_not_the_real_user_elsewhere(
    behind_proxy, person, login
):
    for _ in range(4):
        assert login("wrong", **_via_nginx(ATTACKER)).status_code in (200, 400)
    assert login("wrong", **_via_nginx(ATTACKER)).status_code == 429
    assert login(PASSWORD, **_via_nginx(ATTACKER)).status_code == 429  # that address stays locked
    # The real user, from home, behind the same nginx: not locked out.
    assert login(PASSWORD, **_via_nginx(VICTIM)).status_code == login.success
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_a_spoofed_left_most_entry_neither_dodges_the_lock_nor_locks_others(
    behind_proxy, person, login
):
    # Each try claims another origin (one of them the victim's), from one real address.
    spoofs = ["10.0.0.1", VICTIM, "8.8.8.8", "unknown", f"{VICTIM}, 1.1.1.1"]
    for spoof in spoofs[:4]:
        assert login("wrong", **_via_nginx(ATTACKER, spoof)).status_code in (200, 400)
    assert login("wrong", **_via_nginx(ATTACKER, spoofs[4])).status_code == 429
    assert login(PASSWORD, **_via_nginx(ATTACKER, "192.0.2.1")).status_code == 429
    assert login(PASSWORD, **_via_nginx(VICTIM)).status_code == login.success


def test_without_a_proxy_the_header_is_ignored(person, login, settings):
    settings.BEHIND_PROXY = False
    for spoof in ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]:
        login("wrong", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=spoof)
    assert login("wrong", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=VICTIM).status_code == 429
    assert login(PASSWORD, REMOTE_ADDR=VICTIM).status_code == login.success


def test_the_trusted_proxy_count_picks_the_entry_that_many_places_from_the_right(settings):
    settings.BEHIND_PROXY = True
    request = RequestFactory().get("/", REMOTE_ADDR=NGINX,
                                   HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}, 192.0.2.50")
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "192.0.2.50"
    settings.TRUSTED_PROXY_COUNT = 2  # a CDN (192.0.2.50) in front of nginx
    assert client_ip(request) == ATTACKER
    # Fewer entries than trusted proxies: the header did not come through the chain.
    settings.TRUSTED_PROXY_COUNT = 4
    assert client_ip(request) == NGINX
    no_header = RequestFactory().get("/", REMOTE_ADDR=NGINX)
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(no_header) == NGINX
