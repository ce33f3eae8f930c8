"""Every kind of notification the village node sends (the core reads `KINDS` through
`VillagesConfig.notification_kinds`), and the helpers its services call to send them.

Each is sent from inside the service's transaction, where the change happens: the in-app row
lands with the change; `notify` e-mails it after commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext_lazy

from synergy.core import selectors as core_selectors
from synergy.core.models import User, Village
from synergy.core.services import notify_many

KINDS = {
    "villages.order_placed": gettext_lazy("Order placed (to the village's coordinators)"),
    "villages.order_paid": gettext_lazy("Order paid"),
    "villages.order_delivered": gettext_lazy("Order delivered to the pickup point"),
    "villages.order_cancelled": gettext_lazy("Order cancelled"),
    "villages.order_refund": gettext_lazy("Paid order cancelled and refunded"),
    "villages.order_collected": gettext_lazy("Order handed over at the pickup point"),
    "villages.payment_claimed": gettext_lazy("Buyer says an order is paid (to the village's coordinators)"),
    "villages.payment_confirmed": gettext_lazy("Payment confirmed by the village"),
    "villages.payment_declined": gettext_lazy("Payment not received by the village"),
    "villages.round_delivered": gettext_lazy("Group-buy round delivered"),
    "villages.round_formed": gettext_lazy("Group-buy round formed: orders confirmed"),
    "villages.round_failed": gettext_lazy("Group-buy round did not form: orders cancelled"),
    "villages.round_cancelled": gettext_lazy("Group-buy round cancelled by the village"),
    "villages.booking_requested": gettext_lazy("Booking requested (to the village's coordinators)"),
    "villages.booking_confirmed": gettext_lazy("Booking confirmed"),
    "villages.booking_declined": gettext_lazy("Booking request declined"),
    "villages.booking_cancelled": gettext_lazy("Booking cancelled"),
    "villages.booking_expired": gettext_lazy("Booking request not confirmed in time"),
    "villages.listing_approved": gettext_lazy("Listing approved"),
    "villages.listing_rejected": gettext_lazy("Listing not approved, with the reviewer's note"),
}


def tell(recipients: Iterable[User], *, kind: str, message: Callable[[], str], url: str = "") -> int:
    """One notification of `kind` to each recipient (once each); returns how many."""
    if kind not in KINDS:  # pragma: no cover - a programming error
        raise ValueError(f"unregistered notification kind {kind!r}")
    return notify_many(recipients=recipients, kind=kind, message=message, url=url)  # one INSERT


def tell_coordinators(village: Village | int, *, kind: str, message: Callable[[], str],
                      url: str = "", besides: User | None = None) -> int:
    """Every active coordinator of the village, except `besides` (who made the change)."""
    users = core_selectors.village_coordinators(village=village)
    if besides is not None:
        users = users.exclude(pk=besides.pk)
    return tell(users, kind=kind, message=message, url=url)
