"""Property fees: bills, payments, arrears arithmetic in Decimal, CSV export, who sees what."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from community import selectors, services
from community.models import Bill, Payment
from synergy.core.errors import Conflict, NotAllowed
from tests.community.factories import BillFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PAST = TODAY - dt.timedelta(days=10)


def test_bill_create_and_duplicate_period_is_409(api_as, manager, community):
    body = {"unit": "2-301", "period": "2026-10", "amount": "186.40", "due_date": "2026-10-31"}
    first = api_as(manager).post(f"/api/v1/communities/{community.pk}/bills/", body, format="json")
    assert first.status_code == 201
    assert first.json()["outstanding"] == "186.40"
    assert first.json()["status"] == ("overdue" if dt.date(2026, 10, 31) < TODAY else "due")
    again = api_as(manager).post(f"/api/v1/communities/{community.pk}/bills/", body, format="json")
    assert again.status_code == 409
    assert "already has a bill for 2026-10" in again.json()["detail"]


def test_bad_period_is_400(api_as, manager, community):
    body = {"unit": "2-301", "period": "2026-13", "amount": "10", "due_date": "2026-10-31"}
    response = api_as(manager).post(f"/api/v1/communities/{community.pk}/bills/", body, format="json")
    assert response.status_code == 400 and "period" in response.json()


def test_payments_add_up_exactly_and_never_exceed_the_bill(manager, community):
    bill = BillFactory(community=community, amount=Decimal("100.10"))
    for part in ("33.37", "33.37", "33.36"):
        services.payment_record(recorded_by=manager, bill=bill, amount=Decimal(part), paid_on=TODAY)
    bill.refresh_from_db()
    assert bill.paid_amount == Decimal("100.10")
    assert bill.outstanding == Decimal("0.00")
    assert bill.status == "paid"
    with pytest.raises(Conflict, match="already paid in full"):
        services.payment_record(recorded_by=manager, bill=bill, amount=Decimal("0.01"), paid_on=TODAY)


def test_overpayment_is_refused_and_nothing_recorded(api_as, manager, community):
    bill = BillFactory(community=community, amount=Decimal("50.00"))
    response = api_as(manager).post(f"/api/v1/bills/{bill.pk}/payments/",
                                    {"amount": "50.01", "paid_on": str(TODAY)}, format="json")
    assert response.status_code == 409
    assert "more than the 50.00 still owed" in response.json()["detail"]
    assert not Payment.objects.exists()
    bill.refresh_from_db()
    assert bill.paid_amount == Decimal("0.00")


def test_database_refuses_paid_above_amount(community):
    bill = BillFactory(community=community, amount=Decimal("10.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Bill.objects.filter(pk=bill.pk).update(paid_amount=Decimal("10.01"))


def test_arrears_report_arithmetic(manager, community, other_community):
    # Flat A: two overdue bills, one partly paid; flat B: one overdue, paid in full (not in arrears);
    # flat C: one bill not yet due (not in arrears); another community's overdue bill is ignored.
    a1 = BillFactory(community=community, unit="A", period="2026-08", amount=Decimal("120.55"),
                     due_date=PAST - dt.timedelta(days=30))
    a2 = BillFactory(community=community, unit="A", period="2026-09", amount=Decimal("120.55"),
                     due_date=PAST)
    b1 = BillFactory(community=community, unit="B", period="2026-09", amount=Decimal("99.99"),
                     due_date=PAST)
    BillFactory(community=community, unit="C", period="2026-09", amount=Decimal("80.00"),
                due_date=TODAY + dt.timedelta(days=5))
    BillFactory(community=other_community, unit="A", period="2026-09", amount=Decimal("999.00"),
                due_date=PAST)
    services.payment_record(recorded_by=manager, bill=a1, amount=Decimal("20.05"), paid_on=PAST)
    services.payment_record(recorded_by=manager, bill=b1, amount=Decimal("99.99"), paid_on=PAST)

    report = selectors.arrears_report(community=community, as_of=TODAY)

    expected_a = Decimal("120.55") - Decimal("20.05") + Decimal("120.55")
    assert report["rows"] == [{"unit": "A", "bills": 2, "owed": expected_a,
                               "oldest_due": a1.due_date}]
    assert report["total"] == Decimal("221.05") == expected_a
    assert isinstance(report["total"], Decimal)
    assert report["flats"] == 1 and report["bills"] == 2
    assert not Bill.objects.filter(pk=a2.pk, paid_amount__gt=0).exists()


def test_arrears_api_and_csv_for_manager_only(api_as, manager, resident, community):
    BillFactory(community=community, unit="2-301", period="2026-09", amount=Decimal("88.80"),
                due_date=PAST)
    body = api_as(manager).get(f"/api/v1/communities/{community.pk}/bills/arrears/").json()
    assert body["total"] == "88.80" and body["rows"][0]["unit"] == "2-301"
    export = api_as(manager).get(f"/api/v1/communities/{community.pk}/bills/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Flat or unit", "Period", "Amount"]  # the reader's language (en here)
    assert rows[1][:5] == ["2-301", "2026-09", "88.80", "0.00", "88.80"]
    assert api_as(resident).get(f"/api/v1/communities/{community.pk}/bills/arrears/").status_code == 403
    assert api_as(resident).get(f"/api/v1/communities/{community.pk}/bills/export/").status_code == 403


def test_resident_sees_only_their_own_flat(api_as, resident, neighbour, manager, community):
    mine = BillFactory(community=community, unit="2-301")
    BillFactory(community=community, unit="5-502")
    rows = api_as(resident).get(f"/api/v1/communities/{community.pk}/bills/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert api_as(manager).get(f"/api/v1/communities/{community.pk}/bills/").json()["count"] == 2


def test_bills_filter_unpaid(api_as, manager, community):
    paid = BillFactory(community=community, amount=Decimal("5.00"))
    BillFactory(community=community, unit="9-1")
    services.payment_record(recorded_by=manager, bill=paid, amount=Decimal("5.00"), paid_on=TODAY)
    url = f"/api/v1/communities/{community.pk}/bills/"
    assert api_as(manager).get(url, {"unpaid": "true"}).json()["count"] == 1
    assert api_as(manager).get(url, {"unpaid": "false"}).json()["results"][0]["id"] == paid.pk


def test_other_manager_cannot_record_payment(other_manager, community):
    bill = BillFactory(community=community)
    with pytest.raises(NotAllowed):
        services.payment_record(recorded_by=other_manager, bill=bill, amount=Decimal("1"),
                                paid_on=TODAY)


def test_bill_list_query_count(api_as, resident, community, django_assert_num_queries):
    for period in ("2026-07", "2026-08", "2026-09"):
        BillFactory(community=community, unit="2-301", period=period)
    client = api_as(resident)
    # 1 the community, 2 resident-or-manager check, 3 manager role and 4 admin role (bill_list:
    # does the viewer manage?), 5 the resident's flat, 6 count, 7 the page.
    with django_assert_num_queries(7):
        response = client.get(f"/api/v1/communities/{community.pk}/bills/")
    assert response.json()["count"] == 3
