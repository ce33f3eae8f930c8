"""Issue 11.8: API tokens expire, and logout, logout-all, a password change and an administrator
revoke them; a revoked or expired token gets 401."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


def _token(username: str, password: str = PASSWORD) -> str:
    response = APIClient().post(reverse("api-token"), {"username": username, "password": password},
                                format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _me(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get(reverse("api-me")).status_code


def _post(token: str, name: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.post(reverse(name))


def test_a_token_is_stored_hashed_and_expires_after_the_configured_days(resident, settings):
    assert settings.REST_KNOX["TOKEN_TTL"] == timedelta(days=30)
    before = timezone.now()
    response = APIClient().post(reverse("api-token"),
                                {"username": resident.username, "password": PASSWORD}, format="json")
    body = response.json()
    stored = AuthToken.objects.get(user=resident)
    assert body["token"] not in (stored.digest, stored.token_key)  # only a hash is kept
    assert before + timedelta(days=30) <= stored.expiry <= timezone.now() + timedelta(days=30)
    assert body["expiry"].startswith(stored.expiry.astimezone(timezone.get_current_timezone())
                                     .date().isoformat())


def test_the_lifetime_is_a_setting(resident, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(days=2)}
    _token(resident.username)
    expiry = AuthToken.objects.get(user=resident).expiry
    assert timedelta(days=1) < expiry - timezone.now() <= timedelta(days=2)


def test_an_expired_token_gets_401(resident):
    token = _token(resident.username)
    assert _me(token) == 200
    AuthToken.objects.filter(user=resident).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _me(token) == 401
    assert not AuthToken.objects.filter(user=resident).exists()  # cleaned up


def test_logout_revokes_only_that_token(resident):
    phone, laptop = _token(resident.username), _token(resident.username)
    assert _post(phone, "api-logout").status_code == 204
    assert _me(phone) == 401
    assert _me(laptop) == 200
    assert _post(phone, "api-logout").status_code == 401  # already gone


def test_logout_all_revokes_every_token_of_the_caller_only(resident, outsider):
    phone, laptop = _token(resident.username), _token(resident.username)
    other = _token(outsider.username)
    response = _post(phone, "api-logout-all")
    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert _me(phone) == 401 and _me(laptop) == 401
    assert _me(other) == 200


def test_logout_needs_a_login(api):
    assert api.post(reverse("api-logout")).status_code in (401, 403)
    assert api.post(reverse("api-logout-all")).status_code in (401, 403)


def test_logout_with_a_browser_session_ends_the_session(resident):
    browser = APIClient()
    browser.force_login(resident)
    assert browser.get(reverse("api-me")).status_code == 200
    assert browser.post(reverse("api-logout")).status_code == 204
    assert browser.get(reverse("api-me")).status_code in (401, 403)


def test_changing_the_password_with_the_form_revokes_every_token(resident):
    token = _token(resident.username)
    browser = Client()
    browser.force_login(resident)
    response = browser.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a-new-long-phrase-42",
        "new_password2": "a-new-long-phrase-42"})
    assert response.status_code == 302
    assert _me(token) == 401
    assert _me(_token(resident.username, "a-new-long-phrase-42")) == 200


def test_any_password_change_revokes_every_token(resident):
    """Reset links, the admin and `changepassword` all end in set_password() + save()."""
    token = _token(resident.username)
    resident.set_password("another-long-phrase-7")
    resident.save()
    assert _me(token) == 401


def test_saving_a_user_without_a_new_password_keeps_the_tokens(resident):
    token = _token(resident.username)
    resident.display_name = "Lin"
    resident.save()
    assert _me(token) == 200


def test_an_inactive_user_token_gets_401(resident):
    token = _token(resident.username)
    resident.is_active = False
    resident.save(update_fields=["is_active"])
    assert _me(token) == 401


@pytest.fixture
def admin_browser(db):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin)
    return browser


def test_an_administrator_revokes_a_users_tokens_with_the_user_action(admin_browser, resident,
                                                                     outsider):
    token, other = _token(resident.username), _token(outsider.username)
    response = admin_browser.post(reverse("admin:core_user_changelist"), {
        "action": "revoke_api_tokens", "_selected_action": [resident.pk]}, follow=True)
    assert response.status_code == 200
    assert _me(token) == 401
    assert _me(other) == 200


def test_an_administrator_deletes_one_token_in_the_token_admin(admin_browser, resident):
    token = _token(resident.username)
    stored = AuthToken.objects.get(user=resident)
    listing = admin_browser.get(reverse("admin:knox_authtoken_changelist"))
    assert listing.status_code == 200 and resident.username in listing.content.decode()
    response = admin_browser.post(reverse("admin:knox_authtoken_delete", args=[stored.pk]),
                                  {"post": "yes"})
    assert response.status_code == 302
    assert _me(token) == 401


def test_the_old_authorization_header_form_keeps_working(resident):
    """Clients send `Authorization: Token <token>` as before the change of token library."""
    token = _token(resident.username)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(reverse("api-me")).json()["username"] == resident.username
    # The villages API lists its own authentication classes; it takes the new tokens too.
    assert client.post(reverse("api-order-list"), {}, format="json").status_code == 400


def test_logging_in_again_removes_the_users_expired_tokens(resident):
    _token(resident.username)
    AuthToken.objects.filter(user=resident).update(expiry=timezone.now() - timedelta(days=1))
    fresh = _token(resident.username)
    assert AuthToken.objects.filter(user=resident).count() == 1
    assert _me(fresh) == 200
