"""Property fees: bills per flat and period; payments recorded (not processed) by the manager."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from community.models import Bill, Payment, PaymentMethod
from community.selectors import unit_exists
from community.validators import date_problem, period_problem
from synergy.core import selectors as core
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Community, User

CENT = Decimal("0.01")


def bill_create(
    *, created_by: User, community: Community, unit: str, period: str, amount: Decimal,
    due_date: dt.date, description: str = "",
) -> Bill:
    if not core.user_manages_community(user=created_by, community=community):
        raise NotAllowed(_("Only this community's property manager can issue bills."))
    if amount <= 0:
        raise Invalid(_("A bill's amount must be more than zero."), field="amount")
    if problem := period_problem(period):
        raise Invalid(problem, field="period")
    if problem := date_problem(due_date):
        raise Invalid(problem, field="due_date")
    if not unit_exists(community=community, unit=unit):
        raise Invalid(_("No flat %(unit)s in this community: use the flat a resident's membership "
                        "names.") % {"unit": unit.strip()}, field="unit")
    try:
        with transaction.atomic():
            return Bill.objects.create(
                community=community, unit=unit.strip(), period=period,
                amount=amount.quantize(CENT), due_date=due_date, description=description,
            )
    except IntegrityError:
        raise Conflict(_("Flat %(unit)s already has a bill for %(period)s.")
                       % {"unit": unit, "period": period}) from None


def payment_record(
    *, recorded_by: User, bill: Bill, amount: Decimal, paid_on: dt.date,
    method: str = PaymentMethod.MOBILE, note: str = "",
) -> Payment:
    """Add a payment to a bill. Never more than what is still owed (locked, then checked)."""
    if not core.user_manages_community(user=recorded_by, community=bill.community_id):
        raise NotAllowed(_("Only this community's property manager can record payments."))
    amount = amount.quantize(CENT)
    if amount <= 0:
        raise Invalid(_("A payment must be more than zero."), field="amount")
    if problem := date_problem(paid_on):
        raise Invalid(problem, field="paid_on")
    with transaction.atomic():
        locked = Bill.objects.select_for_update().get(pk=bill.pk)
        owed = locked.amount - locked.paid_amount
        if owed <= 0:
            raise Conflict(_("This bill is already paid in full."))
        if amount > owed:
            raise Conflict(_("This payment of %(amount)s is more than the %(owed)s still owed on "
                             "this bill.") % {"amount": amount, "owed": owed})
        payment = Payment.objects.create(bill=locked, amount=amount, paid_on=paid_on,
                                         method=method, note=note, recorded_by=recorded_by)
        Bill.objects.filter(pk=locked.pk).update(paid_amount=F("paid_amount") + amount)
    bill.refresh_from_db(fields=["paid_amount"])
    return payment
