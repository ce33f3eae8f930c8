"""Paying a village: instructions on unpaid orders, "I have paid" claims confirmed (once, even
when two coordinators confirm at once) or declined, the payment history with refunds."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Role
from tests.factories import MembershipFactory
from tests.imagefiles import image_bytes
from tests.races import run_together
from villages import selectors, services
from villages.models import ClaimStatus, Order, Payment, PaymentClaim, PaymentInstructions


def _place(buyer, community, product, qty=2):
    return services.order_place(buyer=buyer, pickup_community=community,
                                items=[{"product": product.pk, "quantity": qty}])


def _history(order_pk):
    order = selectors.order_get_for_user(user=Order.objects.get(pk=order_pk).buyer, pk=order_pk)
    return [e.kind for e in selectors.payment_history(order)]


def test_claim_then_confirm_records_the_payment_once(resident, coordinator, community, product):
    order = _place(resident, community, product)
    with pytest.raises(Invalid) as bad:
        services.payment_claim_create(by=resident, order=order, method="bank", reference="B1",
                                      amount=Decimal("1.00"))
    assert bad.value.field == "amount"
    with pytest.raises(NotAllowed):
        services.payment_claim_create(by=coordinator, order=order, method="bank", reference="B1")
    claim = services.payment_claim_create(by=resident, order=order, method="bank", reference="B1",
                                          amount=order.total)
    with pytest.raises(Conflict):
        services.payment_claim_create(by=resident, order=order, method="bank", reference="B2")
    assert coordinator.notifications.filter(kind="villages.payment_claimed").count() == 1
    with pytest.raises(NotAllowed):
        services.payment_claim_confirm(by=resident, claim=claim)
    payment = services.payment_claim_confirm(by=coordinator, claim=claim)
    assert (payment.amount, payment.method, payment.reference) == (order.total, "bank", "B1")
    assert services.payment_claim_confirm(by=coordinator, claim=claim) == payment  # idempotent
    assert Payment.objects.count() == 1
    assert PaymentClaim.objects.get(pk=claim.pk).status == ClaimStatus.CONFIRMED
    assert resident.notifications.filter(kind="villages.payment_confirmed").count() == 1
    assert _history(order.pk) == ["claimed", "confirmed"]


def test_decline_with_a_note_then_claim_again(resident, coordinator, community, product):
    order = _place(resident, community, product)
    claim = services.payment_claim_create(by=resident, order=order, method="mobile", reference="W9")
    with pytest.raises(Invalid):
        services.payment_claim_decline(by=coordinator, claim=claim, note=" ")
    services.payment_claim_decline(by=coordinator, claim=claim, note="No transfer W9 received")
    with pytest.raises(Conflict):
        services.payment_claim_confirm(by=coordinator, claim=claim)
    assert resident.notifications.filter(kind="villages.payment_declined").count() == 1
    again = services.payment_claim_create(by=resident, order=order, method="mobile", reference="W10")
    services.payment_claim_confirm(by=coordinator, claim=again)
    assert _history(order.pk) == ["claimed", "declined", "claimed", "confirmed"]


def test_a_paid_order_cancelled_shows_its_refund_in_the_history(resident, coordinator, community,
                                                                 product):
    order = _place(resident, community, product)
    claim = services.payment_claim_create(by=resident, order=order, method="cash")
    services.payment_claim_confirm(by=coordinator, claim=claim)
    services.order_cancel(by=coordinator, order=order, refund_method="mobile", refund_note="sorry")
    assert _history(order.pk) == ["claimed", "confirmed", "refunded"]
    with pytest.raises(Conflict):
        services.payment_claim_create(by=resident, order=order, method="cash")


def test_cancelling_closes_a_waiting_claim_with_the_reason(resident, coordinator, community,
                                                          product):
    order = _place(resident, community, product)
    claim = services.payment_claim_create(by=resident, order=order, method="bank", reference="B7")
    with translation.override("en"):
        services.order_cancel(by=resident, order=order)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DECLINED and claim.decided_at is not None
    assert "cancelled" in claim.decision_note
    assert _history(order.pk) == ["claimed", "declined"]
    assert not selectors.claim_list_pending_for_coordinator(viewer=coordinator).exists()
    with pytest.raises(Conflict):
        services.payment_claim_confirm(by=coordinator, claim=claim)


def test_recording_on_delivery_settles_a_waiting_claim(resident, coordinator, community, product):
    order = _place(resident, community, product)
    claim = services.payment_claim_create(by=resident, order=order, method="cash")
    services.order_mark_paid(by=coordinator, order=order, method="cash")
    assert PaymentClaim.objects.get(pk=claim.pk).status == ClaimStatus.CONFIRMED
    assert services.payment_claim_confirm(by=coordinator, claim=claim) == Payment.objects.get()


def test_claim_api_and_outsiders(resident, coordinator, outsider, community, product, api_as):
    order = _place(resident, community, product)
    url = f"/api/v1/orders/{order.pk}/payment-claims/"
    assert api_as(None).post(url, {"method": "bank", "reference": "X"}, format="json").status_code == 401
    assert api_as(outsider).post(url, {"method": "bank", "reference": "X"},
                                 format="json").status_code == 404
    missing = api_as(resident).post(url, {"method": "bank"}, format="json")
    assert missing.status_code == 400 and "reference" in missing.data
    made = api_as(resident).post(url, {"method": "bank", "reference": "X1", "amount": str(order.total)},
                                 format="json")
    assert made.status_code == 201 and made.data["status"] == "pending"
    claim = made.data["id"]
    assert api_as(outsider).post(f"/api/v1/payment-claims/{claim}/confirm/").status_code == 404
    assert api_as(resident).post(f"/api/v1/payment-claims/{claim}/confirm/").status_code == 404
    ok = api_as(coordinator).post(f"/api/v1/payment-claims/{claim}/confirm/")
    assert ok.status_code == 200 and ok.data["status"] == "confirmed"
    assert api_as(coordinator).post(f"/api/v1/payment-claims/{claim}/decline/", {"note": "x"},
                                    format="json").status_code == 409
    detail = api_as(resident).get(f"/api/v1/orders/{order.pk}/").data
    assert detail["payment"]["amount"] == str(order.total)
    assert [e["kind"] for e in detail["payment_history"]] == ["claimed", "confirmed"]
    assert detail["payment_instructions"] is None  # paid


def test_instructions_api_and_order_output(resident, coordinator, outsider, community, village,
                                           product, api_as):
    url = f"/api/v1/villages/{village.pk}/payment-instructions/"
    assert api_as(outsider).put(url, {"bank_name": "ICBC"}, format="json").status_code == 403
    assert api_as(None).get(url).status_code in (401, 403)
    put = api_as(coordinator).put(url, {"bank_name": "ICBC", "account_name": "Village coop",
                                        "account_number": "6222 0000 1111", "note": "Write your order"},
                                  format="json")
    assert put.status_code == 200 and put.data["account_number"] == "6222 0000 1111"
    assert api_as(resident).get(url).data["bank_name"] == "ICBC"
    order = _place(resident, community, product)
    shown = api_as(resident).get(f"/api/v1/orders/{order.pk}/").data["payment_instructions"]
    assert shown["account_name"] == "Village coop"


def test_instructions_page_with_a_qr_image_and_the_order_page(resident, coordinator, community,
                                                              village, product):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    manage = client.get(f"/villages/manage/{village.pk}/").content.decode()
    assert f"/villages/manage/{village.pk}/payment/" in manage
    response = client.post(f"/villages/manage/{village.pk}/payment/", {
        "bank_name": "ABC", "account_name": "Coop", "account_number": "123",
        "wechat_qr": SimpleUploadedFile("qr.png", image_bytes("PNG"), "image/png"), "note": ""})
    assert response.status_code == 302
    saved = PaymentInstructions.objects.get(village=village)
    assert saved.wechat_qr.name.endswith(".jpg")
    bad = client.post(f"/villages/manage/{village.pk}/payment/", {
        "bank_name": "ABC", "alipay_qr": SimpleUploadedFile("x.png", b"not an image", "image/png")})
    assert bad.status_code == 200 and "alipay_qr" in bad.context["form"].errors
    order = _place(resident, community, product)
    buyer = Client(HTTP_ACCEPT_LANGUAGE="en")
    buyer.force_login(resident)
    html = buyer.get(f"/villages/orders/{order.pk}/").content.decode()
    assert 'id="payment-instructions"' in html and saved.wechat_qr.url in html
    assert 'id="claim-payment"' in html
    buyer.post(f"/villages/orders/{order.pk}/claim/", {"method": "bank", "reference": "T77"})
    claim = PaymentClaim.objects.get(order=order)
    desk = client.get("/desk/?role=coordinator").content.decode()
    assert f"/villages/orders/{order.pk}/" in desk
    client.post(f"/villages/payment-claims/{claim.pk}/confirm/")
    assert Payment.objects.filter(order=order).exists()
    html = buyer.get(f"/villages/orders/{order.pk}/").content.decode()
    assert 'id="payment-history"' in html and "T77" in html and 'id="payment-instructions"' not in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_confirming_at_once_record_one_payment(requires_postgres, resident,
                                                                coordinator, community, village,
                                                                product):
    second = MembershipFactory(role=Role.COORDINATOR, village=village, unit="").user
    order = _place(resident, community, product)
    claim = services.payment_claim_create(by=resident, order=order, method="bank", reference="R1")
    people = [coordinator, second] * 4
    results = run_together(len(people), lambda i: services.payment_claim_confirm(
        by=people[i], claim=PaymentClaim.objects.get(pk=claim.pk)))
    assert all(isinstance(r, Payment) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Payment.objects.filter(order=order).count() == 1
    assert PaymentClaim.objects.get(pk=claim.pk).status == ClaimStatus.CONFIRMED
    assert resident.notifications.filter(kind="villages.payment_confirmed").count() == 1
