"""Issue 20: a spending record written offline and sent twice is recorded once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from villages.exchange import services
from villages.exchange.models import Spending

pytestmark = pytest.mark.django_db


def test_a_spending_sent_twice_with_one_key_is_recorded_once(resident, coordinator, campaign):
    services.donation_give(donor=resident, campaign=campaign, amount=Decimal("800"),
                           idempotency_key="fund")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    body = {"budget_line": campaign.budget_lines.get().pk, "amount": "60", "description": "Desks",
            "spent_on": str(timezone.localdate()), "client_key": "0d5c-draft"}
    first = client.post(f"/exchange/campaigns/{campaign.pk}/spending/", body,
                        HTTP_X_SYNERGY_DRAFT="1")
    again = client.post(f"/exchange/campaigns/{campaign.pk}/spending/", body,
                        HTTP_X_SYNERGY_DRAFT="1")
    assert first.status_code == again.status_code == 201
    assert again.json()["replayed"] is True
    assert Spending.objects.count() == 1
    over = client.post(f"/exchange/campaigns/{campaign.pk}/spending/",
                       body | {"amount": "9000", "client_key": "other"}, HTTP_X_SYNERGY_DRAFT="1")
    assert over.status_code == 409 and over.json()["errors"]
