"""Issue 20: a form written offline and sent again (the phone's retry, a double send) makes one
record: the client's key, a unique constraint, the first record returned (the money rule)."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from community.models import RepairTicket
from synergy.core.errors import Conflict
from synergy.core.models import Role, SubmissionKey
from synergy.core.submissions import submission_once
from tests.factories import CommunityFactory, MembershipFactory
from tests.imagefiles import image_bytes
from tests.races import run_together
from villages.models import Product, ProductPhoto

pytestmark = pytest.mark.django_db

DRAFT = {"HTTP_X_SYNERGY_DRAFT": "1"}


def _as(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _ticket(key: str) -> dict:
    return {"category": "electrical", "location": "Stair 3", "description": "The light is out.",
            "client_key": key}


def test_a_ticket_sent_twice_with_one_key_is_one_ticket(resident, community):
    client, key = _as(resident), str(uuid.uuid4())
    first = client.post(f"/community/{community.slug}/tickets/new/", _ticket(key))
    again = client.post(f"/community/{community.slug}/tickets/new/", _ticket(key))
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert RepairTicket.objects.count() == 1
    client.post(f"/community/{community.slug}/tickets/new/", _ticket(str(uuid.uuid4())))
    assert RepairTicket.objects.count() == 2  # a new key is a new ticket


def test_a_draft_gets_json_back_and_a_replay_says_so(resident, community):
    client, key = _as(resident), str(uuid.uuid4())
    url = f"/community/{community.slug}/tickets/new/"
    first = client.post(url, _ticket(key), **DRAFT)
    again = client.post(url, {k: v for k, v in _ticket(key).items() if k != "client_key"},
                        HTTP_IDEMPOTENCY_KEY=key, **DRAFT)
    ticket = RepairTicket.objects.get()
    assert first.status_code == 201 and first.json() == {
        "url": f"/community/tickets/{ticket.pk}/", "replayed": False}
    assert again.status_code == 201 and again.json()["replayed"] is True


def test_a_refused_draft_is_told_why_with_a_400(resident, community):
    response = _as(resident).post(f"/community/{community.slug}/tickets/new/",
                                  {"category": "electrical", "client_key": "k1"}, **DRAFT)
    assert response.status_code == 400
    assert "description" in response.json()["errors"]
    assert not RepairTicket.objects.exists() and not SubmissionKey.objects.exists()


def test_a_product_with_its_photo_sent_twice_is_one_product_with_one_photo(coordinator, village):
    client, key = _as(coordinator), str(uuid.uuid4())

    def send():
        photo = SimpleUploadedFile("p.jpg", image_bytes(), content_type="image/jpeg")
        return client.post(f"/villages/manage/{village.pk}/products/new/", {
            "name": "Pears", "category": "produce", "unit": "box", "price": "20", "stock": "5",
            "photo": photo, "client_key": key}, **DRAFT)

    assert send().status_code == 201
    assert send().json()["replayed"] is True
    assert Product.objects.count() == 1 and ProductPhoto.objects.count() == 1


def test_an_outsider_with_a_key_is_still_refused(outsider, village):
    response = _as(outsider).post(f"/villages/manage/{village.pk}/products/new/", {
        "name": "Pears", "category": "produce", "unit": "box", "price": "20", "stock": "5",
        "client_key": "k"}, **DRAFT)
    assert response.status_code in (403, 404)
    assert not Product.objects.exists()


def test_a_key_reused_for_another_kind_is_a_conflict(resident):
    submission_once(user=resident, key="k", kind="ticket", create=lambda: resident)
    with pytest.raises(Conflict):
        submission_once(user=resident, key="k", kind="product", create=lambda: resident)


def test_one_key_sent_four_times_at_once_makes_one_ticket(requires_postgres, transactional_db):
    community = CommunityFactory()
    resident = MembershipFactory(role=Role.RESIDENT, community=community, unit="2-301").user
    key = str(uuid.uuid4())

    def send(_i):
        return _as(resident).post(f"/community/{community.slug}/tickets/new/", _ticket(key),
                                  **DRAFT).status_code

    assert run_together(4, send) == [201] * 4
    assert RepairTicket.objects.count() == 1 and SubmissionKey.objects.count() == 1
