"""Donations: the API contract, idempotency, receipts, spending."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from synergy.core.errors import Conflict
from synergy.core.models import Notification
from villages.exchange import services
from villages.exchange.models import Donation, Spending

pytestmark = pytest.mark.django_db


def _give(api_as, user, campaign, key="k1", **body):
    payload = {"amount": "50.00", "anonymous": False, "message": ""} | body
    return api_as(user).post(f"/api/v1/campaigns/{campaign.pk}/donations/", payload,
                             format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_donation_first_call_201_repeat_returns_same_donation(api_as, resident, campaign):
    first = _give(api_as, resident, campaign)
    again = _give(api_as, resident, campaign)

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["receipt"] == f"C{campaign.pk}-00001"
    assert Donation.objects.count() == 1
    detail = api_as(None).get(f"/api/v1/campaigns/{campaign.pk}/").json()
    assert detail["raised"] == "50.00"


def test_same_key_different_amount_is_a_conflict(api_as, resident, campaign):
    _give(api_as, resident, campaign)
    r = _give(api_as, resident, campaign, amount="60.00")
    assert r.status_code == 409
    assert "different amount" in r.json()["detail"]


def test_same_key_by_two_donors_makes_two_donations(api_as, resident, manager, campaign):
    assert _give(api_as, resident, campaign).status_code == 201
    assert _give(api_as, manager, campaign).status_code == 201
    assert Donation.objects.count() == 2


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "100000.01", "", None])
def test_bad_amount_is_400_naming_the_field(api_as, resident, campaign, amount):
    r = _give(api_as, resident, campaign, amount=amount)
    assert r.status_code == 400
    assert "amount" in r.json()
    assert Donation.objects.count() == 0


def test_missing_idempotency_key_is_400(api_as, resident, campaign):
    r = api_as(resident).post(f"/api/v1/campaigns/{campaign.pk}/donations/", {"amount": "5"},
                              format="json")
    assert r.status_code == 400
    assert "Idempotency-Key" in r.json()


def test_receipts_are_numbered_without_gaps_and_raised_is_exact(resident, campaign):
    for i, amount in enumerate(["10.10", "20.20", "0.01"]):
        services.donation_give(donor=resident, campaign=campaign, amount=Decimal(amount),
                               idempotency_key=f"k{i}")
    campaign.refresh_from_db()
    assert campaign.raised == Decimal("30.31")
    assert list(Donation.objects.order_by("receipt_no").values_list("receipt_no", flat=True)) == [
        1, 2, 3]


def test_donation_notifies_coordinator_and_donor(resident, coordinator, campaign):
    services.donation_give(donor=resident, campaign=campaign, amount=Decimal("5"),
                           idempotency_key="n1", anonymous=True)
    note = Notification.objects.get(recipient=coordinator)
    assert coordinator.preferred_language == "zh-hans"  # rendered in the recipient's language
    assert note.kind == "exchange.donation_received" and "一位匿名捐赠人" in note.message
    assert str(resident) not in note.message
    assert Notification.objects.filter(recipient=resident, kind="exchange.donation_receipt").exists()


def test_closed_campaign_refuses(resident, campaign):
    campaign.deadline = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()
    with pytest.raises(Conflict):
        services.donation_give(donor=resident, campaign=campaign, amount=Decimal("5"),
                               idempotency_key="late")


def test_html_form_double_submission_creates_one_donation(client, resident, campaign):
    client.force_login(resident)
    page = client.get(f"/exchange/campaigns/{campaign.pk}/")
    key = page.context["form"].initial["idempotency_key"]
    assert f'value="{key}"' in page.content.decode()
    data = {"amount": "88.00", "message": "加油", "idempotency_key": key}
    first = client.post(f"/exchange/campaigns/{campaign.pk}/", data)
    second = client.post(f"/exchange/campaigns/{campaign.pk}/", data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Donation.objects.count() == 1
    receipt = client.get(first.url)
    assert receipt.status_code == 200
    assert f"C{campaign.pk}-00001" in receipt.content.decode()


def test_receipt_is_private_to_donor_and_coordinator(client, resident, coordinator, outsider,
                                                     campaign):
    donation, _ = services.donation_give(donor=resident, campaign=campaign, amount=Decimal("5"),
                                         idempotency_key="p")
    client.force_login(outsider)
    assert client.get(f"/exchange/receipts/{donation.pk}/").status_code == 404
    client.force_login(coordinator)
    assert client.get(f"/exchange/receipts/{donation.pk}/").status_code == 200


def test_spending_cannot_exceed_raised(api_as, resident, coordinator, campaign):
    services.donation_give(donor=resident, campaign=campaign, amount=Decimal("100"),
                           idempotency_key="s")
    line = campaign.budget_lines.get()
    url = f"/api/v1/campaigns/{campaign.pk}/spending/"
    body = {"budget_line": line.pk, "amount": "60.00", "description": "Books",
            "spent_on": str(timezone.localdate())}
    assert api_as(coordinator).post(url, body).status_code == 201
    r = api_as(coordinator).post(url, body)
    assert r.status_code == 409 and "exceed" in r.json()["detail"]
    assert Spending.objects.count() == 1
    detail = api_as(None).get(f"/api/v1/campaigns/{campaign.pk}/").json()
    assert detail["spent"] == "60.00"
    assert detail["budget_lines"][0]["spent"] == "60.00"


def test_html_form_reused_key_with_new_amount_gets_a_fresh_key(client, resident, campaign):
    client.force_login(resident)
    key = client.get(f"/exchange/campaigns/{campaign.pk}/").context["form"].initial["idempotency_key"]
    client.post(f"/exchange/campaigns/{campaign.pk}/", {"amount": "10", "idempotency_key": key})
    r = client.post(f"/exchange/campaigns/{campaign.pk}/", {"amount": "20", "idempotency_key": key})
    assert r.status_code == 200
    assert "different amount" in r.content.decode()
    assert r.context["form"].initial["idempotency_key"] != key
    assert Donation.objects.count() == 1


def test_anonymous_donor_is_hidden_on_the_public_page(client, resident, campaign):
    services.donation_give(donor=resident, campaign=campaign, amount=Decimal("5"),
                           idempotency_key="a", anonymous=True, message="quietly")
    html = client.get(f"/exchange/campaigns/{campaign.pk}/").content.decode()
    assert "quietly" in html and str(resident) not in html


def test_spending_with_photo_through_the_page(client, resident, coordinator, campaign):
    services.donation_give(donor=resident, campaign=campaign, amount=Decimal("100"),
                           idempotency_key="ph")
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buf, "PNG")
    client.force_login(coordinator)
    r = client.post(f"/exchange/campaigns/{campaign.pk}/spending/", {
        "budget_line": campaign.budget_lines.get().pk, "amount": "40", "description": "Shelf",
        "spent_on": str(timezone.localdate()),
        "photo": SimpleUploadedFile("shelf.png", buf.getvalue(), content_type="image/png")})
    assert r.status_code == 302
    entry = Spending.objects.get()
    # Re-encoded by the core image rule: a JPEG under a random name, not the user's file.
    assert entry.photo.name.startswith("exchange/spending/") and entry.photo.name.endswith(".jpg")
    assert "shelf" not in entry.photo.name
    assert entry.photo.url in client.get(f"/exchange/campaigns/{campaign.pk}/").content.decode()
