"""Pickup codes: short digits, unique among the orders still to be collected in a community.

The database holds the rule (`order_pickup_code_unique_open`); a clash between two checkouts
placing at once is retried here with a fresh code inside a savepoint, so it never fails one.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from synergy.core.errors import Conflict
from villages.models import PICKUP_CODE_LENGTH, Order

ATTEMPTS = 8


def new_pickup_code() -> str:
    return f"{secrets.randbelow(10**PICKUP_CODE_LENGTH):0{PICKUP_CODE_LENGTH}d}"


def order_create_with_pickup_code(**fields) -> Order:
    """Create an order with a fresh pickup code; call inside the caller's transaction."""
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return Order.objects.create(pickup_code=new_pickup_code(), **fields)
        except IntegrityError as exc:
            if "pickup_code" not in str(exc):  # PostgreSQL names the constraint, SQLite the columns
                raise
    raise Conflict(_("Could not give this order a pickup code; please try again."))
