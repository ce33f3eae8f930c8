"""Pages: home in both languages, accounts, profile, healthz."""

import pytest
from django.core import mail
from django.urls import reverse

from synergy.core.models import Membership, MembershipStatus
from tests.factories import CommunityFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "社区"), ("en", "Communities")])
def test_home_renders_in_both_languages(client, language, expected):
    CommunityFactory(name="翠湖花园")
    VillageFactory(name="上蒜村")
    client.cookies["django_language"] = language
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert "翠湖花园" in html and "上蒜村" in html
    assert f'lang="{language}"' in html


def test_language_switch_sets_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"
    assert "Communities" in client.get("/").content.decode()


def test_no_external_assets_on_home(client):
    html = client.get("/").content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_register_login_profile(client):
    response = client.post(reverse("core:register"), {
        "username": "newbie", "display_name": "新人", "email": "n@example.com",
        "password1": "a-long-pass-42", "password2": "a-long-pass-42",
    })
    assert response.status_code == 302
    assert client.get(reverse("core:profile")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("core:profile")).status_code == 302
    assert client.login(username="newbie", password="a-long-pass-42")


def test_register_error_names_field(client):
    response = client.post(reverse("core:register"), {
        "username": "", "password1": "x", "password2": "y",
    })
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"username", "password2"}


def test_password_reset_sends_console_mail(client, resident):
    response = client.post(reverse("password_reset"), {"email": resident.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_join_page_apply_as_resident(client, outsider, community):
    client.force_login(outsider)
    response = client.post(reverse("core:join"), {
        "role": "resident", "community": community.pk, "unit": "8-808",
    })
    assert response.status_code == 302
    membership = Membership.objects.get(user=outsider)
    assert membership.status == MembershipStatus.PENDING
