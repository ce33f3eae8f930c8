"""Forms that show what is wrong and refuse what is impossible: lengths, phone numbers, flats that
exist, dates near today, a month that is a month; errors open where they are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from community import forms, services
from community.models import Bill, Business
from community.validators import period_problem, validate_phone
from synergy.core.errors import Invalid
from tests.community.factories import BillFactory, BusinessFactory, TicketFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _client(user):
    c = Client()
    c.force_login(user)
    c.cookies["django_language"] = "en"
    return c


@pytest.mark.parametrize("phone", ["0871-6543210", "+86 138 0013 8000", "(0871) 654 3210",
                                   "13800138000"])
def test_phone_numbers_that_look_like_phone_numbers_pass(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["123", "call me", "138-0013-8000-0000-1234", "12345abc"])
def test_phone_numbers_that_do_not_are_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_api_refuses_a_bad_phone_naming_the_field(api_as, merchant, community):
    r = api_as(merchant).post(f"/api/v1/communities/{community.pk}/businesses/",
                              {"name": "Noodles", "phone": "not a phone"}, format="json")
    assert r.status_code == 400 and "phone" in r.json()


def test_period_2027_13_gets_a_sentence_saying_why():
    problem = period_problem("2027-13", today=dt.date(2026, 12, 1))
    assert "is not a month" in problem and "01 to 12" in problem
    assert "YYYY-MM" in period_problem("March", today=dt.date(2026, 12, 1))
    assert "too far" in period_problem("2070-01", today=dt.date(2026, 12, 1))
    assert period_problem("2027-03", today=dt.date(2026, 12, 1)) is None


def test_api_period_2027_13_is_400_with_the_sentence(api_as, manager, resident, community):
    r = api_as(manager).post(f"/api/v1/communities/{community.pk}/bills/",
                             {"unit": "2-301", "period": "2027-13", "amount": "10",
                              "due_date": str(TODAY)}, format="json")
    assert r.status_code == 400
    assert "is not a month" in " ".join(r.json()["period"])


def test_a_bill_names_a_flat_of_the_community(manager, resident, community):
    with pytest.raises(Invalid) as exc:
        services.bill_create(created_by=manager, community=community, unit="99-999",
                             period=f"{TODAY:%Y-%m}", amount=Decimal("10"), due_date=TODAY)
    assert exc.value.field == "unit" and "No flat 99-999" in exc.value.message
    services.bill_create(created_by=manager, community=community, unit="2-301",
                         period=f"{TODAY:%Y-%m}", amount=Decimal("10"), due_date=TODAY)
    # A flat that an existing bill names counts too (a flat whose resident moved out).
    BillFactory(community=community, unit="8-808", period="2026-01")
    services.bill_create(created_by=manager, community=community, unit="8-808",
                         period=f"{TODAY:%Y-%m}", amount=Decimal("10"), due_date=TODAY)
    assert Bill.objects.filter(community=community, period=f"{TODAY:%Y-%m}").count() == 2


def test_bills_and_payments_are_not_dated_decades_away(manager, resident, community):
    with pytest.raises(Invalid) as exc:
        services.bill_create(created_by=manager, community=community, unit="2-301",
                             period=f"{TODAY:%Y-%m}", amount=Decimal("10"),
                             due_date=dt.date(2099, 1, 1))
    assert exc.value.field == "due_date"
    bill = BillFactory(community=community, unit="2-301", period=f"{TODAY:%Y-%m}")
    with pytest.raises(Invalid) as exc:
        services.payment_record(recorded_by=manager, bill=bill, amount=Decimal("1"),
                                paid_on=dt.date(1990, 1, 1))
    assert exc.value.field == "paid_on"


def test_text_fields_have_lengths(api_as, resident, community):
    r = api_as(resident).post(f"/api/v1/communities/{community.pk}/tickets/",
                              {"category": "lift", "location": "Lift B",
                               "description": "x" * 2001}, format="json")
    assert r.status_code == 400 and "description" in r.json()
    assert not forms.TicketForm({"category": "lift", "location": "B",
                                 "description": "x" * 2001}).is_valid()


def test_bill_form_with_an_error_says_so_at_the_top_and_focuses_it(manager, resident, community):
    r = _client(manager).post(f"/community/{community.slug}/bills/",
                              {"bill-unit": "2-301", "bill-period": "2027-13", "bill-amount": "10",
                               "bill-due_date": str(TODAY)})
    html = r.content.decode()
    assert "Something needs fixing" in html
    assert "is not a month" in html
    period_input = html.split('name="bill-period"')[1].split(">")[0]
    assert "autofocus" in period_input


def test_offer_form_with_an_error_opens_in_its_own_shop(merchant, community):
    mine = BusinessFactory(community=community, owner=merchant, name="A shop")
    other = BusinessFactory(community=community, owner=merchant, name="B shop")
    r = _client(merchant).post(f"/community/{community.slug}/businesses/",
                               {"form": "offer", "business": other.pk, "offer-title": "",
                                "offer-valid_until": "2000-01-01"})
    html = r.content.decode()
    assert html.count("<details open>") == 1
    opened = html.split("<details open>")[1]
    assert f'name="business" value="{other.pk}"' in opened.split("</details>")[0]
    assert "Something needs fixing" in opened.split("</details>")[0]
    assert Business.objects.filter(pk=mine.pk).exists()


def test_database_refuses_an_over_long_description(community, resident):
    ticket = TicketFactory(community=community, reporter=resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(ticket).objects.filter(pk=ticket.pk).update(description="x" * 2001)
