"""The permission matrix: every endpoint of the community API × every persona → expected status.

Personas: a resident of the community (who reported the ticket, lives in the billed flat and
posted the listing), a resident of another community, the community's property manager, another
community's manager, the community's merchant (owns the shop), the coordinator of a paired
village, an outsider with no role, and an anonymous caller.

Rules proven here: a resident sees only their community's notices, tickets and bills; a manager
manages only their community; outsiders get 403 (community lists) or 404 (single records);
anonymous callers get 401 on anything not public. Each case runs on fresh data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver
from django.utils import timezone

from community.api import urls as api_urls
from community.models import CouponClaim, RepairTicket, TicketPhoto, TicketStatus
from tests.community.factories import (
    BillFactory,
    BusinessFactory,
    CouponFactory,
    HousingFactory,
    NoticeFactory,
    OfferFactory,
)
from tests.imagefiles import image_bytes

pytestmark = pytest.mark.django_db

PERSONAS = ["resident", "other_resident", "manager", "other_manager", "merchant", "coordinator",
            "outsider", "anonymous"]


@dataclass
class World:
    community: object
    village: object
    notice: object
    ticket: object
    bill: object
    business: object
    listing: object
    users: dict
    offer: object = None
    coupon: object = None


@pytest.fixture
def world(community, village, pairing, resident, other_resident, manager, other_manager, merchant,
          coordinator, outsider):
    w = World(
        community=community, village=village,
        notice=NoticeFactory(community=community),
        ticket=RepairTicket.objects.create(community=community, reporter=resident, category="plumbing",
                                           unit="2-301", description="Leak"),
        bill=BillFactory(community=community, unit="2-301"),
        business=BusinessFactory(community=community, owner=merchant),
        listing=HousingFactory(community=community, posted_by=resident),
        users={"resident": resident, "other_resident": other_resident, "manager": manager,
               "other_manager": other_manager, "merchant": merchant, "coordinator": coordinator,
               "outsider": outsider, "anonymous": None},
    )
    w.offer = OfferFactory(business=w.business)
    w.coupon = CouponFactory(business=w.business)
    return w


def _claimed(w: World):
    CouponClaim.objects.create(coupon=w.coupon, user=w.users["resident"], code="ABCDEFGH")


def _ticket_in(status):
    """Prepare the world's ticket in a given status, assigned to the manager when not open."""
    def prepare(w: World):
        if status != TicketStatus.OPEN:
            RepairTicket.objects.filter(pk=w.ticket.pk).update(status=status,
                                                               assignee_user=w.users["manager"])
    return prepare


def _with_attachment(w: World):
    w.notice.attachment.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"), save=True)


def _with_photo(w: World):
    photo = TicketPhoto(ticket=w.ticket)
    photo.image.save("leak.jpg", ContentFile(image_bytes()), save=True)


def _future():
    return str(timezone.localdate() + dt.timedelta(days=10))


def row(resident, other_resident, manager, other_manager, merchant, coordinator, outsider, anonymous):
    return dict(zip(PERSONAS, (resident, other_resident, manager, other_manager, merchant,
                               coordinator, outsider, anonymous)))


PUBLIC_READ = row(200, 200, 200, 200, 200, 200, 200, 200)
MEMBERS = row(200, 403, 200, 403, 200, 403, 403, 401)
MANAGER_ONLY_403 = row(403, 403, 200, 403, 403, 403, 403, 401)
SHOP_OWNER = row(403, 403, 200, 403, 200, 403, 403, 401)  # the owner, or the manager
SHOP_OWNER_204 = row(403, 403, 204, 403, 204, 403, 403, 401)
TICKET_WORK = row(403, 404, 200, 404, 404, 404, 404, 401)

