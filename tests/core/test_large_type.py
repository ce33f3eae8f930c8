"""Issue 20: large type and high contrast, a setting each person keeps (a cookie when logged out)."""

from __future__ import annotations

import pytest

from synergy.core.display import COOKIE

pytestmark = pytest.mark.django_db


def test_the_toggle_is_on_every_page_and_off_by_default(client):
    body = client.get("/").content.decode()
    assert 'id="large-type-toggle"' in body and 'class="large-type"' not in body


def test_a_person_keeps_large_type_on_their_user(client, resident):
    client.force_login(resident)
    response = client.post("/display/large-type/", {"large_type": "1", "next": "/desk/"})
    assert response.status_code == 302 and response["Location"] == "/desk/"
    resident.refresh_from_db()
    assert resident.large_type is True
    client.cookies.pop(COOKIE)  # the user's setting, not only the cookie
    assert 'class="large-type"' in client.get("/").content.decode()
    client.post("/display/large-type/", {"large_type": "0"})
    resident.refresh_from_db()
    assert resident.large_type is False


def test_a_visitor_keeps_it_in_a_cookie(client):
    response = client.post("/display/large-type/", {"large_type": "1", "next": "//evil.example/"})
    assert response["Location"] == "/"  # next goes through the site-wide rule
    assert response.cookies[COOKIE].value == "1"
    assert 'class="large-type"' in client.get("/").content.decode()


def test_the_toggle_takes_only_post(client):
    assert client.get("/display/large-type/").status_code == 405


def test_the_profile_page_keeps_it_too(client, resident):
    client.force_login(resident)
    assert 'name="profile-large_type"' in client.get("/accounts/profile/").content.decode()
    response = client.post("/accounts/profile/", {
        "profile-display_name": "Li", "profile-email": "li@example.com", "profile-phone": "",
        "profile-preferred_language": "zh-hans", "profile-large_type": "on"})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.large_type is True
