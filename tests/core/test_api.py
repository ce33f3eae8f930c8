"""Core API: token auth, me, places, pairings, schema and docs."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from synergy.core.models import Pairing
from tests.factories import CommunityFactory, PairingFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_token_with_right_password(api, resident):
    response = api.post("/api/v1/auth/token/",
                        {"username": resident.username, "password": "pass-word-123"},
                        format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == resident.username
    assert me.json()["memberships"][0]["role"] == "resident"


def test_token_with_wrong_password(api, resident):
    response = api.post("/api/v1/auth/token/",
                        {"username": resident.username, "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_token_missing_field_names_it(api):
    response = api.post("/api/v1/auth/token/", {"username": "x"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_me_needs_authentication(api):
    assert api.get("/api/v1/me/").status_code in (401, 403)


def test_lists_are_paginated_and_filterable(api):
    CommunityFactory.create_batch(3)
    CommunityFactory(district="盘龙区")
    VillageFactory.create_batch(2)
    body = api.get("/api/v1/communities/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    assert api.get("/api/v1/communities/", {"district": "盘龙区"}).json()["count"] == 1
    assert api.get("/api/v1/villages/", {"page_size": 1}).json()["next"] is not None


def test_pairings_admin_creates(api_as, admin_user, community, village):
    response = api_as(admin_user).post("/api/v1/pairings/",
                                       {"community": community.pk, "village": village.pk})
    assert response.status_code == 201
    assert Pairing.objects.filter(community=community, village=village).exists()
    again = api_as(admin_user).post("/api/v1/pairings/",
                                    {"community": community.pk, "village": village.pk})
    assert again.status_code == 409
    assert again.json()["detail"]


@pytest.mark.parametrize("persona", ["resident", "manager", "coordinator", "analyst", "outsider"])
def test_pairings_others_refused(request, api_as, persona, community, village):
    user = request.getfixturevalue(persona)
    response = api_as(user).post("/api/v1/pairings/",
                                 {"community": community.pk, "village": village.pk})
    assert response.status_code == 403
    assert not Pairing.objects.exists()


def test_pairings_anonymous_refused(api, community, village):
    response = api.post("/api/v1/pairings/", {"community": community.pk, "village": village.pk})
    assert response.status_code in (401, 403)


def test_pairing_bad_input_names_field(api_as, admin_user, community):
    response = api_as(admin_user).post("/api/v1/pairings/",
                                       {"community": community.pk, "village": 999999})
    assert response.status_code == 400
    assert "village" in response.json()


def test_pairing_deactivate(api_as, admin_user, manager):
    pairing = PairingFactory()
    url = f"/api/v1/pairings/{pairing.pk}/"
    assert api_as(manager).patch(url, {"active": False}).status_code == 403
    assert api_as(admin_user).patch(url, {"active": False}).status_code == 200
    pairing.refresh_from_db()
    assert pairing.active is False


def test_pairing_start_date_is_corrected_and_never_in_the_future(api_as, admin_user):
    pairing = PairingFactory()
    url = f"/api/v1/pairings/{pairing.pk}/"
    response = api_as(admin_user).patch(url, {"started_on": "2017-06-01"})
    assert response.status_code == 200 and response.json()["started_on"] == "2017-06-01"
    response = api_as(admin_user).patch(url, {"started_on": "2999-01-01", "active": False})
    assert response.status_code == 400 and "started_on" in response.json()
    pairing.refresh_from_db()
    assert pairing.active and str(pairing.started_on) == "2017-06-01"  # nothing half-written
    assert api_as(admin_user).patch(url, {}).status_code == 400


def test_schema_generates(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    for route in ("/api/v1/auth/token/", "/api/v1/me/", "/api/v1/communities/",
                  "/api/v1/villages/", "/api/v1/pairings/"):
        assert route in schema["paths"]


def test_swagger_ui_assets_are_local(client):
    response = client.get(reverse("swagger-ui"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "//unpkg" not in html


def test_me_of_a_platform_role_has_null_place_names_and_the_schema_allows_it(api_as, admin_user):
    """Found by the schema fuzzer: names were null while the schema promised strings."""
    membership = api_as(admin_user).get("/api/v1/me/").json()["memberships"][0]
    assert membership["community_name"] is None and membership["village_name"] is None
    schema = SchemaGenerator().get_schema(request=None, public=True)
    props = schema["components"]["schemas"]["MembershipOutput"]["properties"]
    assert props["community_name"].get("nullable") is True
    assert props["village_name"].get("nullable") is True


@pytest.mark.django_db
def test_a_selector_refusing_an_anonymous_caller_is_a_401_with_the_scheme(client):
    """A permission-aware selector raises NotAllowed; for a caller who has not logged in the core
    handler answers 401 (with WWW-Authenticate), as DRF's own permission classes do."""
    response = client.get("/api/v1/orders/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json()["detail"]