# (url name, method, path(world), body(world), prepare(world) or None, expected by persona)
ENDPOINTS = [
    ("notice-list", "get", lambda w: f"communities/{w.community.pk}/notices/", None, None, MEMBERS),
    ("notice-list", "post", lambda w: f"communities/{w.community.pk}/notices/",
     lambda w: {"title": "Lift service", "body": "Friday"}, None,
     row(403, 403, 201, 403, 403, 403, 403, 401)),
    ("notice-detail", "get", lambda w: f"communities/{w.community.pk}/notices/{w.notice.pk}/", None,
     None, MEMBERS),
    ("notice-attachment", "get",
     lambda w: f"communities/{w.community.pk}/notices/{w.notice.pk}/attachment/", None,
     _with_attachment, MEMBERS),
    ("notice-read", "post", lambda w: f"communities/{w.community.pk}/notices/{w.notice.pk}/read/",
     None, None, MEMBERS),
    ("ticket-list", "get", lambda w: f"communities/{w.community.pk}/tickets/", None, None, MEMBERS),
    ("ticket-list", "post", lambda w: f"communities/{w.community.pk}/tickets/",
     lambda w: {"category": "lift", "location": "Lift B", "description": "Stuck"}, None,
     row(201, 403, 403, 403, 403, 403, 403, 401)),
    ("my-tickets", "get", lambda w: "tickets/", None, None, row(200, 200, 200, 200, 200, 200, 200, 401)),
    ("ticket-detail", "get", lambda w: f"tickets/{w.ticket.pk}/", None, None,
     row(200, 404, 200, 404, 404, 404, 404, 401)),
    ("ticket-photo", "get",
     lambda w: f"tickets/{w.ticket.pk}/photos/{w.ticket.photos.get().pk}/", None, _with_photo,
     row(200, 404, 200, 404, 404, 404, 404, 401)),
    ("ticket-assign", "post", lambda w: f"tickets/{w.ticket.pk}/assign/",
     lambda w: {"assignee_user": w.users["manager"].pk}, None, TICKET_WORK),
    ("ticket-reassign", "post", lambda w: f"tickets/{w.ticket.pk}/reassign/",
     lambda w: {"assignee_village": w.village.pk}, _ticket_in(TicketStatus.ASSIGNED), TICKET_WORK),
    ("ticket-start", "post", lambda w: f"tickets/{w.ticket.pk}/start/", None,
     _ticket_in(TicketStatus.ASSIGNED), TICKET_WORK),
    ("ticket-resolve", "post", lambda w: f"tickets/{w.ticket.pk}/resolve/", None,
     _ticket_in(TicketStatus.IN_PROGRESS), TICKET_WORK),
    ("ticket-close", "post", lambda w: f"tickets/{w.ticket.pk}/close/", None,
     _ticket_in(TicketStatus.RESOLVED), TICKET_WORK),
    ("ticket-reopen", "post", lambda w: f"tickets/{w.ticket.pk}/reopen/", None,
     _ticket_in(TicketStatus.RESOLVED), row(200, 404, 200, 404, 404, 404, 404, 401)),
    ("ticket-rate", "post", lambda w: f"tickets/{w.ticket.pk}/rate/", lambda w: {"rating": 4},
     _ticket_in(TicketStatus.RESOLVED), row(200, 404, 403, 404, 404, 404, 404, 401)),
    ("bill-list", "get", lambda w: f"communities/{w.community.pk}/bills/", None, None,
     row(200, 403, 200, 403, 403, 403, 403, 401)),
    ("bill-list", "post", lambda w: f"communities/{w.community.pk}/bills/",
     lambda w: {"unit": "2-301", "period": "2026-11", "amount": "120.00", "due_date": _future()},
     None, row(403, 403, 201, 403, 403, 403, 403, 401)),
    ("bill-arrears", "get", lambda w: f"communities/{w.community.pk}/bills/arrears/", None, None,
     MANAGER_ONLY_403),
    ("bill-export", "get", lambda w: f"communities/{w.community.pk}/bills/export/", None, None,
     MANAGER_ONLY_403),
    ("bill-payment", "post", lambda w: f"bills/{w.bill.pk}/payments/",
     lambda w: {"amount": "10.00", "paid_on": str(timezone.localdate())}, None,
     row(404, 404, 201, 404, 404, 404, 404, 401)),
    ("business-list", "get", lambda w: f"communities/{w.community.pk}/businesses/", None, None,
     PUBLIC_READ),
    ("business-list", "post", lambda w: f"communities/{w.community.pk}/businesses/",
     lambda w: {"name": "Second shop"}, None, row(403, 403, 403, 403, 201, 403, 403, 401)),
    ("business-detail", "get", lambda w: f"businesses/{w.business.pk}/", None, None, PUBLIC_READ),
    ("business-offers", "post", lambda w: f"businesses/{w.business.pk}/offers/",
     lambda w: {"title": "Tofu"}, None, row(403, 403, 201, 403, 201, 403, 403, 401)),
    ("business-coupons", "post", lambda w: f"businesses/{w.business.pk}/coupons/",
     lambda w: {"code": "X1", "title": "x", "discount": "5 yuan", "valid_until": _future()}, None,
     row(403, 403, 201, 403, 201, 403, 403, 401)),
    ("business-detail", "patch", lambda w: f"businesses/{w.business.pk}/",
     lambda w: {"phone": "0871-1234567"}, None, SHOP_OWNER),
    ("business-detail", "delete", lambda w: f"businesses/{w.business.pk}/", None, None,
     SHOP_OWNER_204),
    ("offer-detail", "patch", lambda w: f"offers/{w.offer.pk}/", lambda w: {"title": "Milk"},
     None, SHOP_OWNER),
    ("offer-detail", "delete", lambda w: f"offers/{w.offer.pk}/", None, None, SHOP_OWNER_204),
    ("coupon-detail", "patch", lambda w: f"coupons/{w.coupon.pk}/", lambda w: {"quantity": 9},
     None, SHOP_OWNER),
    ("coupon-detail", "delete", lambda w: f"coupons/{w.coupon.pk}/", None, None, SHOP_OWNER_204),
    ("coupon-claim", "post", lambda w: f"coupons/{w.coupon.pk}/claim/", None, None,
     row(201, 403, 403, 403, 403, 403, 403, 401)),
    ("my-coupons", "get", lambda w: "my-coupons/", None, None,
     row(200, 200, 200, 200, 200, 200, 200, 401)),
    ("business-redeem", "post", lambda w: f"businesses/{w.business.pk}/redeem/",
     lambda w: {"code": "ABCDEFGH"}, _claimed, SHOP_OWNER),
    ("service-list", "get", lambda w: f"communities/{w.community.pk}/services/", None, None,
     PUBLIC_READ),
    ("service-list", "post", lambda w: f"communities/{w.community.pk}/services/",
     lambda w: {"kind": "delivery", "name": "Runner", "phone": "0871-1234567"}, None, MANAGER_ONLY_403
     | {"manager": 201}),
    ("housing-list", "get", lambda w: f"communities/{w.community.pk}/housing/", None, None,
     PUBLIC_READ),
    ("housing-list", "post", lambda w: f"communities/{w.community.pk}/housing/",
     lambda w: {"kind": "rent", "title": "Room", "price": "900", "area_m2": "20"}, None,
     row(201, 403, 201, 403, 403, 403, 403, 401)),
    ("housing-detail", "get", lambda w: f"housing/{w.listing.pk}/", None, None, PUBLIC_READ),
    ("housing-detail", "delete", lambda w: f"housing/{w.listing.pk}/", None, None,
     row(204, 403, 204, 403, 403, 403, 403, 401)),
    ("channel", "get", lambda w: f"communities/{w.community.pk}/channel/", None, None,
     PUBLIC_READ),
    ("village-follow", "post", lambda w: f"villages/{w.village.pk}/follow/", None, None,
     row(201, 403, 403, 403, 403, 403, 403, 401)),
    ("village-follow", "delete", lambda w: f"villages/{w.village.pk}/follow/", None, None,
     row(204, 204, 204, 204, 204, 204, 204, 401)),
]

CASES = [
    pytest.param(name, method, path, body, prepare, persona, expected[persona],
                 id=f"{method.upper()}-{name}-{persona}")
    for name, method, path, body, prepare, expected in ENDPOINTS
    for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "method", "path", "body", "prepare", "persona", "expected"), CASES)
def test_permission_matrix(api_as, world, name, method, path, body, prepare, persona, expected):
    if prepare:
        prepare(world)
    client = api_as(world.users[persona])
    kwargs = {"format": "json"}
    if body:
        kwargs["data"] = body(world)
    response = getattr(client, method)(f"/api/v1/{path(world)}", **kwargs)
    assert response.status_code == expected, (persona, name, response.content[:300])
    assert response.status_code != 500


def test_matrix_covers_every_endpoint_and_method():
    """A new community endpoint or method fails here until it is added to the matrix."""
    resolver = get_resolver()
    declared = set()
    for pattern in api_urls.urlpatterns:
        view = pattern.callback.view_class
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                declared.add((pattern.name, method))
    covered = {(name, method) for name, method, *_rest in ENDPOINTS}
    assert declared == covered
    assert resolver  # the project URLconf loads with the community API mounted
